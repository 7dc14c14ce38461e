#pragma once
// `bolo train pions|photons`: train the conditional WGAN-GP(s) of a particle on a
// CaloChallenge-format shower file. Pions: one GAN; photons: the low- and high-energy GANs,
// one after another, or concurrently when two devices are given ("cuda:0,cuda:1"). Writes
// the run's resolved config and manifest under output/<run>/, checkpoints under
// checkpoints/<run>/<gan>/.

#include <nlohmann/json.hpp>
#include <string>

namespace bolo::nn {

struct ParticleTrainingRequest {
  std::string particle;         ///< pions or photons
  std::string workdir;          ///< --workdir (see resolveWorkDir)
  std::string config;           ///< empty: <workdir>/configs/train.json or the built-in defaults
  std::string input;            ///< empty: <workdir>/data/<particle>_reference.h5
  std::string geometry;         ///< empty: the shipped dataset-1 geometry
  std::string run;              ///< empty: the particle
  std::string device = "auto";  ///< one device, or two for the photon GANs
  std::string gan;              ///< photons: train only "low" or "high"
  int threads = 0;              ///< <= 0: all cores
  long long iterations = 0;     ///< > 0: overrides the config's
  long long checkpointEvery = 0;
  int batch = 0;
  long long seed = -1;  ///< >= 0: overrides the config's
  double minutes = 0;   ///< stop each GAN after this much training (0: no limit)
  bool resume = false;
  bool noPlots = false;
};

/// Train, checkpoint, write the manifest; returns the summary (run, particle, and per GAN its
/// iterations, last checkpoint, timing and last metrics).
nlohmann::json trainParticle(const ParticleTrainingRequest& request);

}  // namespace bolo::nn
