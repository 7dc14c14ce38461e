#include "calo/Chi2EnergyPoints.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "common/Error.hpp"

namespace bolo {

namespace {

constexpr double kSamePointTolerance = 1e-6;

bool samePoint(double a, double b) {
  return std::abs(a - b) <= kSamePointTolerance * std::max(std::abs(a), std::abs(b));
}

/// Index of the point equal to `energy`, or -1.
long findPoint(const std::vector<double>& points, double energy) {
  auto it = std::lower_bound(points.begin(), points.end(), energy * (1 - kSamePointTolerance));
  if (it != points.end() && samePoint(*it, energy)) return it - points.begin();
  return -1;
}

double quantile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  const double position = q * static_cast<double>(values.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, values.size() - 1);
  return values[below] + (position - static_cast<double>(below)) * (values[above] - values[below]);
}

Histogram pointEdges(const std::vector<double>& reference, const EnergyPointBinning& binning) {
  double lo = quantile(reference, binning.tailFraction),
         hi = quantile(reference, 1 - binning.tailFraction);
  if (!(hi > lo)) {
    lo = *std::min_element(reference.begin(), reference.end());
    hi = *std::max_element(reference.begin(), reference.end());
  }
  if (!(hi > lo)) {
    const double half = std::max(0.5 * std::abs(lo), 1e-12);
    lo -= half;
    hi += half;
  }
  return Histogram::uniform(binning.bins, lo, hi);
}

}  // namespace

PointHistograms histogramPoint(const std::vector<double>& reference,
                               const std::vector<double>& generated,
                               const EnergyPointBinning& binning) {
  if (reference.empty()) throw InputError("chi2 at an energy point needs reference showers");
  PointHistograms h{pointEdges(reference, binning), Histogram({0.0, 1.0})};
  h.generated = Histogram(h.reference.edges());
  h.reference.fill(reference);
  h.generated.fill(generated);
  if (binning.overflowInEdgeBins) {
    h.reference = h.reference.withOverflowInEdgeBins();
    h.generated = h.generated.withOverflowInEdgeBins();
  }
  return h;
}

std::vector<double> discreteEnergyPoints(const std::vector<double>& energies,
                                         std::size_t maxPoints) {
  std::vector<double> sorted = energies;
  std::sort(sorted.begin(), sorted.end());
  std::vector<double> points;
  for (double e : sorted) {
    if (points.empty() || !samePoint(points.back(), e)) {
      points.push_back(e);
      if (points.size() > maxPoints) return {};
    }
  }
  return points;
}

Chi2OverEnergyPoints chi2OverEnergyPoints(const std::vector<double>& referenceEnergies,
                                          const std::vector<double>& referenceValues,
                                          const std::vector<double>& generatedEnergies,
                                          const std::vector<double>& generatedValues,
                                          const EnergyPointBinning& binning) {
  if (referenceEnergies.size() != referenceValues.size() ||
      generatedEnergies.size() != generatedValues.size()) {
    throw InputError("chi2 over energy points: one value per incident energy needed");
  }
  const auto points = discreteEnergyPoints(referenceEnergies);
  if (points.empty()) {
    throw InputError(
        "chi2 over energy points: the reference has no discrete incident-energy points");
  }
  std::vector<std::vector<double>> reference(points.size()), generated(points.size());
  for (std::size_t i = 0; i < referenceEnergies.size(); ++i) {
    reference[static_cast<std::size_t>(findPoint(points, referenceEnergies[i]))].push_back(
        referenceValues[i]);
  }
  Chi2OverEnergyPoints out;
  for (std::size_t i = 0; i < generatedEnergies.size(); ++i) {
    const long p = findPoint(points, generatedEnergies[i]);
    if (p < 0)
      ++out.unmatchedGenerated;
    else
      generated[static_cast<std::size_t>(p)].push_back(generatedValues[i]);
  }
  std::vector<Chi2Result> results;
  for (std::size_t p = 0; p < points.size(); ++p) {
    EnergyPointChi2 point;
    point.energyMeV = points[p];
    point.referenceShowers = reference[p].size();
    point.generatedShowers = generated[p].size();
    auto histograms = histogramPoint(reference[p], generated[p], binning);
    point.reference = std::move(histograms.reference);
    point.generated = std::move(histograms.generated);
    if (generated[p].empty()) {
      out.missingEnergies.push_back(points[p]);
    } else {
      point.chi2 = chi2Test(point.reference, point.generated);
      point.separationPower = separationPower(point.reference, point.generated);
      results.push_back(point.chi2);
    }
    out.points.push_back(std::move(point));
  }
  if (results.empty()) {
    throw InputError(
        "chi2 over energy points: no generated shower has an incident energy of the reference");
  }
  out.combined = combineChi2(results);
  return out;
}

nlohmann::json toJson(const Chi2Result& r) {
  const double perNdf = r.chi2PerNdf();
  return {
      {"chi2", r.chi2},
      {"ndf", r.ndf},
      {"chi2_per_ndf", std::isfinite(perNdf) ? nlohmann::json(perNdf) : nlohmann::json(nullptr)}};
}

nlohmann::json toJson(const Chi2OverEnergyPoints& r) {
  auto points = nlohmann::json::array();
  for (const auto& p : r.points) {
    auto j = toJson(p.chi2);
    j["energy_mev"] = p.energyMeV;
    j["reference_showers"] = p.referenceShowers;
    j["generated_showers"] = p.generatedShowers;
    j["separation_power"] = p.separationPower;
    if (p.generatedShowers == 0) j["chi2_per_ndf"] = nullptr;
    points.push_back(j);
  }
  return {{"points", points},
          {"combined", toJson(r.combined)},
          {"missing_energies_mev", r.missingEnergies},
          {"unmatched_generated_showers", r.unmatchedGenerated}};
}

}  // namespace bolo
