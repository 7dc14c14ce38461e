#pragma once
// `bolo tagger roc`: working points, rejections, ROC curves and the f_c scan of a trained
// tagger (from its scores.h5), with the BDT baseline beside it when trained. No torch: it
// reads scores only. Training the tagger and the BDT: ftag/nn/TaggerTraining.hpp.

#include <nlohmann/json.hpp>
#include <string>

#include "ftag/FlavourPerformance.hpp"

namespace bolo {

struct TaggerRocRequest {
  std::string workdir;
  std::string run = "dl1";  ///< under <workdir>/output/tagger
  std::string model;        ///< a model folder instead of the run
  std::string bdt;          ///< empty: <workdir>/output/tagger/bdt if trained
  double fc = kDl1Fc;
  bool noPlots = false;
};

/// Evaluate, write <model>/performance.json (and plots); returns {"tagger"[, "bdt"]}.
nlohmann::json evaluateTaggerRoc(const TaggerRocRequest& request);

}  // namespace bolo
