// train.json: defaults land near the published parameter counts, reading is strict, and the
// resolved config round-trips.

#include <gtest/gtest.h>

#include <cmath>

#include "calo/ShowerPreprocessing.hpp"
#include "calo/TrainingConfig.hpp"
#include "common/Error.hpp"

namespace bolo {
namespace {

double relativeDifference(long long a, long long b) {
  return std::abs(static_cast<double>(a - b)) / static_cast<double>(b);
}

TEST(TrainConfig, DefaultsLandNearThePublishedParameterCounts) {
  // The published recipe's shapes (free voxels, no critic features).
  const auto pions = defaultGanConfig(Particle::kPions, "bologan");
  const auto photons = defaultGanConfig(Particle::kPhotons, "bologan");
  const long long pionGenerator = mlpParameterCount(generatorLayerSizes(pions, 533, 7));
  const long long pionTotal = pionGenerator + mlpParameterCount(criticLayerSizes(pions, 533, 7));
  const long long photonGenerator = mlpParameterCount(generatorLayerSizes(photons, 368, 5));
  const long long photonTotal =
      photonGenerator + mlpParameterCount(criticLayerSizes(photons, 368, 5));
  EXPECT_EQ(pionGenerator, 881582);
  EXPECT_EQ(photonGenerator, 368184);
  // Published (BoloGAN, CaloChallenge): pions 848,733 / 1,678,330; photons 368,558 / 1,185,520.
  EXPECT_LT(relativeDifference(pionGenerator, 848733), 0.05);
  EXPECT_LT(relativeDifference(pionTotal, 1678330), 0.05);
  EXPECT_LT(relativeDifference(photonGenerator, 368558), 0.05);
  EXPECT_LT(relativeDifference(photonTotal, 1185520), 0.05);
  EXPECT_EQ(pions.latentSize, 50);
  EXPECT_EQ(pions.criticSteps, 5);
  EXPECT_DOUBLE_EQ(pions.gradientPenalty, 10.0);
  // Bolo's recipe adds 8 outputs (pions: 7 layers + response) and 8 critic inputs: +0.5 %.
  const auto bolo = defaultGanConfig(Particle::kPions, "bolo");
  const long long boloTotal = mlpParameterCount(generatorLayerSizes(bolo, 533, 7)) +
                              mlpParameterCount(criticLayerSizes(bolo, 533, 7));
  EXPECT_LT(relativeDifference(boloTotal, 1678330), 0.05);
}

TEST(TrainConfig, RoundTripsAndOverridesPerSection) {
  auto json = toJson(defaultTrainConfig());
  json["photons"]["low"]["batch_size"] = 512;
  json["photons"]["split_energy_mev"] = 8192;
  json["bestiter"]["layer_energies"] = true;
  const auto config = trainConfigFromJson(json);
  EXPECT_EQ(config.photonsLow.batchSize, 512);
  EXPECT_EQ(config.photonsHigh.batchSize, 128);
  EXPECT_DOUBLE_EQ(config.photonSplitMeV, 8192);
  EXPECT_TRUE(config.bestiter.layerEnergies);
  EXPECT_EQ(toJson(config), json);
}

TEST(TrainConfig, StrictReadingNamesThePath) {
  auto expectError = [](const nlohmann::json& json, const std::string& path) {
    try {
      trainConfigFromJson(json);
      ADD_FAILURE() << "accepted " << json.dump();
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
  };
  expectError({{"pions", {{"batch_sise", 3}}}}, "pions.batch_sise");
  expectError({{"pions", {{"batch_size", -3}}}}, "pions.batch_size");
  expectError({{"photons", {{"low", {{"activation", "gelu"}}}}}}, "photons.low.activation");
  expectError({{"pions", {{"generator_hidden", nlohmann::json::array()}}}},
              "pions.generator_hidden");
  expectError({{"bestiter", {{"bins", 0}}}}, "bestiter.bins");
}

TEST(TrainConfig, PresetsSetTheRecipeAndFieldsStillOverride) {
  const auto bologan = trainConfigFromJson({{"preset", "bologan"}});
  EXPECT_EQ(bologan.preset, "bologan");
  for (const auto* c : {&bologan.pions, &bologan.photonsLow, &bologan.photonsHigh}) {
    // The published BoloGAN choices (docs/training.md).
    EXPECT_EQ(c->activation, "relu");
    EXPECT_EQ(c->generatorOutput, "relu");
    EXPECT_DOUBLE_EQ(c->latentMean, 0.5);
    EXPECT_DOUBLE_EQ(c->latentSd, 0.5);
    EXPECT_EQ(c->conditioning, "max");
    EXPECT_EQ(c->weightInit, "he_uniform");
    EXPECT_DOUBLE_EQ(c->adamBeta1, 0.55);
    EXPECT_DOUBLE_EQ(c->adamBeta2, 0.999);
    EXPECT_FALSE(c->criticFeatures);
    EXPECT_DOUBLE_EQ(c->emaDecay, 0.0);
    EXPECT_EQ(c->learningRateHalfLife, 0);  // constant published rate
  }
  const auto bolo = trainConfigFromJson(nlohmann::json::object());
  EXPECT_EQ(bolo.preset, "bolo");  // the default recipe
  EXPECT_EQ(bolo.pions.generatorOutput, "energy_sharing");
  EXPECT_TRUE(bolo.pions.criticFeatures);
  EXPECT_GT(bolo.pions.marginalMatching, 0.0);
  EXPECT_DOUBLE_EQ(bolo.pions.generatorLearningRate, 1e-3);
  EXPECT_EQ(bolo.pions.matchingDistance, "energy");
  EXPECT_EQ(bolo.pions.learningRateHalfLife, 800);
  EXPECT_GT(bolo.pions.emaDecay, 0.0);
  // A field given beside the preset wins over it, in that section only.
  const auto mixed =
      trainConfigFromJson({{"preset", "bologan"}, {"pions", {{"activation", "silu"}}}});
  EXPECT_EQ(mixed.pions.activation, "silu");
  EXPECT_EQ(mixed.photonsLow.activation, "relu");
  EXPECT_EQ(toJson(mixed).at("preset"), "bologan");
  EXPECT_EQ(trainConfigFromJson(toJson(mixed)).pions.activation, "silu");
}

TEST(TrainConfig, NewFieldsAreReadStrictly) {
  auto expectError = [](const nlohmann::json& json, const std::string& path) {
    try {
      trainConfigFromJson(json);
      ADD_FAILURE() << "accepted " << json.dump();
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
  };
  expectError({{"preset", "fastcalogan"}}, "preset");
  expectError({{"preset", 3}}, "preset");
  expectError({{"pions", {{"latent_sd", 0}}}}, "pions.latent_sd");
  expectError({{"pions", {{"ema_decay", 1.0}}}}, "pions.ema_decay");
  expectError({{"pions", {{"ema_decay", -0.1}}}}, "pions.ema_decay");
  expectError({{"pions", {{"generator_output", "softmax"}}}}, "pions.generator_output");
  expectError({{"pions", {{"critic_features", "yes"}}}}, "pions.critic_features");
  expectError({{"pions", {{"critic_voxel_scale", 2}}}}, "pions.critic_voxel_scale");
  expectError({{"pions", {{"weight_init", "xavier"}}}}, "pions.weight_init");
  expectError({{"pions", {{"marginal_matching", -1}}}}, "pions.marginal_matching");
  expectError({{"pions", {{"matching_showers_per_point", 0}}}}, "pions.matching_showers_per_point");
  expectError({{"pions", {{"matching_distance", "cramer"}}}}, "pions.matching_distance");
  expectError({{"pions", {{"matching_scale", "local"}}}}, "pions.matching_scale");
  expectError({{"pions", {{"matching_shapes", "yes"}}}}, "pions.matching_shapes");
  expectError({{"pions", {{"matching_norm", "euclidean"}}}}, "pions.matching_norm");
  // Sorted samples compare one feature at a time: a joint norm needs the energy distance.
  expectError({{"pions", {{"matching_distance", "wasserstein"}, {"matching_norm", "joint"}}}},
              "pions.matching_norm");
  expectError({{"pions", {{"layer_shapes", "softplus"}}}}, "pions.layer_shapes");
  expectError({{"pions", {{"shape_noise", 1}}}}, "pions.shape_noise");
  // The noise acts on energy_sharing's shapes; free voxels have none to perturb.
  expectError({{"pions", {{"generator_output", "relu"}, {"shape_noise", true}}}},
              "pions.shape_noise");
  expectError({{"pions", {{"matching_energies", "log10"}}}}, "pions.matching_energies");
  expectError({{"pions", {{"voxel_threshold_mev", -0.1}}}}, "pions.voxel_threshold_mev");
  expectError({{"pions", {{"voxel_threshold_mev", "0.1"}}}}, "pions.voxel_threshold_mev");
  expectError({{"pions", {{"learning_rate_half_life", -1}}}}, "pions.learning_rate_half_life");
  expectError({{"pions", {{"learning_rate_half_life", 2.5}}}}, "pions.learning_rate_half_life");
  expectError({{"pions", {{"matching_distance", "energy"}, {"matching_showers_per_point", 1}}}},
              "pions.matching_showers_per_point");
  expectError({{"photons", {{"high", {{"conditioning", "sqrt"}}}}}}, "photons.high.conditioning");
  expectError({{"pions", {{"voxel_scaling", "max"}}}}, "pions.voxel_scaling");
}

TEST(TrainConfig, EnergySharingAndCriticFeaturesWidenTheNetworks) {
  GanConfig c = defaultGanConfig(Particle::kPions, "bologan");
  EXPECT_EQ(generatorLayerSizes(c, 533, 7).back(), 533);
  EXPECT_EQ(criticLayerSizes(c, 533, 7).front(), 534);
  c.generatorOutput = "energy_sharing";
  c.criticFeatures = true;
  // One logit per layer and one for the response; E_tot and 7 layer energies for the critic.
  EXPECT_EQ(generatorLayerSizes(c, 533, 7).back(), 533 + 7 + 1);
  EXPECT_EQ(criticLayerSizes(c, 533, 7).front(), 533 + 8 + 1);
}

TEST(ShowerPreprocessing, MaxConditioningAndSampleMaxScaling) {
  const auto p = preprocessingFor({256, 1024, 4096}, "max", "sample_max", 500.0);
  EXPECT_DOUBLE_EQ(p.condition(1024), 0.25);  // E / E_max, BoloGAN's default label
  EXPECT_DOUBLE_EQ(p.targetScale(256), 1.0 / 500);
  EXPECT_DOUBLE_EQ(p.targetScale(4096), 1.0 / 500);  // the same factor at every energy
  const auto restored = preprocessingFromJson(toJson(p), "test");
  EXPECT_DOUBLE_EQ(restored.maxVoxelMeV, 500.0);
  EXPECT_EQ(restored.conditioning, "max");
  EXPECT_THROW(preprocessingFor({256}, "log", "sample_max", 0.0), InputError);
}

TEST(ShowerPreprocessing, LogConditionSpansTheTrainingRange) {
  const auto p = preprocessingFor({256, 1024, 4096}, "log", "incident");
  EXPECT_DOUBLE_EQ(p.condition(256), 0.0);
  EXPECT_DOUBLE_EQ(p.condition(4096), 1.0);
  EXPECT_NEAR(p.condition(1024), 0.5, 1e-12);  // log scale: 1024 is half-way between 256 and 4096
  EXPECT_DOUBLE_EQ(p.targetScale(1024), 1.0 / 1024);
  const auto restored = preprocessingFromJson(toJson(p), "test");
  EXPECT_DOUBLE_EQ(restored.maxEnergyMeV, 4096);
  EXPECT_THROW(preprocessingFor({}, "log", "incident"), InputError);
}

}  // namespace
}  // namespace bolo
