#include "calo/ShowerPreprocessing.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "common/ConfigReader.hpp"
#include "common/Error.hpp"

namespace bolo {

double ShowerPreprocessing::condition(double incidentMeV) const {
  if (maxEnergyMeV <= minEnergyMeV) return 0.5;  // a single energy: any constant works
  if (conditioning == "log") {
    return std::log(incidentMeV / minEnergyMeV) / std::log(maxEnergyMeV / minEnergyMeV);
  }
  if (conditioning == "max") return incidentMeV / maxEnergyMeV;
  return (incidentMeV - minEnergyMeV) / (maxEnergyMeV - minEnergyMeV);
}

double ShowerPreprocessing::targetScale(double incidentMeV) const {
  if (voxelScaling == "incident") return 1.0 / incidentMeV;
  if (voxelScaling == "sample_max") return 1.0 / maxVoxelMeV;
  return 1e-3;
}

ShowerPreprocessing preprocessingFor(const std::vector<double>& energies,
                                     const std::string& conditioning,
                                     const std::string& voxelScaling, double maxVoxelMeV) {
  if (energies.empty()) throw InputError("no showers to train on in the selected energy range");
  ShowerPreprocessing p;
  p.conditioning = conditioning;
  p.voxelScaling = voxelScaling;
  const auto [lo, hi] = std::minmax_element(energies.begin(), energies.end());
  p.minEnergyMeV = *lo;
  p.maxEnergyMeV = *hi;
  if (p.minEnergyMeV <= 0)
    throw InputError("incident energies must be positive for the energy conditioning");
  if (voxelScaling == "sample_max") {
    if (!(maxVoxelMeV > 0 && std::isfinite(maxVoxelMeV)))
      throw InputError("voxel_scaling sample_max: the training showers have no positive voxel");
    p.maxVoxelMeV = maxVoxelMeV;
  }
  return p;
}

nlohmann::json toJson(const ShowerPreprocessing& p) {
  return {{"conditioning", p.conditioning},
          {"voxel_scaling", p.voxelScaling},
          {"min_energy_mev", p.minEnergyMeV},
          {"max_energy_mev", p.maxEnergyMeV},
          {"max_voxel_mev", p.maxVoxelMeV}};
}

ShowerPreprocessing preprocessingFromJson(const nlohmann::json& json, const std::string& origin) {
  try {
    ConfigReader reader(json, origin);
    ShowerPreprocessing p;
    reader.readChoice("conditioning", p.conditioning, {"log", "linear", "max"});
    reader.readChoice("voxel_scaling", p.voxelScaling, {"incident", "none", "sample_max"});
    reader.readPositive("min_energy_mev", p.minEnergyMeV);
    reader.readPositive("max_energy_mev", p.maxEnergyMeV);
    reader.readPositive("max_voxel_mev", p.maxVoxelMeV);  // absent in older checkpoints
    reader.finish();
    return p;
  } catch (const nlohmann::json::exception& e) {
    throw InputError(fmt::format("{}: invalid preprocessing record: {}", origin, e.what()));
  }
}

ShowerBatch selectEnergyRange(const ShowerBatch& batch, double loExclusiveMeV,
                              double hiInclusiveMeV) {
  ShowerBatch out;
  out.voxels = batch.voxels;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const double e = batch.incidentEnergies[i];
    if (e > loExclusiveMeV && e <= hiInclusiveMeV) {
      out.incidentEnergies.push_back(e);
      out.showers.insert(out.showers.end(), batch.row(i), batch.row(i) + batch.voxels);
    }
  }
  return out;
}

std::vector<EnergyPoint> distinctEnergies(const std::vector<double>& energies) {
  std::map<double, std::size_t> counts;
  for (double e : energies) ++counts[e];
  std::vector<EnergyPoint> out;
  for (const auto& [e, n] : counts) out.push_back({e, n});
  return out;
}

}  // namespace bolo
