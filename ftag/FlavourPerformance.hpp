#pragma once
// The performance summary of a tagger on the test jets (working points, ROC curves, the f_c
// scan at 77 % b-efficiency) and its plots, shared by `bolo tagger roc`, `bolo tagger bdt`
// and `bolo scan retrain` so the DL1 networks and the BDT are judged by the same code.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ftag/FlavourMetrics.hpp"

namespace bolo {

struct TaggerPerformance {
  std::string name;
  std::optional<double> fc;                 ///< the f_c of D_b; none for single-score taggers (BDT)
  std::vector<WorkingPoint> workingPoints;  ///< 60, 70, 77, 85 %
  std::vector<WorkingPoint> roc;            ///< b-efficiency 0.5 ... 0.95
  std::vector<FcPoint> fcScan;              ///< at 77 %; empty for single-score taggers
};

/// The f_c of DL1 (ATL-PHYS-PUB-2017-013) and the b-efficiency of the f_c scan.
constexpr double kDl1Fc = 0.08;
constexpr double kFcScanEfficiency = 0.77;

/// Evaluate a 3-class tagger with D_b(f_c).
TaggerPerformance evaluateMulticlass(const std::string& name, const TaggerScores& scores,
                                     double fc);
/// Evaluate a tagger with one score per jet (p_b of a BDT): the discriminant is logit(p_b).
TaggerPerformance evaluateSingleScore(const std::string& name, const TaggerScores& scores);

/// The working point with this target b-efficiency (InputError if not evaluated).
const WorkingPoint& workingPointAt(const TaggerPerformance& performance, double bEfficiency);

nlohmann::json toJson(const TaggerPerformance& performance);

/// Draw roc_light, roc_c (rejection versus b-efficiency) and fc_scan (light- versus
/// c-rejection at 77 % while f_c varies, the BDT as a red star) into `dir`.
std::vector<std::filesystem::path> drawPerformancePlots(
    const std::filesystem::path& dir, const std::vector<TaggerPerformance>& taggers,
    const std::optional<TaggerPerformance>& bdt);

}  // namespace bolo
