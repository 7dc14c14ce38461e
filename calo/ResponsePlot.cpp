#include "calo/ResponsePlot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "calo/Chi2EnergyPoints.hpp"
#include "common/Error.hpp"
#include "common/GnuplotFigure.hpp"

namespace bolo {

namespace fs = std::filesystem;

namespace {

bool samePoint(double a, double b) {
  return std::abs(a - b) <= 1e-6 * std::max(std::abs(a), std::abs(b));
}

double ratio(double numerator, double denominator) {
  if (!std::isfinite(numerator) || !std::isfinite(denominator) || denominator == 0) return NAN;
  return numerator / denominator;
}

nlohmann::json number(double x) {
  return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr);
}

std::string text(double x) {
  return std::isfinite(x) ? fmt::format("{:.9g}", x) : "NaN";
}

/// rms about their own mean of the values [first, last).
double rmsOf(std::vector<double>::const_iterator first, std::vector<double>::const_iterator last) {
  const auto n = static_cast<double>(last - first);
  double sum = 0;
  for (auto it = first; it != last; ++it) sum += *it;
  const double mean = sum / n;
  double squares = 0;
  for (auto it = first; it != last; ++it) squares += (*it - mean) * (*it - mean);
  return std::sqrt(squares / n);
}

/// rms of the narrowest window of ceil(0.9 n) consecutive sorted values (the first on ties).
double rms90Of(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  const auto window = static_cast<std::size_t>(std::ceil(0.9 * static_cast<double>(n)));
  std::size_t best = 0;
  for (std::size_t i = 1; i + window <= n; ++i) {
    if (values[i + window - 1] - values[i] < values[best + window - 1] - values[best]) best = i;
  }
  const auto first = values.cbegin() + static_cast<std::ptrdiff_t>(best);
  return rmsOf(first, first + static_cast<std::ptrdiff_t>(window));
}

/// Mean, rms and rms90 of values already divided by E_inc.
ResponseStats statsOf(double energyMeV, const std::vector<double>& ratios) {
  ResponseStats s;
  s.energyMeV = energyMeV;
  s.showers = ratios.size();
  if (ratios.empty()) {
    s.mean = s.rms = s.rms90 = NAN;
    return s;
  }
  double sum = 0;
  for (double r : ratios) sum += r;
  s.mean = sum / static_cast<double>(ratios.size());
  s.rms = rmsOf(ratios.cbegin(), ratios.cend());
  s.rms90 = rms90Of(ratios);
  return s;
}

}  // namespace

ResponseStats responseAtEnergy(double energyMeV, const std::vector<double>& totals) {
  if (!(energyMeV > 0)) throw InputError("response: the incident energy must be positive");
  std::vector<double> ratios;
  ratios.reserve(totals.size());
  for (double t : totals) ratios.push_back(t / energyMeV);
  return statsOf(energyMeV, ratios);
}

std::vector<ResponseStats> responseByEnergy(const std::vector<double>& energies,
                                            const std::vector<double>& totals) {
  if (energies.size() != totals.size())
    throw InputError("response: one total energy per incident energy needed");
  const auto points = discreteEnergyPoints(energies);
  if (points.empty()) return {};
  std::vector<std::vector<double>> ratios(points.size());
  for (std::size_t i = 0; i < energies.size(); ++i) {
    const auto it = std::lower_bound(points.begin(), points.end(), energies[i]);
    std::size_t p = static_cast<std::size_t>(it - points.begin());
    if (p == points.size() || !samePoint(points[p], energies[i])) --p;  // just below a point
    ratios[p].push_back(totals[i] / energies[i]);
  }
  std::vector<ResponseStats> out;
  for (std::size_t p = 0; p < points.size(); ++p) out.push_back(statsOf(points[p], ratios[p]));
  return out;
}

std::vector<ResponsePoint> compareResponse(const std::vector<ResponseStats>& reference,
                                           const std::vector<ResponseStats>& generated) {
  std::vector<ResponsePoint> out;
  for (const auto& ref : reference) {
    ResponsePoint p;
    p.energyMeV = ref.energyMeV;
    p.reference = ref;
    const auto it = std::find_if(generated.begin(), generated.end(), [&](const ResponseStats& g) {
      return samePoint(g.energyMeV, ref.energyMeV);
    });
    if (it != generated.end()) {
      p.generated = *it;
    } else {
      p.generated.energyMeV = ref.energyMeV;
      p.generated.mean = p.generated.rms = p.generated.rms90 = NAN;
    }
    p.meanRatio = ratio(p.generated.mean, p.reference.mean);
    p.rmsRatio = ratio(p.generated.rms, p.reference.rms);
    p.rms90Ratio = ratio(p.generated.rms90, p.reference.rms90);
    out.push_back(p);
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.energyMeV < b.energyMeV; });
  return out;
}

