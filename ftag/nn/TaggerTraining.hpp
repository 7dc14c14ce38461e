#pragma once
// `bolo tagger train|bdt`: train the DL1-style tagger of tagger.json (model, loss per epoch,
// test scores) or the MV2-like BDT baseline of bdt.json (XGBoost), each evaluated at the
// working points. Evaluating a trained tagger: ftag/TaggerRoc.hpp.

#include <nlohmann/json.hpp>
#include <string>

namespace bolo::nn {

struct TaggerTrainingRequest {
  std::string workdir;
  std::string config;  ///< empty: <workdir>/configs/tagger.json or the built-in defaults
  std::string run;     ///< non-empty overrides the config's run name
  std::string device;  ///< non-empty overrides the config's device
  std::string data;    ///< non-empty overrides the config's jet file
  int threads = -1;    ///< >= 0 overrides the config's threads (0: all cores)
};

/// Train and evaluate; returns {"model", "parameters", "history", "wall_seconds",
/// "working_point_77"}.
nlohmann::json trainTaggerRun(const TaggerTrainingRequest& request);

struct BdtTrainingRequest {
  std::string workdir;
  std::string config;  ///< empty: <workdir>/configs/bdt.json or the built-in defaults
  std::string data;    ///< non-empty overrides the config's jet file
  int threads = -1;    ///< >= 0 overrides the config's threads
};

/// Train and evaluate the BDT; returns {"model", "training", "working_point_77"}.
nlohmann::json trainBdtBaseline(const BdtTrainingRequest& request);

}  // namespace bolo::nn
