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

const std::vector<std::string>& ganPresetNames() {
  static const std::vector<std::string> names{"bolo", "bologan"};
  return names;
}

namespace {

/// The published BoloGAN choices (public code, docs/training.md): ReLU networks with a ReLU
/// output, latent Normal(0.5, 0.5), condition E/E_max, voxels / E_inc, He-uniform weights,
/// Adam(1e-4, 0.55, 0.999), batch 128, lambda 10, 5 critic steps.
void applyBoloGanPreset(GanConfig& c) {
  c.activation = "relu";
  c.generatorOutput = "relu";
  c.latentMean = 0.5;
  c.latentSd = 0.5;
  c.conditioning = "max";
  c.voxelScaling = "incident";
  c.weightInit = "he_uniform";
  c.adamBeta1 = 0.55;
  c.adamBeta2 = 0.999;
  c.criticFeatures = false;
  c.criticVoxelScale = "none";
  c.marginalMatching = 0.0;
  c.emaDecay = 0.0;
}

/// Bolo's recipe (measured in docs/training.md): the generator shares the energy explicitly
/// (response x layer fractions x layer shapes), the critic sees E_tot/E_inc and the layer
/// energies beside the voxels, the generator also matches the per-energy marginals of those
/// features (with the unbiased energy distance), the learning rates start at 10x the
/// published ones and halve every 800 iterations, and checkpoints carry an EMA of the
/// generator weights. The matching compares the energies and the layers' centres and widths
/// jointly (multivariate energy distance), and every voxel logit gets learned per-layer
/// noise: without both the high-level classifier tells the showers apart (AUC 0.999).
void applyBoloPreset(GanConfig& c) {
  c.generatorOutput = "energy_sharing";
  c.criticFeatures = true;
  c.criticVoxelScale = "none";
  c.marginalMatching = 5.0;
  c.matchingDistance = "energy";
  c.generatorLearningRate = 1e-3;
  c.criticLearningRate = 1e-3;
  c.learningRateHalfLife = 800;
  c.emaDecay = 0.99;
  c.matchingShapes = true;
  c.matchingNorm = "joint";
  c.shapeNoise = true;
}

/// Photon showers leave the presampler and the back layers empty in 10-27 % of the events, a
/// softmax never does: generation cuts voxels under 0.3 MeV (docs/training.md, "Empty
/// layers"). Pion layers are rarely empty (<= 6 %) and the cut did not help them.
constexpr double kBoloPhotonVoxelThresholdMeV = 0.3;

}  // namespace

GanConfig defaultGanConfig(Particle particle, const std::string& preset) {
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
  if (preset == "bologan")
    applyBoloGanPreset(config);
  else if (preset == "bolo") {
    applyBoloPreset(config);
    if (particle == Particle::kPhotons) config.voxelThresholdMeV = kBoloPhotonVoxelThresholdMeV;
  } else
    throw InputError(fmt::format("unknown GAN preset '{}' (bolo, bologan)", preset));
  return config;
}

TrainConfig defaultTrainConfig(const std::string& preset) {
  TrainConfig config;
  config.preset = preset;
  config.pions = defaultGanConfig(Particle::kPions, preset);
  config.photonsLow = defaultGanConfig(Particle::kPhotons, preset);
  config.photonsHigh = defaultGanConfig(Particle::kPhotons, preset);
  return config;
}

