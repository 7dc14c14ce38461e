#pragma once
// `bolo jets`: simulate the synthetic jets with the DL1 input variables (ftag/JetGenerator.hpp)
// and write the train, validation and test splits to <workdir>/data/jets.h5 (atomically).

#include <nlohmann/json.hpp>
#include <string>

namespace bolo {

struct JetSimulation {
  std::string workdir;
  std::string config;   ///< empty: <workdir>/configs/jets.json or the built-in defaults
  std::string out;      ///< empty: <workdir>/data/jets.h5
  long long seed = -1;  ///< >= 0 overrides the config's seed
};

/// Simulate and write; returns {"output", "variables", "splits": {name: counts}}.
nlohmann::json simulateJets(const JetSimulation& request);

}  // namespace bolo
