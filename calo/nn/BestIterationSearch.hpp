#pragma once
// `bolo bestiter`: score every checkpoint of a training run against the reference (chi2/NDF
// of the total-energy histograms per incident-energy point), pick the best iteration per GAN
// and make it the run's default model (calo/nn/DefaultCheckpoints.hpp). Incremental: a second
// pass scores only new checkpoints; `watch` follows a training that is still running.
// One pass over the checkpoints is nn::runBestIteration (BestIterationRun.hpp).

#include <nlohmann/json.hpp>
#include <string>

namespace bolo::nn {

struct BestIterationSearch {
  std::string particle;   ///< pions or photons
  std::string workdir;    ///< --workdir
  std::string config;     ///< train.json with a "bestiter" section (default: the work dir's)
  std::string run;        ///< empty: the particle
  std::string reference;  ///< empty: <workdir>/data/<particle>_reference.h5
  std::string geometry;   ///< empty: the shipped geometry
  std::string device = "auto";
  int threads = 0;
  long long showers = 0;  ///< > 0 overrides showers per energy point
  int bins = 0;           ///< > 0 overrides the bins per energy point
  bool layers = false;    ///< also compare the per-layer energies
  long long seed = -1;    ///< >= 0 overrides the seed of the latent numbers
  bool watch = false;     ///< keep scoring while the training runs
  double pollSeconds = 30;
  bool noPlots = false;
};

/// Run the search; returns {"best", "evaluated", "reused", "report", "csv"}.
nlohmann::json searchBestIteration(const BestIterationSearch& search);

}  // namespace bolo::nn
