// bolo bestiter pions|photons: score every checkpoint of a training run against the reference
// (chi2/NDF of the total-energy histograms per incident-energy point), pick the best
// iteration per GAN and make it the default model of `bolo generate`. Incremental: a second
// pass scores only new checkpoints; --watch follows a training that is still running.
// Library entry point: nn::searchBestIteration (calo/nn/BestIterationSearch.hpp).

#include "apps/bolo/SharedOptions.hpp"
#include "apps/bolo/Verbs.hpp"
#include "calo/nn/BestIterationSearch.hpp"

namespace bolo::app {

void setupBestIter(CLI::App& app) {
  auto o = std::make_shared<VerbOptions<nn::BestIterationSearch>>();
  auto& s = o->request;
  auto* verb = app.add_subcommand(
      "bestiter", "Pick the best training iteration by chi2/NDF against the reference");
  verb->add_option("particle", s.particle, "pions or photons")->required();
  addWorkDirOption(verb, s.workdir);
  addConfigOption(verb, s.config,
                  "train.json with a 'bestiter' section (default: <workdir>/configs/train.json)");
  addRunOption(verb, s.run, "Training run (default: the particle)");
  verb->add_option("--reference", s.reference,
                   "Reference showers (default: <workdir>/data/<particle>_reference.h5)");
  verb->add_option("--geometry", s.geometry, "Binning XML (default: the shipped geometry)");
  addDeviceOption(verb, s.device);
  addThreadsOption(verb, s.threads);
  verb->add_option("--showers", s.showers, "Generated showers per energy point (default 10000)")
      ->check(positiveInteger<long long>());
  verb->add_option("--bins", s.bins, "Histogram bins per energy point (default 30)")
      ->check(positiveInteger<int>());
  verb->add_flag("--layers", s.layers, "Also compare the per-layer energies");
  verb->add_option("--seed", s.seed, "Seed of the latent numbers")
      ->check(nonNegativeInteger<long long>());
  verb->add_flag("--watch", s.watch, "Keep scoring new checkpoints while the training runs");
  verb->add_option("--poll-seconds", s.pollSeconds, "--watch: seconds between passes (default 30)")
      ->check(positiveNumber());
  verb->add_flag("--no-plots", s.noPlots, "Skip the plots");
  addJsonFlag(verb, o->json, "Print the best iteration as JSON on stdout");
  callOnRun(verb, o, nn::searchBestIteration);
}

}  // namespace bolo::app
