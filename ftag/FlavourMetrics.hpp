#pragma once
// Flavour-tagging performance: the b-tagging discriminant, cuts at fixed b-efficiency, c- and
// light-jet rejections with binomial uncertainties, ROC curves and the f_c scan.
//
//   D_b = ln( p_b / (f_c p_c + (1 - f_c) p_light) )
//   a working point at b-efficiency e: the cut D_b > t passed by round(e N_b) b-jets
//   mis-tag efficiency of flavour f: eps_f = (jets of f passing) / N_f, sigma = sqrt(eps (1-eps) /
//   N_f) rejection r_f = 1 / eps_f, sigma_r = r^2 sigma_eps (infinite, reported as null, if eps =
//   0)

#include <cstddef>
#include <nlohmann/json.hpp>
#include <vector>

#include "ftag/JetFile.hpp"

namespace bolo {

/// D_b for one jet; probabilities are floored at 1e-12 so the logarithm stays finite.
double discriminantDb(double pb, double pc, double pLight, double fc);
/// D_b of every jet of `scores` (which must have the 3 classes b, c, light).
std::vector<double> discriminantsDb(const TaggerScores& scores, double fc);

struct Efficiency {
  std::size_t passed = 0, total = 0;
  double value = 0;
  double uncertainty = 0;  ///< binomial: sqrt(e (1 - e) / N)
};
Efficiency binomialEfficiency(std::size_t passed, std::size_t total);

struct Rejection {
  double value = 0;        ///< 1 / efficiency; +infinity when no jet passes
  double uncertainty = 0;  ///< value^2 * sigma(efficiency)
  bool finite() const;
};
Rejection rejectionOf(const Efficiency& efficiency);

/// The cut t such that exactly round(efficiency * N) of `signal` satisfy D > t (the midpoint
/// between neighbouring sorted values). InputError for an empty signal or e outside (0, 1].
double cutForEfficiency(std::vector<double> signal, double efficiency);

struct WorkingPoint {
  double targetBEfficiency = 0;
  double cut = 0;
  Efficiency b, c, light;
  Rejection cRejection, lightRejection;
};

/// Evaluate the cut giving `targetBEfficiency` on the b-jets of (discriminants, labels).
WorkingPoint evaluateWorkingPoint(const std::vector<double>& discriminants,
                                  const std::vector<int>& labels, double targetBEfficiency);
/// The ATLAS working points 60, 70, 77 and 85 %.
const std::vector<double>& standardWorkingPoints();

/// Working points over a grid of b-efficiencies (ROC curve).
std::vector<WorkingPoint> rocCurve(const std::vector<double>& discriminants,
                                   const std::vector<int>& labels,
                                   const std::vector<double>& bEfficiencies);
/// Evenly spaced b-efficiencies from `lo` to `hi` inclusive.
std::vector<double> efficiencyGrid(double lo, double hi, int points);

struct FcPoint {
  double fc = 0;
  WorkingPoint workingPoint;
};
/// For each f_c, the working point at `bEfficiency` of D_b(f_c): traces the c-rejection
/// versus light-rejection curve.
std::vector<FcPoint> fcScan(const TaggerScores& scores, const std::vector<double>& fcValues,
                            double bEfficiency);
/// f_c from 0 to 1 in `points` steps, quadratically spaced (denser at small f_c).
std::vector<double> fcGrid(int points);

nlohmann::json toJson(const Efficiency& efficiency);
nlohmann::json toJson(const Rejection& rejection);
nlohmann::json toJson(const WorkingPoint& point);

}  // namespace bolo
