#pragma once
// The default configs that `bolo init` writes into <workdir>/configs. Each entry comes from
// the defaults of the config struct it documents, so the file and the code cannot drift.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace bolo::app {

struct DefaultConfig {
  std::string fileName;  ///< e.g. "simulate.json"
  nlohmann::json content;
};

std::vector<DefaultConfig> defaultConfigs();

}  // namespace bolo::app
