#include "calo/TrainingConfig.hpp"

#include <fmt/format.h>

namespace bolo {

namespace {

constexpr int kPionVoxels = 533;
constexpr int kPhotonVoxels = 368;

void readPositiveSizes(ConfigReader& reader, const std::string& key, std::vector<int>& sizes) {
  reader.read(key, sizes);
  if (sizes.empty()) reader.fail(key, "a non-empty array of positive integers");
  for (int s : sizes) {
    if (s <= 0) reader.fail(key, "a non-empty array of positive integers");
  }
}

void readPositive(ConfigReader& reader, const std::string& key, long long& value) {
  reader.read(key, value);
  if (value <= 0) reader.fail(key, "a positive integer");
}

}  // namespace

GanConfig defaultGanConfig(Particle particle) {
  GanConfig config;
  if (particle == Particle::kPions) {
    // 881,582 + 854,933 parameters (published: 848,733 and 829,597).
    config.generatorHidden = {kPionVoxels, kPionVoxels, kPionVoxels};
    config.criticHidden = {kPionVoxels, kPionVoxels, kPionVoxels};
  } else {
    // 368,184 + 815,857 parameters (published: 368,558 and 816,962).
    config.generatorHidden = {kPhotonVoxels * 3 / 2, kPhotonVoxels, kPhotonVoxels / 2};
    config.criticHidden = {kPhotonVoxels * 2, kPhotonVoxels, kPhotonVoxels * 2};
  }
  return config;
}

TrainConfig defaultTrainConfig() {
  TrainConfig config;
  config.pions = defaultGanConfig(Particle::kPions);
  config.photonsLow = defaultGanConfig(Particle::kPhotons);
  config.photonsHigh = defaultGanConfig(Particle::kPhotons);
  return config;
}

GanConfig ganConfigFromJson(ConfigReader& reader, const GanConfig& defaults) {
  GanConfig c = defaults;
  reader.readPositive("latent_size", c.latentSize);
  readPositiveSizes(reader, "generator_hidden", c.generatorHidden);
  readPositiveSizes(reader, "critic_hidden", c.criticHidden);
  reader.readChoice("activation", c.activation, {"silu", "relu", "leaky_relu", "tanh"});
  reader.readChoice("generator_output", c.generatorOutput, {"relu", "none"});
  reader.readInRange("gradient_penalty", c.gradientPenalty, 0.0, 1e6);
  reader.readPositive("critic_steps", c.criticSteps);
  reader.readInRange("generator_learning_rate", c.generatorLearningRate, 1e-12, 1.0);
  reader.readInRange("critic_learning_rate", c.criticLearningRate, 1e-12, 1.0);
  reader.readInRange("adam_beta1", c.adamBeta1, 0.0, 0.999999);
  reader.readInRange("adam_beta2", c.adamBeta2, 0.0, 0.999999);
  reader.readPositive("batch_size", c.batchSize);
  readPositive(reader, "iterations", c.iterations);
  readPositive(reader, "checkpoint_every", c.checkpointEvery);
  readPositive(reader, "metrics_every", c.metricsEvery);
  reader.readChoice("conditioning", c.conditioning, {"log", "linear"});
  reader.readChoice("voxel_scaling", c.voxelScaling, {"incident", "none"});
  reader.readChoice("critic_gradient", c.criticGradient, {"analytic", "autograd"});
  reader.finish();
  return c;
}

TrainConfig trainConfigFromJson(const nlohmann::json& json) {
  TrainConfig config = defaultTrainConfig();
  ConfigReader root(json, "");
  root.read("seed", config.seed);
  {
    auto pions = root.section("pions");
    config.pions = ganConfigFromJson(pions, config.pions);
  }
  auto photons = root.section("photons");
  photons.readPositive("split_energy_mev", config.photonSplitMeV);
  {
    auto low = photons.section("low");
    config.photonsLow = ganConfigFromJson(low, config.photonsLow);
  }
  {
    auto high = photons.section("high");
    config.photonsHigh = ganConfigFromJson(high, config.photonsHigh);
  }
  photons.finish();
  {
    auto bestiter = root.section("bestiter");
    config.bestiter = bestIterConfigFromJson(bestiter);
  }
  root.finish();
  return config;
}

BestIterConfig bestIterConfigFromJson(ConfigReader& reader) {
  BestIterConfig c;
  long long showers = static_cast<long long>(c.showersPerEnergy),
            batch = static_cast<long long>(c.batch);
  readPositive(reader, "showers_per_energy", showers);
  readPositive(reader, "batch", batch);
  c.showersPerEnergy = static_cast<std::size_t>(showers);
  c.batch = static_cast<std::size_t>(batch);
  reader.readPositive("bins", c.bins);
  reader.readInRange("tail_fraction", c.tailFraction, 0.0, 0.2);
  reader.read("layer_energies", c.layerEnergies);
  reader.read("seed", c.seed);
  reader.finish();
  return c;
}

nlohmann::json toJson(const BestIterConfig& c) {
  return {{"showers_per_energy", c.showersPerEnergy},
          {"bins", c.bins},
          {"tail_fraction", c.tailFraction},
          {"layer_energies", c.layerEnergies},
          {"seed", c.seed},
          {"batch", c.batch}};
}

nlohmann::json toJson(const GanConfig& c) {
  return {{"latent_size", c.latentSize},
          {"generator_hidden", c.generatorHidden},
          {"critic_hidden", c.criticHidden},
          {"activation", c.activation},
          {"generator_output", c.generatorOutput},
          {"gradient_penalty", c.gradientPenalty},
          {"critic_steps", c.criticSteps},
          {"generator_learning_rate", c.generatorLearningRate},
          {"critic_learning_rate", c.criticLearningRate},
          {"adam_beta1", c.adamBeta1},
          {"adam_beta2", c.adamBeta2},
          {"batch_size", c.batchSize},
          {"iterations", c.iterations},
          {"checkpoint_every", c.checkpointEvery},
          {"metrics_every", c.metricsEvery},
          {"conditioning", c.conditioning},
          {"voxel_scaling", c.voxelScaling},
          {"critic_gradient", c.criticGradient}};
}

nlohmann::json toJson(const TrainConfig& c) {
  return {{"seed", c.seed},
          {"pions", toJson(c.pions)},
          {"photons",
           {{"split_energy_mev", c.photonSplitMeV},
            {"low", toJson(c.photonsLow)},
            {"high", toJson(c.photonsHigh)}}},
          {"bestiter", toJson(c.bestiter)}};
}

long long mlpParameterCount(const std::vector<int>& sizes) {
  long long count = 0;
  for (std::size_t i = 0; i + 1 < sizes.size(); ++i) {
    count += static_cast<long long>(sizes[i]) * sizes[i + 1] + sizes[i + 1];
  }
  return count;
}

std::vector<int> generatorLayerSizes(const GanConfig& config, int voxels) {
  std::vector<int> sizes{config.latentSize + 1};
  sizes.insert(sizes.end(), config.generatorHidden.begin(), config.generatorHidden.end());
  sizes.push_back(voxels);
  return sizes;
}

std::vector<int> criticLayerSizes(const GanConfig& config, int voxels) {
  std::vector<int> sizes{voxels + 1};
  sizes.insert(sizes.end(), config.criticHidden.begin(), config.criticHidden.end());
  sizes.push_back(1);
  return sizes;
}

}  // namespace bolo
