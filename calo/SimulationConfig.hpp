#pragma once
// The config of `bolo simulate` (configs/simulate.json): which incident energies, how many
// showers at each, the seed, and how the HDF5 file is written.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace bolo {

/// The 15 incident energies of CaloChallenge dataset 1: 2^8 ... 2^22 MeV.
std::vector<double> dataset1Energies();
/// Showers per dataset-1 energy: 10,000 up to 2^18 MeV, then 5,000, 3,000, 2,000, 1,000 as in
/// the CaloChallenge photon sample (121,000 showers).
std::vector<int> dataset1EventCounts();

struct SimulationConfig {
  std::vector<double> energiesMeV = dataset1Energies();  ///< incident energies, MeV, > 0
  /// Showers per energy: one entry per energy, or a single entry used for every energy.
  std::vector<int> eventsPerEnergy = dataset1EventCounts();
  std::uint64_t seed = 1;  ///< the file is a function of (seed, energies, counts) only
  int gzipLevel = 4;       ///< 0 (off) .. 9
  int chunkRows = 1000;    ///< HDF5 chunk height in showers

  /// Showers to simulate at energy index `i`.
  int eventsAt(std::size_t i) const;
  std::uint64_t totalEvents() const;
};

/// Strict loading: unknown keys, wrong types, non-positive energies or counts, a count list
/// whose length is neither 1 nor the number of energies are InputErrors naming the JSON path.
/// `path` prefixes the names in messages (e.g. "simulate").
SimulationConfig simulationConfigFromJson(const nlohmann::json& json, const std::string& path = "");
/// Throw InputError naming `path` for an inconsistent config (used after command-line overrides).
void validateSimulationConfig(const SimulationConfig& config, const std::string& path = "");
nlohmann::json toJson(const SimulationConfig& config);

}  // namespace bolo
