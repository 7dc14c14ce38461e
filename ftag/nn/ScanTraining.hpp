#pragma once
// The training steps of the tagger's hyper-parameter scan (`bolo scan run|retrain`):
//   run      train every combination of one job file, one result JSON each (resumable)
//   retrain  retrain best/medium/worst (or chosen ids) fully; ROC and f_c-scan plots with
//            the BDT baseline as a star
// Planning and collecting are torch-free: ftag/ScanSteps.hpp.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ftag/FlavourPerformance.hpp"

namespace bolo::nn {

struct ScanRunRequest {
  std::string workdir;
  std::string job;      ///< jobs/job_NNN.json
  std::string results;  ///< empty: results/ beside jobs/
  std::string data;     ///< empty: <workdir>/data/jets.h5
  std::string device = "auto";
  int threads = 1;  ///< 0: all cores
  bool retryFailed = false;
  bool halving = false;  ///< asynchronous successive halving
};

/// Train the job's combinations; returns {"job", "results", "trained", "pruned", "failed",
/// "skipped", "wall_seconds"}.
nlohmann::json runScanJobFile(const ScanRunRequest& request);

struct ScanRetrainRequest {
  std::string workdir;
  std::string scanDir;  ///< empty: <workdir>/output/scan
  std::string data;     ///< empty: <workdir>/data/jets.h5
  std::string device = "auto";
  std::string config;              ///< tagger.json for epochs/patience (default: the work dir's)
  std::string bdt;                 ///< empty: <workdir>/output/tagger/bdt
  std::vector<std::string> which;  ///< best, medium and/or worst
  std::vector<std::string> ids;    ///< combination ids
  int threads = 1;
  double fc = kDl1Fc;
};

/// Retrain the chosen combinations, write retrain/summary.json and the plots; returns the
/// summary.
nlohmann::json retrainScanCombinations(const ScanRetrainRequest& request);

}  // namespace bolo::nn
