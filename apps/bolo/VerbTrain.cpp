// bolo train pions|photons: train the conditional WGAN-GP(s) of a particle on a
// CaloChallenge-format shower file. Pions: one GAN; photons: the low- and high-energy GANs,
// one after another, or concurrently when two devices are given (--device cuda:0,cuda:1).
// Library entry point: nn::trainParticle (calo/nn/ParticleTraining.hpp).

#include "apps/bolo/SharedOptions.hpp"
#include "apps/bolo/Verbs.hpp"
#include "calo/nn/ParticleTraining.hpp"

namespace bolo::app {

void setupTrain(CLI::App& app) {
  auto o = std::make_shared<VerbOptions<nn::ParticleTrainingRequest>>();
  auto& r = o->request;
  auto* verb = app.add_subcommand("train", "Train the calorimeter GAN(s) of a particle (WGAN-GP)");
  verb->add_option("particle", r.particle, "pions or photons")->required();
  addWorkDirOption(verb, r.workdir);
  addConfigOption(verb, r.config,
                  "train.json (default: <workdir>/configs/train.json or built-in defaults)");
  verb->add_option("--input", r.input,
                   "CaloChallenge shower file (default: <workdir>/data/<particle>_reference.h5)");
  verb->add_option("--geometry", r.geometry,
                   "Binning XML (default: the shipped dataset-1 geometry)");
  addRunOption(verb, r.run, "Run name under checkpoints/ and output/ (default: the particle)");
  addDeviceOption(verb, r.device,
                  "auto, cpu, cuda, cuda:N; photons: two devices train both GANs at once");
  addThreadsOption(verb, r.threads);
  verb->add_option("--gan", r.gan, "Photons: train only the 'low' or 'high' GAN");
  verb->add_option("--iterations", r.iterations, "Override the iterations of the config");
  verb->add_option("--checkpoint-every", r.checkpointEvery, "Override the checkpoint interval");
  verb->add_option("--batch", r.batch, "Override the batch size");
  verb->add_option("--seed", r.seed, "Override the seed");
  verb->add_option("--minutes", r.minutes,
                   "Stop each GAN with a checkpoint after this many minutes of training")
      ->check(CLI::PositiveNumber);
  verb->add_flag("--resume", r.resume, "Continue from the latest valid checkpoint");
  verb->add_flag("--no-plots", r.noPlots, "Skip the loss-curve plots");
  addJsonFlag(verb, o->json);
  callOnRun(verb, o, nn::trainParticle);
}

}  // namespace bolo::app
