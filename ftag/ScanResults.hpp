#pragma once
// The results of a scan: one small JSON per combination (written atomically by
// `bolo scan run`), gathered by `bolo scan collect` into a table with a report of what is
// missing, failed, duplicated or corrupted, and drawn as parallel coordinates.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ftag/ScanSpace.hpp"

namespace bolo {

struct ScanResult {
  ScanCombination combination;
  std::string status =
      "completed";     ///< completed, failed or pruned (stopped by successive halving)
  std::string reason;  ///< why it failed
  double bestValidationLoss = 0;
  int bestEpoch = 0;
  int epochs = 0;
  double wallSeconds = 0;
  std::string device;
  std::string host;
  std::size_t job = 0;
  std::vector<double> validationLoss;  ///< per epoch
};

nlohmann::json toJson(const ScanResult& result);
/// Strict reading: a result that lacks a field or has a wrong type is an InputError naming
/// `origin` and the JSON path.
ScanResult scanResultFromJson(const nlohmann::json& json, const std::string& origin);

std::filesystem::path scanResultPath(const std::filesystem::path& resultsDir,
                                     const std::string& id);
void writeScanResult(const std::filesystem::path& resultsDir, const ScanResult& result);
/// The stored result of `id` if its file exists and is valid; a corrupted file counts as
/// absent (it is rewritten when the combination runs again).
std::optional<ScanResult> readScanResult(const std::filesystem::path& resultsDir,
                                         const std::string& id);

struct ScanCollection {
  std::vector<ScanResult> completed;  ///< sorted by best validation loss, best first
  std::vector<ScanResult> failed;
  std::vector<ScanResult> pruned;
  std::vector<std::string> missing;     ///< planned ids without a result
  std::vector<std::string> duplicates;  ///< ids with results in more than one file
  std::vector<std::string> unknown;     ///< result files whose id is not in the plan
  std::vector<std::pair<std::string, std::string>> corrupted;  ///< file, reason
};

/// Gather the results in `resultDirs` for the planned combinations.
ScanCollection collectScanResults(const std::vector<ScanCombination>& plan,
                                  const std::vector<std::filesystem::path>& resultDirs);
nlohmann::json reportJson(const ScanCollection& collection);
/// One row per result (completed first, best first): id, status, hyper-parameters, loss, ...
std::string scanTableCsv(const ScanCollection& collection);
nlohmann::json scanTableJson(const ScanCollection& collection);

/// best | medium | worst of the completed combinations (medium: the median by loss).
const ScanResult& selectByRank(const ScanCollection& collection, const std::string& which);

/// Parallel coordinates: one line per completed combination over layer1, layer2, layer3,
/// log10(learning rate), batch size, activation and the validation loss; the best in red.
std::vector<std::filesystem::path> drawParallelCoordinates(const std::filesystem::path& stem,
                                                           const ScanCollection& collection,
                                                           const ScanSpace& space);

}  // namespace bolo
