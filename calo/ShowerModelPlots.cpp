#include "calo/ShowerModelPlots.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <numbers>

#include "calo/ShowerModelCommon.hpp"
#include "common/GnuplotFigure.hpp"

namespace bolo {

namespace fs = std::filesystem;

namespace {

struct PointAccumulator {
  std::size_t events = 0;
  double sumResponse = 0, sumResponse2 = 0;
  std::vector<double> layerFraction;  // sum over showers of E_layer / E_inc
  std::vector<double> radialDensity;  // middle layer: sum of E / E_inc / area (1/mm^2)
};

/// Energy points to draw profiles for: at most four, spread over the range.
std::vector<double> profileEnergies(const std::map<double, PointAccumulator>& points) {
  std::vector<double> all;
  for (const auto& [energy, point] : points) all.push_back(energy);
  if (all.size() <= 4) return all;
  std::vector<double> chosen;
  for (int i = 0; i < 4; ++i)
    chosen.push_back(all[(all.size() - 1) * static_cast<std::size_t>(i) / 3]);
  return chosen;
}

std::string energyLabel(double mev) {
  return mev >= 1000 ? fmt::format("{:g} GeV", mev / 1000) : fmt::format("{:g} MeV", mev);
}

}  // namespace

std::vector<fs::path> plotSimulationSummary(const ShowerFileReader& reader,
                                            const ShowerGeometry& geometry, Particle particle,
                                            const fs::path& dir) {
  const auto& layers = geometry.layers();
  std::size_t middle = 0;
  for (std::size_t l = 0; l < layers.size(); ++l) {
    if (layers[l].id == 2) middle = l;
  }
  const CaloLayer& mid = layers[middle];
  std::map<double, PointAccumulator> points;
  reader.forEachChunk(5000, [&](const ShowerBatch& chunk, std::size_t) {
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      const double energy = chunk.incidentEnergies[i];
      auto& point = points[energy];
      if (point.events == 0) {
        point.layerFraction.assign(layers.size(), 0.0);
        point.radialDensity.assign(static_cast<std::size_t>(mid.radialBins()), 0.0);
      }
      const float* row = chunk.row(i);
      double total = 0;
      for (std::size_t l = 0; l < layers.size(); ++l) {
        double layerSum = 0;
        for (std::size_t v = layers[l].firstVoxel; v < layers[l].endVoxel(); ++v)
          layerSum += row[v];
        point.layerFraction[l] += layerSum / energy;
        total += layerSum;
      }
      for (int a = 0; a < mid.alphaBins; ++a) {
        for (int r = 0; r < mid.radialBins(); ++r) {
          point.radialDensity[static_cast<std::size_t>(r)] +=
              row[geometry.voxelIndex(middle, a, r)] / energy;
        }
      }
      ++point.events;
      point.sumResponse += total / energy;
      point.sumResponse2 += total / energy * (total / energy);
    }
  });

  const std::string name = particleName(particle);
  std::vector<fs::path> images;
  auto render = [&](GnuplotFigure& figure) {
    for (auto& image : renderFigure(figure)) images.push_back(image);
  };
  const auto energies = profileEnergies(points);

  // Longitudinal: mean fraction of E_inc per layer, layers at their mid-depth in X0.
  GnuplotFigure longitudinal;
  longitudinal.stem = dir / fmt::format("sim_{}_longitudinal", name);
  std::string plot = "plot ";
  for (std::size_t k = 0; k < energies.size(); ++k) {
    const auto& point = points.at(energies[k]);
    std::string block = "# depth_x0 layer mean_fraction\n";
    for (std::size_t l = 0; l < layers.size(); ++l) {
      for (const auto& reference : referenceLayers()) {
        if (reference.id != layers[l].id) continue;
        block +=
            fmt::format("{:.3f} {} {:.6g}\n", 0.5 * (reference.x0Begin + reference.x0End),
                        layers[l].id, point.layerFraction[l] / static_cast<double>(point.events));
      }
    }
    const std::string key = fmt::format("e{}", k);
    longitudinal.data[key] = block;
    plot += fmt::format("{}data_{} using 1:3 with linespoints lw 2 title {}", k ? ", " : "", key,
                        gnuplotQuote(energyLabel(energies[k])));
  }
  longitudinal.script = fmt::format(
      "set title {}\nset xlabel 'layer mid-depth [X_0] (layers 0, 1, 2, 3, 12, 13, 14)'\n"
      "set ylabel 'mean E_{{layer}} / E_{{inc}}'\nset logscale y\nset grid\nset key top right\n{}",
      gnuplotQuote(fmt::format("Bolo reference {}: mean longitudinal profile", name)), plot);
  render(longitudinal);

