#include "calo/ShowerSummary.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>

#include "common/Error.hpp"

namespace bolo {

void checkVoxelCount(const ShowerFileReader& reader, const ShowerGeometry& geometry) {
  if (reader.voxels() != geometry.voxelCount()) {
    throw InputError(fmt::format("{}: showers have {} voxels but geometry {} has {}",
                                 reader.path().string(), reader.voxels(), geometry.source(),
                                 geometry.voxelCount()));
  }
}

ShowerSummary summarizeShowers(const ShowerFileReader& reader,
                               const std::optional<ShowerGeometry>& geometry) {
  if (geometry) checkVoxelCount(reader, *geometry);
  ShowerSummary s;
  s.path = reader.path().string();
  s.events = reader.events();
  s.voxels = reader.voxels();
  s.precision = reader.precision() == ShowerPrecision::kFloat64 ? "float64" : "float32";
  if (s.events == 0) throw InputError(fmt::format("{}: file holds no showers", s.path));

  struct Accumulator {
    std::size_t n = 0;
    double sum = 0, sumSq = 0;
  };
  std::map<double, Accumulator> perEnergy;
  Accumulator all;
  std::vector<double> layerSums(geometry ? geometry->layers().size() : 0, 0.0);
  s.minIncidentEnergyMeV = INFINITY;
  s.maxIncidentEnergyMeV = 0;
  bool continuous = false;

  reader.forEachChunk(4096, [&](const ShowerBatch& chunk, std::size_t) {
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      const float* row = chunk.row(i);
      double total = 0;
      for (std::size_t v = 0; v < chunk.voxels; ++v) total += row[v];
      const double e = chunk.incidentEnergies[i];
      const double response = total / e;
      s.minIncidentEnergyMeV = std::min(s.minIncidentEnergyMeV, e);
      s.maxIncidentEnergyMeV = std::max(s.maxIncidentEnergyMeV, e);
      all.n++;
      all.sum += response;
      all.sumSq += response * response;
      if (!continuous) {
        auto& acc = perEnergy[e];
        acc.n++;
        acc.sum += response;
        acc.sumSq += response * response;
        if (perEnergy.size() > ShowerSummary::kMaxEnergyPoints) {
          continuous = true;
          perEnergy.clear();
        }
      }
      if (geometry) {
        const auto& layers = geometry->layers();
        for (std::size_t l = 0; l < layers.size(); ++l) {
          double sum = 0;
          for (std::size_t v = layers[l].firstVoxel; v < layers[l].endVoxel(); ++v) sum += row[v];
          layerSums[l] += sum;
        }
      }
    }
  });

  const auto finish = [](const Accumulator& a, double& mean, double& rms) {
    mean = a.sum / static_cast<double>(a.n);
    rms = std::sqrt(std::max(0.0, a.sumSq / static_cast<double>(a.n) - mean * mean));
  };
  double allRms = 0;
  finish(all, s.meanResponse, allRms);
  for (const auto& [energy, acc] : perEnergy) {
    EnergyPointSummary p;
    p.incidentEnergyMeV = energy;
    p.events = acc.n;
    finish(acc, p.meanResponse, p.rmsResponse);
    s.energyPoints.push_back(p);
  }
  if (geometry) {
    for (std::size_t l = 0; l < layerSums.size(); ++l) {
      const auto& layer = geometry->layers()[l];
      s.layers.push_back(
          {layer.id, layer.voxelCount(), layerSums[l] / static_cast<double>(s.events)});
    }
  }
  return s;
}

nlohmann::json toJson(const ShowerSummary& s) {
  nlohmann::json points = nlohmann::json::array();
  for (const auto& p : s.energyPoints) {
    points.push_back({{"incident_energy_mev", p.incidentEnergyMeV},
                      {"events", p.events},
                      {"mean_etotal_over_einc", p.meanResponse},
                      {"rms_etotal_over_einc", p.rmsResponse}});
  }
  nlohmann::json layers = nlohmann::json::array();
  for (const auto& l : s.layers) {
    layers.push_back(
        {{"layer", l.layerId}, {"voxels", l.voxels}, {"mean_energy_mev", l.meanEnergyMeV}});
  }
  return {{"path", s.path},
          {"valid", true},
          {"events", s.events},
          {"voxels", s.voxels},
          {"precision", s.precision},
          {"incident_energy_min_mev", s.minIncidentEnergyMeV},
          {"incident_energy_max_mev", s.maxIncidentEnergyMeV},
          {"mean_etotal_over_einc", s.meanResponse},
          {"energy_points", points},
          {"layers", layers}};
}

std::string formatSummary(const ShowerSummary& s) {
  std::string out = fmt::format("{}: valid CaloChallenge shower file\n", s.path);
  out +=
      fmt::format("  events: {}   voxels: {}   precision: {}\n", s.events, s.voxels, s.precision);
  out += fmt::format("  incident energy: {:.4g} .. {:.4g} MeV, mean E_total/E_inc {:.4f}\n",
                     s.minIncidentEnergyMeV, s.maxIncidentEnergyMeV, s.meanResponse);
  if (!s.energyPoints.empty()) {
    out += fmt::format("  {:>14}  {:>8}  {:>14}  {:>14}\n", "E_inc [MeV]", "events",
                       "<E_tot/E_inc>", "rms");
    for (const auto& p : s.energyPoints) {
      out += fmt::format("  {:>14.6g}  {:>8}  {:>14.4f}  {:>14.4f}\n", p.incidentEnergyMeV,
                         p.events, p.meanResponse, p.rmsResponse);
    }
  } else {
    out += "  incident energies are continuous (no discrete points)\n";
  }
  if (!s.layers.empty()) {
    out += fmt::format("  {:>6}  {:>7}  {:>16}\n", "layer", "voxels", "<E_layer> [MeV]");
    for (const auto& l : s.layers) {
      out += fmt::format("  {:>6}  {:>7}  {:>16.6g}\n", l.layerId, l.voxels, l.meanEnergyMeV);
    }
  }
  return out;
}

}  // namespace bolo
