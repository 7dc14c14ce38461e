#pragma once
// Histogram comparison of generated against reference showers for `bolo evaluate`: one
// histogram pair per high-level feature with its separation power and chi2/NDF, the
// E_total / E_inc chi2 per incident-energy point, the plots, and the JSON report.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "calo/Chi2EnergyPoints.hpp"
#include "calo/ShowerFeatures.hpp"
#include "common/Chi2Test.hpp"
#include "common/Histogram.hpp"
#include "common/HtmlReport.hpp"

namespace bolo {

/// The "histograms" section of evaluate.json.
struct HistogramConfig {
  int bins = 50;                 ///< bins per feature histogram
  double tailFraction = 0.001;   ///< edges span the reference's [q, 1 - q] quantiles; the rest
                                 ///< of both samples is counted in the edge bins
  int energyPointBins = 30;      ///< bins of each per-energy-point E_total / E_inc histogram
  double sparsityThreshold = 0;  ///< MeV; voxels at or below it count as empty
  /// MeV; lowest edge of log-binned layer energies (the CaloChallenge's dataset-1 value),
  /// lower energies count in the first bin
  double minLayerEnergy = 10;
};

HistogramConfig histogramConfigFromJson(const nlohmann::json& json, const std::string& path);
nlohmann::json toJson(const HistogramConfig& config);

struct FeatureComparison {
  const FeatureColumn* column = nullptr;  ///< the reference's column (name, title, unit, kind)
  bool logarithmic = false;               ///< log-spaced bins (layer energies spanning decades)
  Histogram reference{{0.0, 1.0}};
  Histogram generated{{0.0, 1.0}};
  double separationPower = 0;
  Chi2Result chi2;
  double referenceMean = 0, generatedMean = 0;
};

/// Edges for one feature, from the reference values only (so that every generated sample is
/// binned the same way): uniform over the [q, 1 - q] quantile range, or logarithmic for layer
/// energies whose values above minLayerEnergy span more than two decades.
Histogram featureHistogram(const FeatureColumn& reference, const HistogramConfig& config,
                           bool* logarithmic);

/// Compare every feature of `generated` with the same feature of `reference` (same geometry).
std::vector<FeatureComparison> compareFeatures(const ShowerFeatures& reference,
                                               const ShowerFeatures& generated,
                                               const HistogramConfig& config);

nlohmann::json toJson(const FeatureComparison& comparison);

/// Figures of the comparison (gnuplot, see GnuplotFigure.hpp): one per feature with a ratio
/// panel, and one grid of E_total / E_inc histograms per energy point. Returns the image paths
/// (in `formats` order per figure), or none where gnuplot is missing.
std::vector<std::filesystem::path> plotFeatureComparison(const FeatureComparison& comparison,
                                                         const std::filesystem::path& directory,
                                                         const std::vector<std::string>& formats);
std::vector<std::filesystem::path> plotEnergyPoints(const Chi2OverEnergyPoints& points,
                                                    const std::filesystem::path& directory,
                                                    const std::vector<std::string>& formats);

/// The page gathering `report` (evaluation.json's content, whose "response" array, if any,
/// becomes the response and resolution table), the comparisons and their PNG images
/// (featureImages[i] belongs to features[i]) for renderHtml().
HtmlDocument evaluationPage(const nlohmann::json& report,
                            const std::vector<FeatureComparison>& features,
                            const std::vector<std::vector<std::filesystem::path>>& featureImages,
                            const std::optional<Chi2OverEnergyPoints>& points,
                            const std::vector<std::filesystem::path>& pointImages,
                            const std::vector<std::filesystem::path>& responseImages = {});

}  // namespace bolo