  // Radial: mean energy density in the middle EM layer versus radius.
  GnuplotFigure radial;
  radial.stem = dir / fmt::format("sim_{}_radial", name);
  plot = "plot ";
  for (std::size_t k = 0; k < energies.size(); ++k) {
    const auto& point = points.at(energies[k]);
    std::string block = "# r_mm density_per_mm2 (E / E_inc per mm^2)\n";
    for (int r = 0; r < mid.radialBins(); ++r) {
      const double lo = mid.rEdges[static_cast<std::size_t>(r)],
                   hi = mid.rEdges[static_cast<std::size_t>(r) + 1];
      const double area = std::numbers::pi * (hi * hi - lo * lo);
      const double density = point.radialDensity[static_cast<std::size_t>(r)] /
                             static_cast<double>(point.events) / area;
      if (density > 0) block += fmt::format("{:.2f} {:.6g}\n", 0.5 * (lo + hi), density);
    }
    const std::string key = fmt::format("e{}", k);
    radial.data[key] = block;
    plot += fmt::format("{}data_{} using 1:2 with linespoints lw 2 title {}", k ? ", " : "", key,
                        gnuplotQuote(energyLabel(energies[k])));
  }
  radial.script = fmt::format(
      "set title {}\nset xlabel 'r [mm]'\nset ylabel 'mean E / E_{{inc}} per mm^2'\n"
      "set logscale xy\nset grid\nset key top right\n{}",
      gnuplotQuote(fmt::format("Bolo reference {}: radial profile of layer 2 (EM middle)", name)),
      plot);
  render(radial);

  // Response and resolution versus energy.
  GnuplotFigure response;
  response.stem = dir / fmt::format("sim_{}_response", name);
  std::string block = "# e_inc_gev mean_response relative_resolution\n";
  for (const auto& [energy, point] : points) {
    const double n = static_cast<double>(point.events);
    const double mean = point.sumResponse / n;
    const double rms = std::sqrt(std::max(0.0, point.sumResponse2 / n - mean * mean));
    block += fmt::format("{:.6g} {:.6g} {:.6g}\n", energy / 1000, mean, rms / mean);
  }
  response.data["points"] = block;
  const std::string reference =
      particle == Particle::kPhotons
          ? "sqrt((0.10/sqrt(x))**2 + 0.007**2) title '10%/sqrt(E) (+) 0.7%'"
          : "sqrt((0.50/sqrt(x))**2 + 0.03**2) title '50%/sqrt(E) (+) 3%'";
  response.script = fmt::format(
      "set title {}\nset logscale x\nset xlabel 'E_{{inc}} [GeV]'\nset grid\nset key top right\n"
      "set ylabel 'mean E_{{total}} / E_{{inc}}'\nset y2label 'sigma / mean'\nset logscale y2\n"
      "set ytics nomirror\nset y2tics\n"
      "plot data_points using 1:2 axes x1y1 with linespoints lw 2 title 'response', "
      "data_points using 1:3 axes x1y2 with linespoints lw 2 title 'resolution', "
      "{} axes x1y2 with lines dt 2",
      gnuplotQuote(fmt::format("Bolo reference {}: response and resolution", name)), reference);
  render(response);
  return images;
}

}  // namespace bolo
