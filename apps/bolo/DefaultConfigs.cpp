// The default configs `bolo init` writes, each produced from its config struct's defaults.

#include "apps/bolo/DefaultConfigs.hpp"

namespace bolo::app {

std::vector<DefaultConfig> defaultConfigs() {
  std::vector<DefaultConfig> configs;
  // Calorimeter simulation

  // Calorimeter GAN training and generation

  // Calorimeter evaluation

  // Flavour tagging

  // Batch submission

  return configs;
}

}  // namespace bolo::app
