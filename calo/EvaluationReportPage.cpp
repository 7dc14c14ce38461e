// The HTML page of `bolo evaluate` (see EvaluationReport.hpp), built from the JSON report.

#include <fmt/format.h>

#include <cmath>

#include "calo/EvaluationReport.hpp"

namespace bolo {

namespace fs = std::filesystem;

namespace {

std::string formatNumber(double x) {
  return std::isfinite(x) ? fmt::format("{:.4g}", x) : "n/a";
}

std::string chi2Cell(const Chi2Result& r) {
  return formatNumber(r.chi2PerNdf());
}

fs::path pngOf(const std::vector<fs::path>& images) {
  for (const auto& image : images) {
    if (image.extension() == ".png") return image;
  }
  return {};
}

}  // namespace

HtmlDocument evaluationPage(const nlohmann::json& report,
                            const std::vector<FeatureComparison>& features,
                            const std::vector<std::vector<fs::path>>& featureImages,
                            const std::optional<Chi2OverEnergyPoints>& points,
                            const std::vector<fs::path>& pointImages,
                            const std::vector<fs::path>& responseImages) {
  HtmlDocument doc;
  doc.title = "Bolo shower evaluation";
  doc.subtitle =
      fmt::format("generated {} against reference {}, geometry {}, {}",
                  report["generated"]["path"].get<std::string>(),
                  report["reference"]["path"].get<std::string>(),
                  report["geometry"]["path"].get<std::string>(), report["date"].get<std::string>());
  std::vector<std::vector<std::string>> summary = {
      {"reference showers", std::to_string(report["reference"]["showers"].get<std::size_t>())},
      {"generated showers", std::to_string(report["generated"]["showers"].get<std::size_t>())},
      {"mean separation power over features",
       formatNumber(report["separation_power_mean"].get<double>())},
      {"chi2/NDF over features (sum chi2 / sum NDF)",
       formatNumber(report["features_chi2"]["chi2_per_ndf"].is_null()
                        ? NAN
                        : report["features_chi2"]["chi2_per_ndf"].get<double>())}};
  if (points)
    summary.push_back(
        {"E_total/E_inc chi2/NDF combined over energy points", chi2Cell(points->combined)});
  for (const auto& [input, result] : report["classifier"].items()) {
    if (!result.is_object() || !result.contains("auc")) continue;
    summary.push_back(
        {fmt::format("classifier AUC ({})", input), formatNumber(result["auc"].get<double>())});
    summary.push_back(
        {fmt::format("classifier JSD ({})", input), formatNumber(result["jsd"].get<double>())});
  }
  doc.sections.push_back({"Summary", htmlTable({"metric", "value"}, summary), {}});

  std::vector<std::vector<std::string>> classifierRows;
  for (const auto& [input, result] : report["classifier"].items()) {
    if (!result.is_object() || !result.contains("auc")) continue;
    classifierRows.push_back({input, formatNumber(result["auc"].get<double>()),
                              formatNumber(result["jsd"].get<double>()),
                              formatNumber(result["accuracy"].get<double>()),
                              formatNumber(result["auc_uncalibrated"].get<double>()),
                              std::to_string(result["best_epoch"].get<int>()) + " / " +
                                  std::to_string(result["epochs_run"].get<int>()),
                              std::to_string(result["showers_per_class"].get<std::size_t>())});
  }
  std::string classifierHtml =
      "<p>A network trained to tell generated (label 0) from reference (label 1) showers; figures "
      "on the "
      "test split after isotonic calibration. AUC 0.5 and JSD 0 mean indistinguishable.</p>\n";
  if (classifierRows.empty()) {
    classifierHtml += "<p>" +
                      htmlEscape(report["classifier"].value("skipped", std::string("not run"))) +
                      "</p>\n";
  } else {
    classifierHtml += htmlTable({"inputs", "AUC", "JSD", "accuracy", "AUC (uncalibrated)",
                                 "best epoch", "showers per class"},
                                classifierRows);
  }
  doc.sections.push_back({"Classifier test", classifierHtml, {}});

  if (points) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& p : points->points) {
      rows.push_back({fmt::format("{:.6g}", p.energyMeV), std::to_string(p.referenceShowers),
                      std::to_string(p.generatedShowers),
                      p.generatedShowers ? formatNumber(p.chi2.chi2) : "n/a",
                      std::to_string(p.chi2.ndf), p.generatedShowers ? chi2Cell(p.chi2) : "n/a",
                      p.generatedShowers ? formatNumber(p.separationPower) : "n/a"});
    }
    rows.push_back({"combined", "", "", formatNumber(points->combined.chi2),
                    std::to_string(points->combined.ndf), chi2Cell(points->combined), ""});
    HtmlSection section{
        "E_total / E_inc per incident energy",
        htmlTable({"E_inc [MeV]", "reference", "generated", "chi2", "NDF", "chi2/NDF", "S"}, rows),
        {}};
    if (const auto png = pngOf(pointImages); !png.empty())
      section.images.push_back({png, "E_total / E_inc per energy point"});
    doc.sections.push_back(section);
  }

  if (report.contains("response") && report["response"].is_array() && !report["response"].empty()) {
    auto cell = [](const nlohmann::json& v) {
      return v.is_number() ? formatNumber(v.get<double>()) : std::string("n/a");
    };
    std::vector<std::vector<std::string>> rows;
    for (const auto& p : report["response"]) {
      rows.push_back(
          {fmt::format("{:.6g}", p["energy_mev"].get<double>()), cell(p["reference"]["mean"]),
           cell(p["generated"]["mean"]), cell(p["mean_ratio"]), cell(p["reference"]["rms"]),
           cell(p["generated"]["rms"]), cell(p["rms_ratio"]), cell(p["reference"]["rms90"]),
           cell(p["generated"]["rms90"]), cell(p["rms90_ratio"])});
    }
    HtmlSection section{
        "Response and resolution versus incident energy",
        "<p>Mean, rms and rms90 (the rms of the narrowest window holding 90 % of the showers, "
        "the resolution of the core without the far tails) of E_total / E_inc at each "
        "incident-energy point; ratios are GAN / reference.</p>\n" +
            htmlTable(
                {"E_inc [MeV]", "mean (reference)", "mean (GAN)", "mean ratio", "rms (reference)",
                 "rms (GAN)", "rms ratio", "rms90 (reference)", "rms90 (GAN)", "rms90 ratio"},
                rows),
        {}};
    if (const auto png = pngOf(responseImages); !png.empty())
      section.images.push_back({png, "Response and resolution versus incident energy"});
    doc.sections.push_back(section);
  }

  std::vector<std::vector<std::string>> rows;
  HtmlSection featureSection{"High-level features", "", {}};
  for (std::size_t i = 0; i < features.size(); ++i) {
    const auto& f = features[i];
    rows.push_back({f.column->name, formatNumber(f.separationPower), chi2Cell(f.chi2),
                    formatNumber(f.referenceMean), formatNumber(f.generatedMean)});
    if (const auto png = pngOf(featureImages[i]); !png.empty())
      featureSection.images.push_back({png, f.column->title});
  }
  featureSection.bodyHtml =
      "<p>Reference filled, generated as a line; lower panels show generated / reference. S is the "
      "separation power (0 identical, 1 disjoint).</p>\n" +
      htmlTable({"feature", "separation power", "chi2/NDF", "reference mean", "generated mean"},
                rows);
  doc.sections.push_back(featureSection);
  doc.sections.push_back(
      {"How to read this page",
       "<p>Definitions of every number are in docs/evaluation.md of the Bolo sources; the same "
       "numbers are in evaluation.json beside this page, the plots (PNG, PDF, SVG with their "
       "gnuplot scripts and data) in plots/.</p>\n",
       {}});
  return doc;
}

}  // namespace bolo
