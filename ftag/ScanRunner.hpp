#pragma once
// The loop of `bolo scan run`: train every combination of a job that has no result yet and
// write one result file per combination, atomically. The training itself is injected (the
// real one lives in ftag/nn/, tests use a fake), so the bookkeeping is tested without LibTorch:
//   - a finished combination (completed, failed or pruned) is skipped on re-run;
//   - an exception from the trainer marks that combination failed, with its message as the
//     reason, and the loop goes on;
//   - Interrupted (a stop signal) propagates at once: the current combination is abandoned
//     without a result, so a requeued job trains it again.

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "ftag/ScanResults.hpp"
#include "ftag/ScanSpace.hpp"

namespace bolo {

struct ScanTrainOutcome {
  double bestValidationLoss = 0;
  int bestEpoch = 0;
  int epochs = 0;
  std::vector<double> validationLoss;
  std::string device;
  bool pruned = false;  ///< stopped early by successive halving
};

using ScanTrainer = std::function<ScanTrainOutcome(const ScanCombination&, const ScanTraining&)>;

struct ScanRunOptions {
  bool retryFailed = false;  ///< train failed combinations again
};

struct ScanRunSummary {
  std::size_t trained = 0, skipped = 0, failed = 0, pruned = 0;
  double wallSeconds = 0;
};

ScanRunSummary runScanJob(const ScanJob& job, const std::filesystem::path& resultsDir,
                          const ScanTrainer& trainer, const ScanRunOptions& options = {});

}  // namespace bolo
