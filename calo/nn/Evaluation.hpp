#pragma once
// `bolo evaluate`: judge generated showers against a reference with the CaloChallenge
// metrics — high-level feature histograms with separation power and chi2/NDF, E_total/E_inc
// chi2 per incident energy, classifier AUC and JSD — and write evaluation.json, the plots and
// one self-contained report.html (calo/EvaluationReport.hpp draws and renders them).

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "calo/EvaluationReport.hpp"
#include "calo/nn/ShowerClassifier.hpp"

namespace bolo::nn {

/// evaluate.json: reading settings, plots, histograms and the classifier test.
struct EvaluateConfig {
  int chunkRows = 4096;  ///< showers read at a time
  std::vector<std::string> plotFormats = {"png", "pdf", "svg"};
  HistogramConfig histograms;
  ClassifierConfig classifier;
};

EvaluateConfig evaluateConfigFromJson(const nlohmann::json& json);
nlohmann::json toJson(const EvaluateConfig& config);

struct EvaluationRequest {
  std::string reference;  ///< empty with a particle: <workdir>/data/<particle>_reference.h5
  std::string generated;  ///< the file to judge
  std::string geometry;   ///< empty with a particle: the shipped geometry
  std::string particle;   ///< optional: pions or photons
  std::string out;        ///< empty: <workdir>/output/evaluation[-<particle>]
  std::string config;     ///< empty: <workdir>/configs/evaluate.json if present
  std::string workdir;
  std::string device = "cpu";  ///< of the classifier
  std::uint64_t seed = 42;     ///< the classifier's shower sampling, split and training
  int threads = 0;             ///< <= 0: all cores
  bool skipClassifier = false;
};

/// Evaluate and write the report; returns what evaluation.json holds.
nlohmann::json evaluateShowers(const EvaluationRequest& request);

}  // namespace bolo::nn
