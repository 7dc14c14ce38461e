// bolo generate pions|photons: showers from trained GAN checkpoints, written as a
// CaloChallenge HDF5 file and validated against the geometry. By default the checkpoints
// marked best by `bolo bestiter` are used, else the latest of each GAN.
// Library entry point: nn::generateShowers (calo/nn/ShowerGeneration.hpp).

#include "apps/bolo/SharedOptions.hpp"
#include "apps/bolo/Verbs.hpp"
#include "calo/nn/ShowerGeneration.hpp"

namespace bolo::app {

void setupGenerate(CLI::App& app) {
  auto o = std::make_shared<VerbOptions<nn::GenerationRequest>>();
  auto& r = o->request;
  auto* verb = app.add_subcommand("generate", "Generate showers from trained GAN checkpoints");
  verb->add_option("particle", r.particle, "pions or photons")->required();
  addWorkDirOption(verb, r.workdir);
  verb->add_option("--checkpoint", r.checkpoints,
                   "Checkpoint (.json/.pt or a GAN's checkpoint directory); photons: one per GAN. "
                   "Default: the best iteration of the run, else its latest checkpoints");
  addRunOption(verb, r.run, "Run name (default: the particle)");
  verb->add_option("--energies", r.energies,
                   "Incident energies in MeV, comma-separated (default: the 15 points 2^8..2^22)");
  auto* count = verb->add_option("-n,--showers", r.count, "Showers per energy (default 10000)")
                    ->check(positiveInteger<long long>());
  verb->add_option("--energies-like", r.energiesLike,
                   "One shower per incident energy of this CaloChallenge file (e.g. the "
                   "reference to evaluate against)")
      ->excludes(count)
      ->excludes(verb->get_option("--energies"));
  verb->add_option("--out", r.out,
                   "Output HDF5 file (default: <workdir>/output/<run>/generated.h5)");
  verb->add_option("--geometry", r.geometry,
                   "Binning XML to validate against (default: shipped geometry)");
  addDeviceOption(verb, r.device);
  addThreadsOption(verb, r.threads);
  verb->add_option("--batch", r.batch, "Showers per network call (default 10000)")
      ->check(positiveInteger<int>());
  verb->add_option("--seed", r.seed, "Seed of the latent numbers (default 1)")
      ->check(unsignedInteger());
  addJsonFlag(verb, o->json);
  callOnRun(verb, o, nn::generateShowers);
}

}  // namespace bolo::app
