// The default configs `bolo init` writes, each produced from its config struct's defaults.

#include "apps/bolo/DefaultConfigs.hpp"

#include "apps/bolo/Verbs.hpp"
#include "batch/SiteCatalogue.hpp"
#include "batch/Workflow.hpp"
#include "calo/SimulationConfig.hpp"
#include "calo/TrainingConfig.hpp"

// Flavour tagging
#include "ftag/JetGenerator.hpp"
#include "ftag/ScanSpace.hpp"
#include "ftag/nn/Bdt.hpp"
#include "ftag/nn/TaggerRun.hpp"

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
  configs.push_back({"jets.json", toJson(JetGeneratorConfig{})});
  configs.push_back({"tagger.json", nn::toJson(nn::TaggerRunConfig{})});
  configs.push_back({"bdt.json", nn::toJson(nn::BdtConfig{})});
  configs.push_back({"scan_space.json", toJson(ScanSpace{})});

  // Batch submission
  configs.push_back({"sites.json", batch::toJson(batch::defaultSiteCatalogue())});
  configs.push_back({"workflows.json", batch::toJson(batch::WorkflowConfig{})});

  return configs;
}

}  // namespace bolo::app
