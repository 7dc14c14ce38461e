#include "ftag/FlavourPerformance.hpp"

#include <fmt/format.h>

#include <cmath>

#include "common/Error.hpp"
#include "common/GnuplotFigure.hpp"

namespace bolo {

namespace fs = std::filesystem;

namespace {

std::vector<double> rocEfficiencies() {
  return efficiencyGrid(0.5, 0.95, 46);
}

}  // namespace

TaggerPerformance evaluateMulticlass(const std::string& name, const TaggerScores& scores,
                                     double fc) {
  TaggerPerformance p;
  p.name = name;
  p.fc = fc;
  const auto d = discriminantsDb(scores, fc);
  p.workingPoints = rocCurve(d, scores.labels, standardWorkingPoints());
  p.roc = rocCurve(d, scores.labels, rocEfficiencies());
  p.fcScan = fcScan(scores, fcGrid(51), kFcScanEfficiency);
  return p;
}

TaggerPerformance evaluateSingleScore(const std::string& name, const TaggerScores& scores) {
  if (scores.classes != 1)
    throw InputError(fmt::format("{}: expected one score per jet, got {}", name, scores.classes));
  TaggerPerformance p;
  p.name = name;
  std::vector<double> d(scores.size());
  for (std::size_t i = 0; i < d.size(); ++i) {
    const double s = std::clamp(static_cast<double>(scores.probabilities[i]), 1e-12, 1 - 1e-12);
    d[i] = std::log(s / (1 - s));
  }
  p.workingPoints = rocCurve(d, scores.labels, standardWorkingPoints());
  p.roc = rocCurve(d, scores.labels, rocEfficiencies());
  return p;
}

const WorkingPoint& workingPointAt(const TaggerPerformance& performance, double bEfficiency) {
  for (const auto& wp : performance.workingPoints) {
    if (std::abs(wp.targetBEfficiency - bEfficiency) < 1e-9) return wp;
  }
  throw InputError(fmt::format("{}: no working point at {} % b-efficiency", performance.name,
                               100 * bEfficiency));
}

nlohmann::json toJson(const TaggerPerformance& p) {
  nlohmann::json wps = nlohmann::json::array(), roc = nlohmann::json::array(),
                 scan = nlohmann::json::array();
  for (const auto& wp : p.workingPoints) wps.push_back(toJson(wp));
  for (const auto& wp : p.roc) {
    roc.push_back(
        {{"b_efficiency", wp.b.value},
         {"c_rejection",
          wp.cRejection.finite() ? nlohmann::json(wp.cRejection.value) : nlohmann::json()},
         {"light_rejection", wp.lightRejection.finite() ? nlohmann::json(wp.lightRejection.value)
                                                        : nlohmann::json()}});
  }
  for (const auto& f : p.fcScan) {
    scan.push_back({{"f_c", f.fc},
                    {"c_rejection", toJson(f.workingPoint.cRejection)},
                    {"light_rejection", toJson(f.workingPoint.lightRejection)}});
  }
  nlohmann::json out = {{"name", p.name}, {"working_points", wps}, {"roc", roc}};
  if (p.fc) {
    out["f_c"] = *p.fc;
    out["f_c_scan"] = {{"b_efficiency", kFcScanEfficiency}, {"points", scan}};
  }
  return out;
}

std::vector<fs::path> drawPerformancePlots(const fs::path& dir,
                                           const std::vector<TaggerPerformance>& taggers,
                                           const std::optional<TaggerPerformance>& bdt) {
  std::vector<const TaggerPerformance*> all;
  for (const auto& t : taggers) all.push_back(&t);
  if (bdt) all.push_back(&*bdt);
  std::vector<fs::path> images;
  for (const char* flavour : {"light", "c"}) {
    GnuplotFigure figure;
    figure.stem = dir / fmt::format("roc_{}", flavour);
    std::string plots;
    for (std::size_t k = 0; k < all.size(); ++k) {
      std::string block = "# b_efficiency rejection uncertainty\n";
      for (const auto& wp : all[k]->roc) {
        const auto& r = std::string(flavour) == "light" ? wp.lightRejection : wp.cRejection;
        if (r.finite())
          block += fmt::format("{:.5f} {:.6g} {:.6g}\n", wp.b.value, r.value, r.uncertainty);
      }
      figure.data[fmt::format("t{}", k)] = block;
      const bool isBdt = bdt && k + 1 == all.size();
      plots +=
          fmt::format("{}data_t{} using 1:2 with lines lw 2 {} title {}", plots.empty() ? "" : ", ",
                      k, isBdt ? "dt 2 lc rgb 'red'" : "", gnuplotQuote(all[k]->name));
    }
    figure.script = fmt::format(
        "set xlabel 'b-jet efficiency'\nset ylabel '{}-jet rejection'\nset logscale y\nset grid\n"
        "set key top right\nset title '{}-jet rejection versus b-jet efficiency (test jets)'\nplot "
        "{}\n",
        flavour, flavour, plots);
    for (auto& image : renderFigure(figure)) images.push_back(image);
  }
  // f_c scan: one curve per multiclass tagger, the BDT's single working point as a star.
  GnuplotFigure figure;
  figure.stem = dir / "fc_scan";
  std::string plots;
  for (std::size_t k = 0; k < taggers.size(); ++k) {
    std::string block = "# c_rejection light_rejection f_c\n";
    for (const auto& f : taggers[k].fcScan) {
      const auto& wp = f.workingPoint;
      if (wp.cRejection.finite() && wp.lightRejection.finite()) {
        block += fmt::format("{:.6g} {:.6g} {:.3f}\n", wp.cRejection.value, wp.lightRejection.value,
                             f.fc);
      }
    }
    figure.data[fmt::format("t{}", k)] = block;
    plots += fmt::format("{}data_t{} using 1:2 with linespoints pt 7 ps 0.5 lw 2 title {}",
                         plots.empty() ? "" : ", ", k, gnuplotQuote(taggers[k].name));
  }
  if (bdt) {
    const auto& wp = workingPointAt(*bdt, kFcScanEfficiency);
    if (wp.cRejection.finite() && wp.lightRejection.finite()) {
      figure.data["bdt"] =
          fmt::format("{:.6g} {:.6g} {:.6g} {:.6g}\n", wp.cRejection.value, wp.lightRejection.value,
                      wp.cRejection.uncertainty, wp.lightRejection.uncertainty);
      plots += fmt::format(
          "{}data_bdt using 1:2:3:4 with xyerrorbars pt 3 ps 3 lw 2 lc rgb 'red' title {}",
          plots.empty() ? "" : ", ", gnuplotQuote(bdt->name));
    }
  }
  if (!plots.empty()) {
    figure.script = fmt::format(
        "set xlabel 'c-jet rejection'\nset ylabel 'light-jet rejection'\nset logscale y\nset "
        "grid\nset key top right\n"
        "set title 'Rejections at {:.0f}% b-jet efficiency while f_c varies from 0 to 1'\nplot "
        "{}\n",
        100 * kFcScanEfficiency, plots);
    for (auto& image : renderFigure(figure)) images.push_back(image);
  }
  return images;
}

}  // namespace bolo
