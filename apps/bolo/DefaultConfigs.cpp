// The default configs `bolo init` writes, each produced from its config struct's defaults.

#include "apps/bolo/DefaultConfigs.hpp"
#include "apps/bolo/Verbs.hpp"

#include "core/SimulationConfig.hpp"

#include "core/TrainingConfig.hpp"

#include "batch/SiteCatalogue.hpp"
#include "batch/Workflow.hpp"

namespace bolo::app {

std::vector<DefaultConfig> defaultConfigs() {
  std::vector<DefaultConfig> configs;
  // Calorimeter simulation
  configs.push_back({"simulate.json", toJson(SimulationConfig{})});

  // Calorimeter GAN training and generation
  configs.push_back({"train.json", toJson(defaultTrainConfig())});

  // Calorimeter evaluation
  configs.push_back({"evaluate.json", evaluateDefaultConfig()});

  // Flavour tagging

  // Batch submission
  configs.push_back({"sites.json", batch::toJson(batch::defaultSiteCatalogue())});
  configs.push_back({"workflows.json", batch::toJson(batch::WorkflowConfig{})});

  return configs;
}

}  // namespace bolo::app
