#pragma once
// One pass of `bolo bestiter` over a run (torch-free header): score every checkpoint not
// scored before (results are cached in bestiter.json, keyed by iteration and crc32, and
// invalidated when the reference or the settings change), pick the best iteration per GAN
// and, for photons, the combined chi2/NDF over all energies; write bestiter.json, .csv,
// best.json (the default checkpoints of `bolo generate`), the response and resolution of the
// best checkpoint(s) versus incident energy (bestiter.json "response", response.png) and the
// plots.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "calo/nn/BestIteration.hpp"

namespace bolo::nn {

struct BestIterRequest {
  std::string run;
  std::string particle;
  /// GAN name -> its checkpoint directory ("all"; or "low", "high").
  std::vector<std::pair<std::string, std::filesystem::path>> gans;
  std::filesystem::path outputDir;  ///< <workdir>/output/<run>/bestiter
  std::string referenceKey;         ///< identifies the reference (path, size, crc32)
  BestIterSettings settings;
  std::string device = "cpu";
  bool plots = true;
};

struct BestIterOutcome {
  nlohmann::json report;      ///< what bestiter.json holds
  std::size_t evaluated = 0;  ///< checkpoints scored in this pass
  std::size_t reused = 0;     ///< checkpoints taken from the cache
};

/// Score new checkpoints, select, write outputs. InputError if a GAN has no valid
/// checkpoint. Polls the stop signal between checkpoints (results so far are kept).
BestIterOutcome runBestIteration(const BestIterRequest& request, const ReferenceSample& reference);

/// The best entry (lowest chi2/NDF, earliest on ties) of a GAN's scores.
const CheckpointScore& bestScore(const std::vector<CheckpointScore>& scores);

}  // namespace bolo::nn