GanConfig ganConfigFromJson(ConfigReader& reader, const GanConfig& defaults) {
  GanConfig c = defaults;
  reader.readPositive("latent_size", c.latentSize);
  reader.readInRange("latent_mean", c.latentMean, -100.0, 100.0);
  reader.readInRange("latent_sd", c.latentSd, 1e-6, 100.0);
  readPositiveSizes(reader, "generator_hidden", c.generatorHidden);
  readPositiveSizes(reader, "critic_hidden", c.criticHidden);
  reader.readChoice("activation", c.activation, {"silu", "relu", "leaky_relu", "tanh"});
  reader.readChoice("generator_output", c.generatorOutput, {"relu", "none", "energy_sharing"});
  reader.readChoice("layer_shapes", c.layerShapes, {"softmax", "sparsemax"});
  reader.read("shape_noise", c.shapeNoise);
  if (c.shapeNoise && c.generatorOutput != "energy_sharing")
    reader.fail("shape_noise", "false unless \"generator_output\" is \"energy_sharing\"");
  reader.readInRange("voxel_threshold_mev", c.voxelThresholdMeV, 0.0, 1e6);
  reader.readChoice("weight_init", c.weightInit, {"default", "he_uniform"});
  reader.readInRange("gradient_penalty", c.gradientPenalty, 0.0, 1e6);
  reader.readPositive("critic_steps", c.criticSteps);
  reader.readInRange("generator_learning_rate", c.generatorLearningRate, 1e-12, 1.0);
  reader.readInRange("critic_learning_rate", c.criticLearningRate, 1e-12, 1.0);
  reader.read("learning_rate_half_life", c.learningRateHalfLife);
  if (c.learningRateHalfLife < 0)
    reader.fail("learning_rate_half_life", "a non-negative integer (0: constant rates)");
  reader.readInRange("adam_beta1", c.adamBeta1, 0.0, 0.999999);
  reader.readInRange("adam_beta2", c.adamBeta2, 0.0, 0.999999);
  reader.readPositive("batch_size", c.batchSize);
  readPositive(reader, "iterations", c.iterations);
  readPositive(reader, "checkpoint_every", c.checkpointEvery);
  readPositive(reader, "metrics_every", c.metricsEvery);
  reader.readChoice("conditioning", c.conditioning, {"log", "linear", "max"});
  reader.readChoice("voxel_scaling", c.voxelScaling, {"incident", "none", "sample_max"});
  reader.read("critic_features", c.criticFeatures);
  reader.readChoice("critic_voxel_scale", c.criticVoxelScale, {"none", "voxel_count"});
  reader.readInRange("marginal_matching", c.marginalMatching, 0.0, 1e6);
  reader.readPositive("matching_showers_per_point", c.matchingShowersPerPoint);
  reader.readChoice("matching_distance", c.matchingDistance, {"wasserstein", "energy"});
  reader.readChoice("matching_scale", c.matchingScale, {"global", "per_point"});
  reader.read("matching_shapes", c.matchingShapes);
  reader.readChoice("matching_norm", c.matchingNorm, {"feature", "joint"});
  reader.readChoice("matching_energies", c.matchingEnergies, {"linear", "log"});
  if (c.matchingNorm == "joint" && c.matchingDistance != "energy")
    reader.fail("matching_norm", "\"feature\" unless \"matching_distance\" is \"energy\"");
  // The energy distance's unbiased estimate needs pairs of generated showers.
  if (c.matchingDistance == "energy" && c.matchingShowersPerPoint < 2)
    reader.fail("matching_showers_per_point", "at least 2 with \"matching_distance\": \"energy\"");
  reader.readInRange("ema_decay", c.emaDecay, 0.0, 0.999999);
  reader.readChoice("critic_gradient", c.criticGradient, {"analytic", "autograd"});
  reader.finish();
  return c;
}

TrainConfig trainConfigFromJson(const nlohmann::json& json) {
  ConfigReader root(json, "");
  std::string preset = "bolo";
  root.readChoice("preset", preset, ganPresetNames());
  TrainConfig config = defaultTrainConfig(preset);
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
          {"latent_mean", c.latentMean},
          {"latent_sd", c.latentSd},
          {"generator_hidden", c.generatorHidden},
          {"critic_hidden", c.criticHidden},
          {"activation", c.activation},
          {"generator_output", c.generatorOutput},
          {"layer_shapes", c.layerShapes},
          {"shape_noise", c.shapeNoise},
          {"voxel_threshold_mev", c.voxelThresholdMeV},
          {"weight_init", c.weightInit},
          {"gradient_penalty", c.gradientPenalty},
          {"critic_steps", c.criticSteps},
          {"generator_learning_rate", c.generatorLearningRate},
          {"critic_learning_rate", c.criticLearningRate},
          {"learning_rate_half_life", c.learningRateHalfLife},
          {"adam_beta1", c.adamBeta1},
          {"adam_beta2", c.adamBeta2},
          {"batch_size", c.batchSize},
          {"iterations", c.iterations},
          {"checkpoint_every", c.checkpointEvery},
          {"metrics_every", c.metricsEvery},
          {"conditioning", c.conditioning},
          {"voxel_scaling", c.voxelScaling},
          {"critic_features", c.criticFeatures},
          {"critic_voxel_scale", c.criticVoxelScale},
          {"marginal_matching", c.marginalMatching},
          {"matching_showers_per_point", c.matchingShowersPerPoint},
          {"matching_distance", c.matchingDistance},
          {"matching_scale", c.matchingScale},
          {"matching_shapes", c.matchingShapes},
          {"matching_norm", c.matchingNorm},
          {"matching_energies", c.matchingEnergies},
          {"ema_decay", c.emaDecay},
          {"critic_gradient", c.criticGradient}};
}

nlohmann::json toJson(const TrainConfig& c) {
  return {{"preset", c.preset},
          {"seed", c.seed},
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

std::vector<int> generatorLayerSizes(const GanConfig& config, int voxels, int layers) {
  std::vector<int> sizes{config.latentSize + 1};
  sizes.insert(sizes.end(), config.generatorHidden.begin(), config.generatorHidden.end());
  if (config.generatorOutput == "energy_sharing")
    sizes.push_back(voxels + layers + 1 + (config.shapeNoise ? layers : 0));
  else
    sizes.push_back(voxels);
  return sizes;
}

int criticFeatureCount(const GanConfig& config, int layers) {
  return config.criticFeatures ? 1 + layers : 0;
}

std::vector<int> criticLayerSizes(const GanConfig& config, int voxels, int layers) {
  std::vector<int> sizes{voxels + criticFeatureCount(config, layers) + 1};
  sizes.insert(sizes.end(), config.criticHidden.begin(), config.criticHidden.end());
  sizes.push_back(1);
  return sizes;
}

}  // namespace bolo
