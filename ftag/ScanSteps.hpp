#pragma once
// The torch-free steps of the tagger's hyper-parameter scan (`bolo scan plan|collect`):
//   plan     space -> combinations with stable ids -> N small JSON job files
//   collect  gather results: table (CSV/JSON), report, parallel-coordinates plot
// The training steps (run, retrain) are in ftag/nn/ScanTraining.hpp; the folders in
// ftag/FtagLayout.hpp (ScanLayout).

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace bolo {

struct ScanPlanRequest {
  std::string workdir;
  std::string space;    ///< empty: <workdir>/configs/scan_space.json or the built-in space
  std::string scanDir;  ///< empty: <workdir>/output/scan
  std::size_t jobs = 10;
};

/// Sample the space, write plan.json and jobs/job_NNN.json (removing an earlier plan's jobs);
/// returns {"scan_dir", "combinations", "jobs", "duplicates_dropped"}.
nlohmann::json planScanJobs(const ScanPlanRequest& request);

struct ScanCollectRequest {
  std::string workdir;
  std::string scanDir;               ///< empty: <workdir>/output/scan
  std::vector<std::string> results;  ///< result folders; empty: <scan dir>/results
  bool noPlots = false;
};

/// Gather the results of the plan's combinations, write scan_results.{csv,json} and
/// report.json (and the plot); returns the report.
nlohmann::json collectScan(const ScanCollectRequest& request);

}  // namespace bolo