nlohmann::json toJson(const std::vector<ResponsePoint>& points) {
  nlohmann::json out = nlohmann::json::array();
  auto stats = [](const ResponseStats& s) {
    return nlohmann::json{{"showers", s.showers},
                          {"mean", number(s.mean)},
                          {"rms", number(s.rms)},
                          {"rms90", number(s.rms90)}};
  };
  for (const auto& p : points) {
    out.push_back({{"energy_mev", p.energyMeV},
                   {"reference", stats(p.reference)},
                   {"generated", stats(p.generated)},
                   {"mean_ratio", number(p.meanRatio)},
                   {"rms_ratio", number(p.rmsRatio)},
                   {"rms90_ratio", number(p.rms90Ratio)}});
  }
  return out;
}

std::vector<fs::path> plotResponse(const std::vector<ResponsePoint>& points, const fs::path& stem,
                                   const std::string& title,
                                   const std::vector<std::string>& formats) {
  // Columns: E [GeV], mean, error of the mean (rms / sqrt n), rms, its error (rms / sqrt 2n).
  auto row = [](const ResponseStats& s) {
    const double n = static_cast<double>(s.showers);
    return fmt::format("{} {} {} {} {}\n", text(s.energyMeV / 1000), text(s.mean),
                       text(s.rms / std::sqrt(n)), text(s.rms), text(s.rms / std::sqrt(2 * n)));
  };
  std::string ref = "# E_inc_GeV mean mean_error rms rms_error\n", gen = ref;
  std::string ratios = "# E_inc_GeV mean_ratio rms_ratio\n";
  std::size_t generatedPoints = 0;
  for (const auto& p : points) {
    if (p.reference.showers > 0) ref += row(p.reference);
    if (p.generated.showers > 0) {
      gen += row(p.generated);
      ++generatedPoints;
    }
    if (std::isfinite(p.meanRatio) || std::isfinite(p.rmsRatio))
      ratios +=
          fmt::format("{} {} {}\n", text(p.energyMeV / 1000), text(p.meanRatio), text(p.rmsRatio));
  }
  if (generatedPoints == 0) return {};
  // One x range for the three panels, half a factor two beyond the outer points.
  double lo = points.front().energyMeV / 1000, hi = lo;
  for (const auto& p : points) {
    lo = std::min(lo, p.energyMeV / 1000);
    hi = std::max(hi, p.energyMeV / 1000);
  }
  fs::create_directories(stem.parent_path());
  GnuplotFigure figure;
  figure.stem = stem;
  figure.heightPixels = 1000;
  figure.data["reference"] = ref;
  figure.data["generated"] = gen;
  figure.data["ratio"] = ratios;
  figure.script = fmt::format(
      "set multiplot title {}\n"
      "set logscale x\nset xrange [{:.6g}:{:.6g}]\nset grid\nset key top right\n"
      "set lmargin at screen 0.12\nset rmargin at screen 0.95\n"
      "set format x ''\n"
      "set tmargin at screen 0.92\nset bmargin at screen 0.64\n"
      "set ylabel 'mean E_{{tot}}/E_{{inc}}'\n"
      "plot data_reference using 1:2:3 with yerrorbars pt 7 ps 0.9 lc rgb 'black' title "
      "'reference', \\\n"
      "     data_generated using 1:2:3 with yerrorbars pt 6 ps 1.2 lw 1.5 lc rgb 'red' title "
      "'GAN'\n"
      "set tmargin at screen 0.62\nset bmargin at screen 0.36\n"
      "set ylabel 'rms E_{{tot}}/E_{{inc}}'\n"
      "plot data_reference using 1:4:5 with yerrorbars pt 7 ps 0.9 lc rgb 'black' title "
      "'reference', \\\n"
      "     data_generated using 1:4:5 with yerrorbars pt 6 ps 1.2 lw 1.5 lc rgb 'red' title "
      "'GAN'\n"
      "set tmargin at screen 0.34\nset bmargin at screen 0.08\n"
      "set format x '%g'\nset xlabel 'E_{{inc}} [GeV]'\n"
      "set ylabel 'GAN / reference'\n"
      "plot data_ratio using 1:2 with linespoints pt 7 ps 1 lc rgb 'red' title 'mean', \\\n"
      "     data_ratio using 1:3 with linespoints pt 5 ps 1 dt 2 lc rgb 'blue' title 'rms', \\\n"
      "     1 with lines lc rgb 'black' notitle\n"
      "unset multiplot\n",
      gnuplotQuote(title), lo / std::sqrt(2.0), hi * std::sqrt(2.0));
  return renderFigure(figure, formats);
}

}  // namespace bolo
