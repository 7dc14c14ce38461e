#pragma once
// A one-pass summary of a shower file: what `bolo inspect` prints. Reading the whole file
// also validates every value (NaN, inf, negative energies).

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "calo/ShowerFile.hpp"
#include "calo/ShowerGeometry.hpp"

namespace bolo {

struct EnergyPointSummary {
  double incidentEnergyMeV = 0;
  std::size_t events = 0;
  double meanResponse = 0;  ///< mean of E_total / E_inc
  double rmsResponse = 0;   ///< standard deviation of E_total / E_inc
};

struct LayerSummary {
  int layerId = 0;
  std::size_t voxels = 0;
  double meanEnergyMeV = 0;  ///< mean over showers of the layer's total energy
};

struct ShowerSummary {
  std::string path;
  std::size_t events = 0;
  std::size_t voxels = 0;
  std::string precision;
  /// Discrete incident energies with their counts; empty if the energies are continuous
  /// (more than kMaxEnergyPoints distinct values).
  std::vector<EnergyPointSummary> energyPoints;
  double minIncidentEnergyMeV = 0, maxIncidentEnergyMeV = 0;
  double meanResponse = 0;
  std::vector<LayerSummary> layers;  ///< only with a geometry

  static constexpr std::size_t kMaxEnergyPoints = 100;
};

/// Validate `reader`'s file against `geometry` (voxel count) and summarise it.
ShowerSummary summarizeShowers(const ShowerFileReader& reader,
                               const std::optional<ShowerGeometry>& geometry);

/// Throw InputError unless the file's voxel count matches the geometry.
void checkVoxelCount(const ShowerFileReader& reader, const ShowerGeometry& geometry);

nlohmann::json toJson(const ShowerSummary& summary);
/// Human-readable multi-line text.
std::string formatSummary(const ShowerSummary& summary);

}  // namespace bolo
