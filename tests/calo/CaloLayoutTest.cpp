// The run layout of the calorimeter workload: where runs, checkpoints and references live,
// which GANs a particle has, and which train.json a run reads.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "calo/CaloLayout.hpp"
#include "common/Error.hpp"
#include "support/TempDir.hpp"

namespace bolo {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

TEST(CaloLayout, PionsHaveOneGanPhotonsTwoSplitAtTheConfiguredEnergy) {
  TrainConfig config = defaultTrainConfig();
  config.photonSplitMeV = 1000;
  const auto pions = ganSlices(Particle::kPions, config);
  ASSERT_EQ(pions.size(), 1u);
  EXPECT_EQ(pions[0].name, "all");
  const auto photons = ganSlices(Particle::kPhotons, config);
  ASSERT_EQ(photons.size(), 2u);
  EXPECT_EQ(photons[0].name, "low");
  EXPECT_EQ(photons[0].hiMeV, 1000);
  EXPECT_EQ(photons[1].name, "high");
  EXPECT_EQ(photons[1].loMeV, 1000);
  EXPECT_EQ(ganNames(Particle::kPions), (std::vector<std::string>{"all"}));
  EXPECT_EQ(ganNames(Particle::kPhotons), (std::vector<std::string>{"low", "high"}));
}

TEST(CaloLayout, RunFoldersFollowTheWorkDirectory) {
  const WorkDir dir{"work"};
  EXPECT_EQ(runCheckpointDir(dir, "pions", "all"), fs::path("work/checkpoints/pions/all"));
  EXPECT_EQ(runOutputDir(dir, "photons"), fs::path("work/output/photons"));
  EXPECT_EQ(bestCheckpointRecord(dir, "pions"), fs::path("work/output/pions/bestiter/best.json"));
  EXPECT_EQ(referencePath(dir, Particle::kPhotons), fs::path("work/data/photons_reference.h5"));
}

TEST(CaloLayout, RunNameDefaultsToTheParticleAndMayNotLeaveItsFolder) {
  EXPECT_EQ(defaultRunName(Particle::kPions, ""), "pions");
  EXPECT_EQ(defaultRunName(Particle::kPions, "lr-check"), "lr-check");
  EXPECT_THROW(defaultRunName(Particle::kPions, "a/b"), InputError);
  EXPECT_THROW(defaultRunName(Particle::kPions, ".."), InputError);
}

TEST(CaloLayout, MissingDefaultReferenceSaysHowToMakeIt) {
  test::TempDir tmp;
  try {
    referenceFile(WorkDir{tmp.path()}, Particle::kPions, "", "--reference");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("bolo simulate pions"));
    // The verb's own option: bestiter has --reference, not train's --input.
    EXPECT_THAT(e.what(), HasSubstr("or pass --reference FILE"));
  }
  EXPECT_EQ(referenceFile(WorkDir{tmp.path()}, Particle::kPions, "given.h5", "--input"),
            fs::path("given.h5"));
}

TEST(CaloLayout, TrainConfigComesFromTheOptionThenTheWorkDirectoryThenTheDefaults) {
  test::TempDir tmp;
  const WorkDir dir{tmp.path()};
  std::string source;
  EXPECT_EQ(loadTrainConfig("", dir, &source).seed, defaultTrainConfig().seed);
  EXPECT_EQ(source, "built-in defaults");
  fs::create_directories(dir.configs());
  std::ofstream(dir.configs() / "train.json") << R"({"seed": 77})";
  EXPECT_EQ(loadTrainConfig("", dir, &source).seed, 77u);
  EXPECT_EQ(source, (dir.configs() / "train.json").string());
}

TEST(CaloLayout, EnergyListsParseOrNameTheBadItem) {
  EXPECT_EQ(parseEnergyList("256,1024.5"), (std::vector<double>{256, 1024.5}));
  EXPECT_THROW(parseEnergyList("256,-1"), InputError);
  EXPECT_THROW(parseEnergyList("abc"), InputError);
  EXPECT_THROW(parseEnergyList("256x"), InputError);
  EXPECT_THROW(parseEnergyList("nan"), InputError);
  // Energies float32 cannot hold (written as inf) and those out of double range.
  EXPECT_THROW(parseEnergyList("256,1e300"), InputError);
  EXPECT_THROW(parseEnergyList("1e400"), InputError);
  EXPECT_EQ(parseEnergyList(" 256, 1e9"), (std::vector<double>{256, 1e9}));
  const auto points = calochallengeEnergyPoints();
  ASSERT_EQ(points.size(), 15u);
  EXPECT_EQ(points.front(), 256);
  EXPECT_EQ(points.back(), 4194304);
}

}  // namespace
}  // namespace bolo
