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
  const auto pions = defaultGanConfig(Particle::kPions);
  const auto photons = defaultGanConfig(Particle::kPhotons);
  const long long pionGenerator = mlpParameterCount(generatorLayerSizes(pions, 533));
  const long long pionTotal = pionGenerator + mlpParameterCount(criticLayerSizes(pions, 533));
  const long long photonGenerator = mlpParameterCount(generatorLayerSizes(photons, 368));
  const long long photonTotal = photonGenerator + mlpParameterCount(criticLayerSizes(photons, 368));
  EXPECT_EQ(pionGenerator, 881582);
  EXPECT_EQ(photonGenerator, 368184);
  // Published (BoloGAN, CaloChallenge): pions 848,733 / 1,678,330; photons 368,558 / 1,185,520.
  EXPECT_LT(relativeDifference(pionGenerator, 848733), 0.05);
  EXPECT_LT(relativeDifference(pionTotal, 1678330), 0.05);
  EXPECT_LT(relativeDifference(photonGenerator, 368558), 0.05);
  EXPECT_LT(relativeDifference(photonTotal, 1185520), 0.05);
  EXPECT_EQ(pions.latentSize, 50);
  EXPECT_EQ(pions.activation, "silu");
  EXPECT_EQ(pions.criticSteps, 5);
  EXPECT_DOUBLE_EQ(pions.gradientPenalty, 10.0);
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
