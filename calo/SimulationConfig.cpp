#include "calo/SimulationConfig.hpp"

#include <fmt/format.h>

#include <cmath>

#include "calo/ShowerFile.hpp"
#include "common/ConfigReader.hpp"
#include "common/Error.hpp"

namespace bolo {

std::vector<double> dataset1Energies() {
  std::vector<double> energies;
  for (int power = 8; power <= 22; ++power) energies.push_back(std::ldexp(1.0, power));
  return energies;
}

std::vector<int> dataset1EventCounts() {
  std::vector<int> counts(11, 10000);
  for (int n : {5000, 3000, 2000, 1000}) counts.push_back(n);
  return counts;
}

int SimulationConfig::eventsAt(std::size_t i) const {
  return eventsPerEnergy.size() == 1 ? eventsPerEnergy.front() : eventsPerEnergy.at(i);
}

std::uint64_t SimulationConfig::totalEvents() const {
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < energiesMeV.size(); ++i)
    total += static_cast<std::uint64_t>(eventsAt(i));
  return total;
}

namespace {
std::string join(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}
}  // namespace

void validateSimulationConfig(const SimulationConfig& config, const std::string& path) {
  if (config.energiesMeV.empty())
    throw InputError(fmt::format("{}: expected at least one energy", join(path, "energies_mev")));
  for (std::size_t i = 0; i < config.energiesMeV.size(); ++i) {
    const double e = config.energiesMeV[i];
    // The upper limit keeps every energy writable (float32 overflows near 3.4e38) and the
    // simulator's spot counts finite.
    if (!(e > 0) || !(e <= kMaxIncidentEnergyMeV))
      throw InputError(fmt::format("{}[{}]: expected a positive energy up to {:g} MeV, got {}",
                                   join(path, "energies_mev"), i, kMaxIncidentEnergyMeV, e));
  }
  const auto& counts = config.eventsPerEnergy;
  if (counts.size() != 1 && counts.size() != config.energiesMeV.size()) {
    throw InputError(fmt::format("{}: expected 1 or {} entries (one per energy), got {}",
                                 join(path, "events_per_energy"), config.energiesMeV.size(),
                                 counts.size()));
  }
  for (std::size_t i = 0; i < counts.size(); ++i) {
    if (counts[i] <= 0)
      throw InputError(fmt::format("{}[{}]: expected a positive number of showers, got {}",
                                   join(path, "events_per_energy"), i, counts[i]));
  }
  if (config.gzipLevel < 0 || config.gzipLevel > 9)
    throw InputError(
        fmt::format("{}: expected 0..9, got {}", join(path, "gzip_level"), config.gzipLevel));
  if (config.chunkRows <= 0)
    throw InputError(fmt::format("{}: expected a positive integer, got {}",
                                 join(path, "chunk_rows"), config.chunkRows));
}

SimulationConfig simulationConfigFromJson(const nlohmann::json& json, const std::string& path) {
  SimulationConfig config;
  ConfigReader reader(json, path);
  reader.read("energies_mev", config.energiesMeV);
  if (json.is_object() && json.contains("events_per_energy") &&
      json.at("events_per_energy").is_number()) {
    int count = 0;
    reader.read("events_per_energy", count);
    config.eventsPerEnergy = {count};
  } else {
    reader.read("events_per_energy", config.eventsPerEnergy);
  }
  unsigned long long seed = config.seed;
  reader.read("seed", seed);
  config.seed = seed;
  reader.read("gzip_level", config.gzipLevel);
  reader.read("chunk_rows", config.chunkRows);
  reader.finish();
  validateSimulationConfig(config, path);
  return config;
}

nlohmann::json toJson(const SimulationConfig& config) {
  return {{"energies_mev", config.energiesMeV},
          {"events_per_energy", config.eventsPerEnergy},
          {"seed", config.seed},
          {"gzip_level", config.gzipLevel},
          {"chunk_rows", config.chunkRows}};
}

}  // namespace bolo
