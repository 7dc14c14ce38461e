// The default configs `bolo init` writes, each produced from its config struct's defaults.

#include "apps/bolo/DefaultConfigs.hpp"

#include "core/TrainingConfig.hpp"

namespace bolo::app {

std::vector<DefaultConfig> defaultConfigs() {
  std::vector<DefaultConfig> configs;
  // Calorimeter simulation

  // Calorimeter GAN training and generation
  configs.push_back({"train.json", toJson(defaultTrainConfig())});

  // Calorimeter evaluation

  // Flavour tagging

  // Batch submission

  return configs;
}

}  // namespace bolo::app
