// The default configs `bolo init` writes, each produced from its config struct's defaults.

#include "apps/bolo/DefaultConfigs.hpp"

#include "batch/SiteCatalogue.hpp"
#include "batch/Workflow.hpp"

namespace bolo::app {

std::vector<DefaultConfig> defaultConfigs() {
  std::vector<DefaultConfig> configs;
  // Calorimeter simulation

  // Calorimeter GAN training and generation

  // Calorimeter evaluation

  // Flavour tagging

  // Batch submission
  configs.push_back({"sites.json", batch::toJson(batch::defaultSiteCatalogue())});
  configs.push_back({"workflows.json", batch::toJson(batch::WorkflowConfig{})});

  return configs;
}

}  // namespace bolo::app
