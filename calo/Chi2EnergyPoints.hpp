#pragma once
// chi2 per incident-energy point and combined over points: the figure that picks the best
// training iteration, and that `bolo evaluate` reports for E_total / E_inc. Showers are grouped
// by the discrete incident energies of the reference; at each point the reference and the
// generated values are histogrammed with the same edges and compared with chi2Test().

#include <cstddef>
#include <nlohmann/json.hpp>
#include <vector>

#include "common/Chi2Test.hpp"
#include "common/Histogram.hpp"

namespace bolo {

struct EnergyPointBinning {
  int bins = 30;                   ///< uniform bins per energy point
  double tailFraction = 0.001;     ///< edges span the reference's [q, 1 - q] quantiles at the point
  bool overflowInEdgeBins = true;  ///< count generated values outside that range in the edge bins
};

struct EnergyPointChi2 {
  double energyMeV = 0;
  std::size_t referenceShowers = 0;
  std::size_t generatedShowers = 0;
  Histogram reference{{0.0, 1.0}};
  Histogram generated{{0.0, 1.0}};
  Chi2Result chi2;  ///< 0/0 when the generated sample has no shower at this point
  double separationPower = 0;
};

struct Chi2OverEnergyPoints {
  std::vector<EnergyPointChi2> points;  ///< ascending energy
  Chi2Result combined;                  ///< sum chi2 / sum NDF over points with generated showers
  std::vector<double> missingEnergies;  ///< reference points without any generated shower
  std::size_t unmatchedGenerated = 0;   ///< generated showers at energies the reference lacks
};

/// One energy point's reference and generated values histogrammed with the same edges:
/// `binning.bins` uniform bins over the reference's [q, 1 - q] quantiles (q =
/// binning.tailFraction; the full range, or a window around the value, when that is empty).
/// InputError if `reference` is empty.
struct PointHistograms {
  Histogram reference;
  Histogram generated;
};
PointHistograms histogramPoint(const std::vector<double>& reference,
                               const std::vector<double>& generated,
                               const EnergyPointBinning& binning);

/// The distinct values of `energies`, ascending; an empty list if there are more than
/// `maxPoints` (continuous energies). Values within a relative 1e-6 count as one point.
std::vector<double> discreteEnergyPoints(const std::vector<double>& energies,
                                         std::size_t maxPoints = 100);

/// Compare `generatedValues` with `referenceValues` point by point (value i belongs to the
/// shower with incident energy energies[i]). InputError if sizes differ, the reference has
/// no discrete energy points, or no generated shower matches any point.
Chi2OverEnergyPoints chi2OverEnergyPoints(const std::vector<double>& referenceEnergies,
                                          const std::vector<double>& referenceValues,
                                          const std::vector<double>& generatedEnergies,
                                          const std::vector<double>& generatedValues,
                                          const EnergyPointBinning& binning = {});

nlohmann::json toJson(const Chi2Result& result);
nlohmann::json toJson(const Chi2OverEnergyPoints& result);

}  // namespace bolo
