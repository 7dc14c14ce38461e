// bolo simulate end to end: a small run writes a valid dataset-1 file with its config and
// manifest, `bolo inspect` accepts it, and a bad particle exits 2 naming the valid ones.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "common/Subprocess.hpp"

namespace bolo {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class SimulateCli : public ::testing::Test {
 protected:
  void SetUp() override {
    m_dir = fs::temp_directory_path() / ("bolo-simulate-cli-" + std::to_string(::getpid()));
    fs::remove_all(m_dir);
    fs::create_directories(m_dir);
  }
  void TearDown() override { fs::remove_all(m_dir); }

  ProcessResult bolo(std::vector<std::string> args) const {
    args.insert(args.begin(), BOLO_EXECUTABLE);
    return runProcess(args, m_dir);
  }

  fs::path m_dir;
};

TEST_F(SimulateCli, WritesAFileThatInspectAccepts) {
  const auto run = bolo({"simulate", "pions", "--events", "20", "--energies", "1024,65536",
                         "--seed", "5", "--threads", "2", "--workdir", "work", "--json"});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  const auto result = nlohmann::json::parse(run.out);
  EXPECT_EQ(result.at("events"), 40);
  EXPECT_EQ(result.at("voxels"), 533);
  const fs::path file = m_dir / "work/data/pions_reference.h5";
  ASSERT_TRUE(fs::exists(file));
  EXPECT_TRUE(fs::exists(m_dir / "work/data/pions_reference/config.json"));
  const auto manifest =
      nlohmann::json::parse(std::ifstream(m_dir / "work/data/pions_reference/manifest.json"));
  EXPECT_EQ(manifest.at("status"), "completed");
  EXPECT_EQ(manifest.at("seed"), 5);

  const auto inspect = bolo({"inspect", file.string(), "--particle", "pions", "--json"});
  ASSERT_EQ(inspect.exitCode, 0) << inspect.err;
  const auto summary = nlohmann::json::parse(inspect.out);
  EXPECT_EQ(summary.at("events"), 40);
}

TEST_F(SimulateCli, SameSeedGivesTheSameFileContentWithAnyThreadCount) {
  ASSERT_EQ(
      bolo({"simulate", "photons", "--events", "30", "--out", "a.h5", "--threads", "1"}).exitCode,
      0);
  ASSERT_EQ(
      bolo({"simulate", "photons", "--events", "30", "--out", "b.h5", "--threads", "2"}).exitCode,
      0);
  const auto a = bolo({"inspect", "a.h5", "--json"}), b = bolo({"inspect", "b.h5", "--json"});
  ASSERT_EQ(a.exitCode, 0);
  auto summaryA = nlohmann::json::parse(a.out), summaryB = nlohmann::json::parse(b.out);
  summaryA.erase("path");
  summaryB.erase("path");
  EXPECT_EQ(summaryA, summaryB);
  EXPECT_TRUE(fs::exists(m_dir / "a/manifest.json"));
}

TEST_F(SimulateCli, RejectsAnUnknownParticleListingTheValidOnes) {
  const auto run = bolo({"simulate", "kaons", "--events", "1", "--workdir", "work"});
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_THAT(run.err, HasSubstr("pions, photons"));
  EXPECT_FALSE(fs::exists(m_dir / "work/data/kaons_reference.h5"));
}

TEST_F(SimulateCli, RejectsABadConfigNamingThePath) {
  std::ofstream(m_dir / "bad.json") << R"({"events_per_energy": -1})";
  const auto run = bolo({"simulate", "photons", "--config", "bad.json", "--workdir", "work"});
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_THAT(run.err, HasSubstr("events_per_energy[0]"));
}

}  // namespace
}  // namespace bolo
