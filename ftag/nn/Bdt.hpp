#pragma once
// The BDT baseline, a stand-in for ATLAS's MV2c10: gradient-boosted decision trees (XGBoost C
// API) separating b-jets from a background of light and c-jets, with the c-jets weighted to
// 7 % of the background as in MV2c10, on the MV2 inputs (DL1 adds the JetFitter c-tagging
// variables and the missing flags). Like MV2, the trees see the raw variables with their
// default values. Built only with BOLO_WITH_XGBOOST; otherwise the functions throw
// EnvironmentError.

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "ftag/JetSample.hpp"

namespace bolo::nn {

struct BdtConfig {
  std::string data;  ///< jet file; empty: <workdir>/data/jets.h5
  int trees = 1000;  ///< at most (MV2 used of order 1000 trees)
  int earlyStopping =
      50;  ///< stop when the validation log-loss has not improved for this many trees
  int maxDepth = 6;
  double learningRate = 0.1;  ///< XGBoost eta
  double subsample = 0.8;
  double columnSample = 0.8;
  double minChildWeight = 1;
  double lambda = 1;        ///< L2 regularisation of leaf weights
  double cFraction = 0.07;  ///< c-jet share of the background weight (MV2c10)
  int threads = 0;          ///< 0: all cores
  std::uint64_t seed = 1;
};

BdtConfig bdtConfigFromJson(const nlohmann::json& json);
nlohmann::json toJson(const BdtConfig& config);

/// True if this bolo was built with the XGBoost C API.
bool xgboostAvailable();
/// Throw EnvironmentError explaining how to get XGBoost when it is not built in.
void requireXgboost();
std::string xgboostVersion();

/// Train on `train` with early stopping on `validation`; write `outDir`/model.json and
/// `outDir`/scores.h5 (one score p_b per test jet). Returns a summary of the training.
nlohmann::json trainBdt(const BdtConfig& config, const JetSample& train,
                        const JetSample& validation, const JetSample& test,
                        const std::filesystem::path& outDir);

}  // namespace bolo::nn
