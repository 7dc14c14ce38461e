#pragma once
// `bolo simulate`: write the reference showers of a particle (CaloChallenge dataset-1
// format) with the built-in simulator (calo/ShowerSimulator.hpp); see docs/simulation.md.
//   output   <workdir>/data/<particle>_reference.h5 (or `out`)
//   records  config.json + manifest.json in <output without .h5>/ beside it
//            (<output>.records/ if the name has no extension)

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace bolo {

struct ReferenceSimulation {
  std::string particle;               ///< pions or photons
  int events = 0;                     ///< > 0 overrides the showers per energy
  std::vector<double> energies;       ///< non-empty overrides the config's energies (MeV)
  std::optional<std::uint64_t> seed;  ///< overrides the config's seed
  std::string out;                    ///< empty: the work directory's reference file
  int threads = 0;                    ///< <= 0: all cores; the output does not depend on it
  std::string config;                 ///< empty: <workdir>/configs/simulate.json if present
  std::string workdir;
  std::string plots;  ///< non-empty: also draw summary plots here
};

/// The folder that holds config.json and manifest.json for an output file.
std::filesystem::path recordDirectory(const std::filesystem::path& output);

/// Simulate and write; returns the summary (output, records, events, seed, timing, plots).
nlohmann::json simulateReference(const ReferenceSimulation& request);

}  // namespace bolo
