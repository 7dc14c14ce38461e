#include "calo/EvaluationReport.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "common/ConfigReader.hpp"
#include "common/Error.hpp"

namespace bolo {

HistogramConfig histogramConfigFromJson(const nlohmann::json& json, const std::string& path) {
  HistogramConfig c;
  ConfigReader reader(json, path);
  reader.readPositive("bins", c.bins);
  reader.readInRange("tail_fraction", c.tailFraction, 0.0, 0.2);
  reader.readPositive("energy_point_bins", c.energyPointBins);
  reader.readInRange("sparsity_threshold", c.sparsityThreshold, 0.0, 1e9);
  reader.readPositive("min_layer_energy", c.minLayerEnergy);
  reader.finish();
  return c;
}

nlohmann::json toJson(const HistogramConfig& c) {
  return {{"bins", c.bins},
          {"tail_fraction", c.tailFraction},
          {"energy_point_bins", c.energyPointBins},
          {"sparsity_threshold", c.sparsityThreshold},
          {"min_layer_energy", c.minLayerEnergy}};
}

namespace {

double quantileOfSorted(const std::vector<double>& sorted, double q) {
  const double position = q * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  return sorted[below] + (position - static_cast<double>(below)) * (sorted[above] - sorted[below]);
}

double mean(const std::vector<double>& values) {
  double sum = 0;
  for (double v : values) sum += v;
  return values.empty() ? 0.0 : sum / static_cast<double>(values.size());
}

}  // namespace

Histogram featureHistogram(const FeatureColumn& reference, const HistogramConfig& config,
                           bool* logarithmic) {
  if (reference.values.empty())
    throw InputError(fmt::format("feature {}: no reference values", reference.name));
  std::vector<double> sorted = reference.values;
  std::sort(sorted.begin(), sorted.end());
  if (logarithmic) *logarithmic = false;
  if (reference.kind == FeatureKind::kLayerEnergy) {
    std::vector<double> positive;
    for (double v : sorted) {
      if (v > 0) positive.push_back(v);
    }
    if (!positive.empty()) {
      const double lo =
          std::max(quantileOfSorted(positive, config.tailFraction), config.minLayerEnergy);
      const double hi = quantileOfSorted(positive, 1 - config.tailFraction);
      if (lo > 0 && hi > 100 * lo) {
        if (logarithmic) *logarithmic = true;
        return Histogram::logarithmic(config.bins, lo, hi);  // zeros land in the first bin
      }
    }
  }
  double lo = quantileOfSorted(sorted, config.tailFraction),
         hi = quantileOfSorted(sorted, 1 - config.tailFraction);
  if (!(hi > lo)) {
    lo = sorted.front();
    hi = sorted.back();
  }
  if (!(hi > lo)) {  // a constant feature (e.g. an always-empty layer): one bin around it
    const double half = std::max(0.5 * std::abs(lo), 0.5);
    lo -= half;
    hi += half;
  }
  return Histogram::uniform(config.bins, lo, hi);
}

std::vector<FeatureComparison> compareFeatures(const ShowerFeatures& reference,
                                               const ShowerFeatures& generated,
                                               const HistogramConfig& config) {
  if (reference.columns.size() != generated.columns.size()) {
    throw InputError("evaluation: reference and generated features come from different geometries");
  }
  std::vector<FeatureComparison> out;
  for (std::size_t c = 0; c < reference.columns.size(); ++c) {
    const auto& ref = reference.columns[c];
    const auto& gen = generated.columns[c];
    if (ref.name != gen.name)
      throw InputError("evaluation: feature lists differ between the samples");
    FeatureComparison comparison;
    comparison.column = &ref;
    comparison.reference = featureHistogram(ref, config, &comparison.logarithmic);
    comparison.generated = Histogram(comparison.reference.edges());
    comparison.reference.fill(ref.values);
    comparison.generated.fill(gen.values);
    comparison.reference = comparison.reference.withOverflowInEdgeBins();
    comparison.generated = comparison.generated.withOverflowInEdgeBins();
    comparison.separationPower = separationPower(comparison.reference, comparison.generated);
    comparison.chi2 = chi2Test(comparison.reference, comparison.generated);
    comparison.referenceMean = mean(ref.values);
    comparison.generatedMean = mean(gen.values);
    out.push_back(std::move(comparison));
  }
  return out;
}

nlohmann::json toJson(const FeatureComparison& c) {
  auto j = toJson(c.chi2);
  j["name"] = c.column->name;
  j["kind"] = featureKindName(c.column->kind);
  j["layer"] = c.column->layerId;
  j["unit"] = c.column->unit;
  j["separation_power"] = c.separationPower;
  j["reference_mean"] = c.referenceMean;
  j["generated_mean"] = c.generatedMean;
  j["bins"] = c.reference.bins();
  j["logarithmic_bins"] = c.logarithmic;
  j["range"] = {c.reference.edges().front(), c.reference.edges().back()};
  return j;
}

}  // namespace bolo
