// The default configs `bolo init` writes, each produced from its config struct's defaults.

#include "apps/bolo/DefaultConfigs.hpp"

// Flavour tagging
#include "core/JetGenerator.hpp"
#include "core/ScanSpace.hpp"
#if BOLO_WITH_TORCH
#include "nn/Bdt.hpp"
#include "nn/TaggerRun.hpp"
#endif

namespace bolo::app {

std::vector<DefaultConfig> defaultConfigs() {
  std::vector<DefaultConfig> configs;
  // Calorimeter simulation

  // Calorimeter GAN training and generation

  // Calorimeter evaluation

  // Flavour tagging
  configs.push_back({"jets.json", toJson(JetGeneratorConfig{})});
#if BOLO_WITH_TORCH
  configs.push_back({"tagger.json", nn::toJson(nn::TaggerRunConfig{})});
  configs.push_back({"bdt.json", nn::toJson(nn::BdtConfig{})});
#endif
  configs.push_back({"scan_space.json", toJson(ScanSpace{})});

  // Batch submission

  return configs;
}

}  // namespace bolo::app
