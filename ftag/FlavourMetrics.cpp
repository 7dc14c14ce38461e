#include "ftag/FlavourMetrics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/Error.hpp"

namespace bolo {

double discriminantDb(double pb, double pc, double pLight, double fc) {
  constexpr double kFloor = 1e-12;
  return std::log(std::max(pb, kFloor) / std::max(fc * pc + (1 - fc) * pLight, kFloor));
}

std::vector<double> discriminantsDb(const TaggerScores& scores, double fc) {
  if (scores.classes != kFlavourCount) {
    throw InputError(
        fmt::format("D_b needs 3 class probabilities (b, c, light), got {}", scores.classes));
  }
  if (!(fc >= 0 && fc <= 1)) throw InputError(fmt::format("f_c must be in [0, 1], got {}", fc));
  std::vector<double> out(scores.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    const float* p = scores.probabilities.data() + i * scores.classes;
    out[i] = discriminantDb(p[0], p[1], p[2], fc);
  }
  return out;
}

Efficiency binomialEfficiency(std::size_t passed, std::size_t total) {
  Efficiency e;
  e.passed = passed;
  e.total = total;
  if (total == 0) return e;
  e.value = static_cast<double>(passed) / static_cast<double>(total);
  e.uncertainty = std::sqrt(e.value * (1 - e.value) / static_cast<double>(total));
  return e;
}

bool Rejection::finite() const {
  return std::isfinite(value);
}

Rejection rejectionOf(const Efficiency& efficiency) {
  if (efficiency.value <= 0)
    return {std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity()};
  const double r = 1 / efficiency.value;
  return {r, r * r * efficiency.uncertainty};
}

double cutForEfficiency(std::vector<double> signal, double efficiency) {
  if (signal.empty()) throw InputError("no b-jets to define a working point");
  if (!(efficiency > 0 && efficiency <= 1)) {
    throw InputError(fmt::format("b-efficiency must be in (0, 1], got {}", efficiency));
  }
  std::sort(signal.begin(), signal.end(), std::greater<>());
  const auto n = signal.size();
  auto k = static_cast<std::size_t>(std::llround(efficiency * static_cast<double>(n)));
  k = std::clamp<std::size_t>(k, 1, n);
  if (k == n) return signal[n - 1] - 1;  // everything passes
  return 0.5 * (signal[k - 1] + signal[k]);
}

WorkingPoint evaluateWorkingPoint(const std::vector<double>& discriminants,
                                  const std::vector<int>& labels, double targetBEfficiency) {
  if (discriminants.size() != labels.size())
    throw InputError("discriminants and labels differ in length");
  std::vector<double> b;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] == static_cast<int>(Flavour::kB)) b.push_back(discriminants[i]);
  }
  WorkingPoint wp;
  wp.targetBEfficiency = targetBEfficiency;
  wp.cut = cutForEfficiency(b, targetBEfficiency);
  std::size_t passed[kFlavourCount] = {0, 0, 0}, total[kFlavourCount] = {0, 0, 0};
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const auto f = static_cast<std::size_t>(labels[i]);
    ++total[f];
    if (discriminants[i] > wp.cut) ++passed[f];
  }
  wp.b = binomialEfficiency(passed[0], total[0]);
  wp.c = binomialEfficiency(passed[1], total[1]);
  wp.light = binomialEfficiency(passed[2], total[2]);
  wp.cRejection = rejectionOf(wp.c);
  wp.lightRejection = rejectionOf(wp.light);
  return wp;
}

const std::vector<double>& standardWorkingPoints() {
  static const std::vector<double> points = {0.60, 0.70, 0.77, 0.85};
  return points;
}

std::vector<WorkingPoint> rocCurve(const std::vector<double>& discriminants,
                                   const std::vector<int>& labels,
                                   const std::vector<double>& bEfficiencies) {
  std::vector<WorkingPoint> out;
  for (double e : bEfficiencies) out.push_back(evaluateWorkingPoint(discriminants, labels, e));
  return out;
}

std::vector<double> efficiencyGrid(double lo, double hi, int points) {
  std::vector<double> out;
  for (int i = 0; i < points; ++i) out.push_back(lo + (hi - lo) * i / std::max(1, points - 1));
  return out;
}

std::vector<FcPoint> fcScan(const TaggerScores& scores, const std::vector<double>& fcValues,
                            double bEfficiency) {
  std::vector<FcPoint> out;
  for (double fc : fcValues)
    out.push_back(
        {fc, evaluateWorkingPoint(discriminantsDb(scores, fc), scores.labels, bEfficiency)});
  return out;
}

std::vector<double> fcGrid(int points) {
  return efficiencyGrid(0, 1, points);
}

nlohmann::json toJson(const Efficiency& e) {
  return {{"passed", e.passed},
          {"total", e.total},
          {"efficiency", e.value},
          {"uncertainty", e.uncertainty}};
}

nlohmann::json toJson(const Rejection& r) {
  if (!r.finite())
    return {{"rejection", nullptr}, {"uncertainty", nullptr}, {"note", "no jet passed the cut"}};
  return {{"rejection", r.value}, {"uncertainty", r.uncertainty}};
}

nlohmann::json toJson(const WorkingPoint& wp) {
  return {{"b_efficiency_target", wp.targetBEfficiency},
          {"cut", wp.cut},
          {"b", toJson(wp.b)},
          {"c", toJson(wp.c)},
          {"light", toJson(wp.light)},
          {"c_rejection", toJson(wp.cRejection)},
          {"light_rejection", toJson(wp.lightRejection)}};
}

}  // namespace bolo
