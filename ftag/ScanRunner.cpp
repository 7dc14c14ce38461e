#include "ftag/ScanRunner.hpp"

#include <chrono>

#include "common/Error.hpp"
#include "common/Log.hpp"
#include "common/Manifest.hpp"
#include "common/Progress.hpp"

namespace bolo {

ScanRunSummary runScanJob(const ScanJob& job, const std::filesystem::path& resultsDir,
                          const ScanTrainer& trainer, const ScanRunOptions& options) {
  ScanRunSummary summary;
  const auto jobStart = std::chrono::steady_clock::now();
  ProgressReporter progress(fmt::format("scan job {}", job.job), job.combinations.size(),
                            "combinations");
  std::size_t done = 0;
  const std::string host = hostName();
  for (const auto& combination : job.combinations) {
    const auto existing = readScanResult(resultsDir, combination.id);
    if (existing && !(options.retryFailed && existing->status == "failed")) {
      ++summary.skipped;
      progress.update(++done);
      continue;
    }
    ScanResult result;
    result.combination = combination;
    result.host = host;
    result.job = job.job;
    const auto start = std::chrono::steady_clock::now();
    try {
      const auto outcome = trainer(combination, job.training);
      result.status = outcome.pruned ? "pruned" : "completed";
      result.bestValidationLoss = outcome.bestValidationLoss;
      result.bestEpoch = outcome.bestEpoch;
      result.epochs = outcome.epochs;
      result.validationLoss = outcome.validationLoss;
      result.device = outcome.device;
      ++(outcome.pruned ? summary.pruned : summary.trained);
    } catch (const Interrupted&) {
      log::warn(
          "combination {} abandoned (it has no result and runs again when the job is resubmitted)",
          combination.id);
      throw;
    } catch (const std::exception& e) {
      result.status = "failed";
      result.reason = e.what();
      result.bestValidationLoss = std::numeric_limits<double>::quiet_NaN();
      ++summary.failed;
      log::warn("combination {} failed: {}", combination.id, e.what());
    }
    result.wallSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    writeScanResult(resultsDir, result);
    progress.update(++done);
  }
  progress.finish();
  summary.wallSeconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - jobStart).count();
  return summary;
}

}  // namespace bolo
