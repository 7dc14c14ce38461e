// The figures of EvaluationReport.hpp: gnuplot scripts with their data written beside them.

#include <fmt/format.h>

#include <cmath>

#include "calo/EvaluationReport.hpp"
#include "common/GnuplotFigure.hpp"

namespace bolo {

namespace fs = std::filesystem;

namespace {

constexpr const char* kReferenceColour = "#1f77b4";
constexpr const char* kGeneratedColour = "#d62728";

std::string number(double x) {
  return std::isfinite(x) ? fmt::format("{:.9g}", x) : "NaN";
}

std::string chi2Text(const Chi2Result& r) {
  const double perNdf = r.chi2PerNdf();
  return std::isfinite(perNdf) ? fmt::format("{:.3g}", perNdf) : "n/a";
}

/// Density per unit x, or per bin (fractions) where bins are log-spaced and a density per
/// unit x would only show the changing bin widths.
std::vector<double> heights(const Histogram& h, bool perBin) {
  if (!perBin) return h.densities();
  std::vector<double> out(h.contents());
  const double sum = h.integral();
  for (auto& v : out) v = sum > 0 ? v / sum : 0.0;
  return out;
}

/// Columns: low high centre reference-height generated-height ratio ratio-error.
std::string histogramBlock(const Histogram& reference, const Histogram& generated,
                           bool perBin = false) {
  const auto refDensity = heights(reference, perBin), genDensity = heights(generated, perBin);
  std::string out = "# low high centre reference_density generated_density ratio ratio_error\n";
  for (int i = 0; i < reference.bins(); ++i) {
    const auto k = static_cast<std::size_t>(i);
    const double nr = reference.content(i), ng = generated.content(i);
    double ratio = NAN, error = NAN;
    if (refDensity[k] > 0) {
      ratio = genDensity[k] / refDensity[k];
      error = ng > 0 ? ratio * std::sqrt(1 / ng + 1 / nr) : NAN;
    }
    out += fmt::format("{} {} {} {} {} {} {}\n", number(reference.lowEdge(i)),
                       number(reference.highEdge(i)), number(reference.centre(i)),
                       number(refDensity[k]), number(genDensity[k]), number(ratio), number(error));
  }
  return out;
}

/// Step outline of the generated density: left edges, plus the last right edge.
std::string stepsBlock(const Histogram& h, bool perBin = false) {
  const auto density = heights(h, perBin);
  std::string out;
  for (int i = 0; i < h.bins(); ++i) {
    out +=
        fmt::format("{} {}\n", number(h.lowEdge(i)), number(density[static_cast<std::size_t>(i)]));
  }
  out += fmt::format("{} {}\n", number(h.highEdge(h.bins() - 1)), number(density.back()));
  return out;
}

std::string overlayCommand(const std::string& hist, const std::string& steps, bool withKey) {
  return fmt::format(
      "plot {0} using 3:4:($2-$1) with boxes lc rgb '{2}' {4}, \\\n"
      "     {1} using 1:2 with steps lw 2 lc rgb '{3}' {5}\n",
      hist, steps, kReferenceColour, kGeneratedColour, withKey ? "title 'reference'" : "notitle",
      withKey ? "title 'generated'" : "notitle");
}

}  // namespace

std::vector<fs::path> plotFeatureComparison(const FeatureComparison& c, const fs::path& directory,
                                            const std::vector<std::string>& formats) {
  GnuplotFigure figure;
  figure.stem = directory / ("feature_" + c.column->name);
  figure.widthPixels = 800;
  figure.heightPixels = 640;
  figure.data["hist"] = histogramBlock(c.reference, c.generated, c.logarithmic);
  figure.data["steps"] = stepsBlock(c.generated, c.logarithmic);
  const std::string xLabel = c.column->unit.empty()
                                 ? c.column->title
                                 : fmt::format("{} [{}]", c.column->title, c.column->unit);
  const std::string title = fmt::format("{}   (S = {:.3g}, chi2/NDF = {})", c.column->title,
                                        c.separationPower, chi2Text(c.chi2));
  std::string s;
  s += "set multiplot\nset lmargin at screen 0.13\nset rmargin at screen 0.97\n";
  s += "set tmargin at screen 0.92\nset bmargin at screen 0.36\n";
  s += fmt::format("set title {} noenhanced\n", gnuplotQuote(title));
  s += fmt::format("set ylabel '{}' noenhanced\nset format x ''\nset key top right\n",
                   c.logarithmic ? "fraction of showers" : "probability density");
  s += "set style fill transparent solid 0.35 noborder\n";
  if (c.logarithmic) s += "set logscale x\n";
  s += fmt::format("set xrange [{}:{}]\n", number(c.reference.edges().front()),
                   number(c.reference.edges().back()));
  s += "set yrange [0:*]\n";
  s += overlayCommand("data_hist", "data_steps", true);
  s += "unset title\nset tmargin at screen 0.36\nset bmargin at screen 0.11\n";
  s += fmt::format("set format x '%g'\nset xlabel {} noenhanced\n", gnuplotQuote(xLabel));
  s +=
      "set ylabel 'gen. / ref.' noenhanced\nset yrange [0:2]\nset ytics (0.5, 1, 1.5)\nunset key\n";
  s += fmt::format(
      "plot 1 with lines dt 2 lc rgb 'gray40', data_hist using 3:6:7 with yerrorbars pt 7 ps 0.5 "
      "lc rgb '{}'\n",
      kGeneratedColour);
  s += "unset multiplot\n";
  figure.script = s;
  return renderFigure(figure, formats);
}

std::vector<fs::path> plotEnergyPoints(const Chi2OverEnergyPoints& points,
                                       const fs::path& directory,
                                       const std::vector<std::string>& formats) {
  GnuplotFigure figure;
  figure.stem = directory / "etot_over_einc_per_energy";
  const int columns = 4;
  const int rows = static_cast<int>((points.points.size() + columns - 1) / columns);
  figure.widthPixels = 1400;
  figure.heightPixels = 300 * rows + 60;
  std::string s = fmt::format(
      "set multiplot layout {},{} title {} noenhanced\n", rows, columns,
      gnuplotQuote(fmt::format("E_total / E_inc per incident energy: combined chi2/NDF = {}",
                               chi2Text(points.combined))));
  s += "set style fill transparent solid 0.35 noborder\nset key top left font ',8'\nset tics font "
       "',8'\n";
  for (std::size_t p = 0; p < points.points.size(); ++p) {
    const auto& point = points.points[p];
    const std::string hist = fmt::format("p{}", p), steps = fmt::format("s{}", p);
    const std::string energy = point.energyMeV >= 1000
                                   ? fmt::format("{:.4g} GeV", point.energyMeV / 1000)
                                   : fmt::format("{:.4g} MeV", point.energyMeV);
    s += fmt::format(
        "set title {} noenhanced font ',10'\n",
        gnuplotQuote(point.generatedShowers == 0
                         ? fmt::format("{}: no generated showers", energy)
                         : fmt::format("{}: chi2/NDF = {}", energy, chi2Text(point.chi2))));
    s += fmt::format("set xrange [{}:{}]\n", number(point.reference.edges().front()),
                     number(point.reference.edges().back()));
    figure.data[hist] = histogramBlock(point.reference, point.generated);
    if (point.generatedShowers > 0) {
      figure.data[steps] = stepsBlock(point.generated);
      s += overlayCommand("data_" + hist, "data_" + steps, p == 0);
    } else {
      s += fmt::format("plot data_{} using 3:4:($2-$1) with boxes lc rgb '{}' notitle\n", hist,
                       kReferenceColour);
    }
  }
  s += "unset multiplot\n";
  figure.script = s;
  return renderFigure(figure, formats);
}

}  // namespace bolo
