#pragma once
// The hyper-parameter space of the flavour-tagging scan and its plan: six dimensions (three
// hidden-layer sizes, learning rate, batch size, activation) sampled as a full grid, at
// random, or as a Latin hypercube, then dealt round-robin into job files. The plan is a pure
// function of the space: the same space gives the same combinations, ids and jobs.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace bolo {

/// Activations the tagger knows (ftag/nn/Tagger builds them).
const std::vector<std::string>& taggerActivationNames();

/// Training settings shared by every combination of a scan.
struct ScanTraining {
  int epochs = 8;
  int patience = 2;
  double minDelta = 1e-4;
  bool batchNorm = true;
  bool balanceClasses = false;
  std::uint64_t seed = 1;
};

struct ScanSpace {
  std::string method = "grid";  ///< grid, random or latin_hypercube
  std::size_t samples = 0;      ///< combinations for random / latin_hypercube (0: the grid size)
  std::uint64_t seed = 1;       ///< sampling seed
  std::vector<int> layer1 = {16, 32, 64, 128, 256};
  std::vector<int> layer2 = {16, 32, 64, 128};
  std::vector<int> layer3 = {8, 32};
  std::vector<double> learningRates = {1e-4, 3e-4, 1e-3, 3e-3, 1e-2};
  std::vector<int> batchSizes = {256, 1024};
  std::vector<std::string> activations = {"relu", "tanh"};
  ScanTraining training;

  std::size_t gridSize() const;
};

/// Strict reading; errors name the JSON path (e.g. "dimensions.learning_rate[1]").
ScanSpace scanSpaceFromJson(const nlohmann::json& json);
nlohmann::json toJson(const ScanSpace& space);

struct ScanCombination {
  std::string id;         ///< stable: derived from the hyper-parameters alone
  std::size_t index = 0;  ///< position in the plan
  std::vector<int> layers;
  double learningRate = 0;
  int batchSize = 0;
  std::string activation;
};

/// "c" + 12 hex digits of a hash of the canonical hyper-parameter text.
std::string combinationId(const std::vector<int>& layers, double learningRate, int batchSize,
                          const std::string& activation);
nlohmann::json toJson(const ScanCombination& combination);
/// Read a combination (as written by toJson); `path` names it in errors.
ScanCombination scanCombinationFromJson(const nlohmann::json& json, const std::string& path);

struct ScanPlan {
  std::vector<ScanCombination> combinations;
  std::size_t duplicatesDropped = 0;  ///< Latin-hypercube samples that repeated a combination
};
ScanPlan planScan(const ScanSpace& space);

/// Deal the combinations, in a seeded random order, round-robin into `jobs` jobs: sizes
/// differ by at most one and each job gets a mix of small and large networks. Within a job
/// the combinations keep plan order.
std::vector<std::vector<ScanCombination>> splitIntoJobs(
    const std::vector<ScanCombination>& combinations, std::size_t jobs, std::uint64_t seed);

/// The JSON of one job file.
nlohmann::json scanJobJson(std::size_t job, std::size_t jobs, const ScanSpace& space,
                           const std::vector<ScanCombination>& combinations);

struct ScanJob {
  std::size_t job = 0, jobs = 0;
  ScanTraining training;
  std::vector<ScanCombination> combinations;
};
ScanJob scanJobFromJson(const nlohmann::json& json);

}  // namespace bolo
