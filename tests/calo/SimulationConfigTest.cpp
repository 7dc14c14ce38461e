// Strict loading of configs/simulate.json.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "calo/SimulationConfig.hpp"
#include "common/Error.hpp"

namespace bolo {
namespace {

using ::testing::HasSubstr;

std::string errorOf(const nlohmann::json& json) {
  try {
    simulationConfigFromJson(json, "simulate");
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(SimulationConfig, DefaultsAreDataset1) {
  const SimulationConfig config;
  ASSERT_EQ(config.energiesMeV.size(), 15u);
  EXPECT_EQ(config.energiesMeV.front(), 256.0);
  EXPECT_EQ(config.energiesMeV.back(), 4194304.0);
  EXPECT_EQ(config.totalEvents(), 121000u);
  EXPECT_EQ(config.eventsAt(10), 10000);
  EXPECT_EQ(config.eventsAt(14), 1000);
}

TEST(SimulationConfig, RoundTripsThroughJson) {
  SimulationConfig config;
  config.energiesMeV = {1000, 2000};
  config.eventsPerEnergy = {5, 6};
  config.seed = 1234567890123ULL;
  config.gzipLevel = 0;
  config.chunkRows = 10;
  const SimulationConfig back = simulationConfigFromJson(toJson(config));
  EXPECT_EQ(back.energiesMeV, config.energiesMeV);
  EXPECT_EQ(back.eventsPerEnergy, config.eventsPerEnergy);
  EXPECT_EQ(back.seed, config.seed);
  EXPECT_EQ(back.gzipLevel, 0);
  EXPECT_EQ(back.chunkRows, 10);
  EXPECT_EQ(toJson(back), toJson(config));
}

TEST(SimulationConfig, ASingleCountAppliesToEveryEnergy) {
  const SimulationConfig config = simulationConfigFromJson({{"events_per_energy", 3}});
  EXPECT_EQ(config.totalEvents(), 45u);
}

TEST(SimulationConfig, RejectsUnknownKeysNamingThePath) {
  EXPECT_THAT(errorOf({{"event_per_energy", 3}}), HasSubstr("simulate.event_per_energy"));
}

TEST(SimulationConfig, RejectsNonPositiveCountsAndEnergies) {
  EXPECT_THAT(errorOf({{"events_per_energy", -5}}), HasSubstr("simulate.events_per_energy[0]"));
  EXPECT_THAT(errorOf({{"events_per_energy", {1, 0}}, {"energies_mev", {1, 2}}}),
              HasSubstr("simulate.events_per_energy[1]"));
  EXPECT_THAT(errorOf({{"energies_mev", {100, -1}}, {"events_per_energy", 1}}),
              HasSubstr("simulate.energies_mev[1]"));
  EXPECT_THAT(errorOf({{"energies_mev", nlohmann::json::array()}}),
              HasSubstr("simulate.energies_mev"));
}

TEST(SimulationConfig, EnergiesMustBeWritableAsFloat32) {
  // 1e300 MeV simulated once and was written as inf, which the reader then refused.
  EXPECT_THAT(errorOf({{"energies_mev", {100, 1e300}}, {"events_per_energy", 1}}),
              HasSubstr("simulate.energies_mev[1]: expected a positive energy up to 1e+09 MeV"));
  EXPECT_THAT(errorOf({{"energies_mev", {1.0000001e9}}, {"events_per_energy", 1}}),
              HasSubstr("simulate.energies_mev[0]"));
  EXPECT_EQ(errorOf({{"energies_mev", {1e9}}, {"events_per_energy", 1}}), "no error");
}

TEST(SimulationConfig, RejectsWrongTypesAndMismatchedLengths) {
  EXPECT_THAT(errorOf({{"seed", "abc"}}), HasSubstr("simulate.seed"));
  EXPECT_THAT(errorOf({{"events_per_energy", 2.5}}), HasSubstr("simulate.events_per_energy"));
  EXPECT_THAT(errorOf({{"energies_mev", {1, 2, 3}}, {"events_per_energy", {1, 2}}}),
              HasSubstr("simulate.events_per_energy: expected 1 or 3 entries"));
  EXPECT_THAT(errorOf({{"gzip_level", 10}}), HasSubstr("simulate.gzip_level"));
  EXPECT_THAT(errorOf({{"chunk_rows", 0}}), HasSubstr("simulate.chunk_rows"));
}

}  // namespace
}  // namespace bolo
