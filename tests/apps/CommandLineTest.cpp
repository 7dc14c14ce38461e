// The bolo program as users meet it: verbs, exit codes, error lines.

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "calo/ShowerFile.hpp"
#include "common/AtomicFile.hpp"
#include "support/RunBolo.hpp"
#include "support/TempDir.hpp"

using bolo::test::runBolo;
namespace fs = std::filesystem;

TEST(CommandLine, VersionPrintsVersionAndCommit) {
  const auto r = runBolo({"--version"});
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_NE(r.out.find("bolo 0."), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("commit"), std::string::npos) << r.out;
}

TEST(CommandLine, HelpListsVerbs) {
  const auto r = runBolo({"--help"});
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_NE(r.out.find("init"), std::string::npos);
  EXPECT_NE(r.out.find("inspect"), std::string::npos);
  EXPECT_EQ(runBolo({"inspect", "--help"}).exitCode, 0);
}

TEST(CommandLine, UnknownVerbListsValidOnesAndExits2) {
  const auto r = runBolo({"trian"});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_EQ(r.err.rfind("bolo: error: unknown verb 'trian': valid verbs are init, inspect", 0), 0u)
      << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
}

TEST(CommandLine, MissingVerbOrOptionIsUsageError) {
  EXPECT_EQ(runBolo({}).exitCode, 2);
  EXPECT_EQ(runBolo({"inspect"}).exitCode, 2);
  EXPECT_EQ(runBolo({"inspect", "--no-such-option", "x"}).exitCode, 2);
}

TEST(Init, CreatesLayoutAndNeverOverwritesEdits) {
  bolo::test::TempDir dir;
  const auto work = dir / "work";
  const auto first = runBolo({"init", "--workdir", work.string(), "--json"});
  ASSERT_EQ(first.exitCode, 0) << first.err;
  for (const char* sub : {"configs", "data", "checkpoints", "logs", "output"}) {
    EXPECT_TRUE(fs::is_directory(work / sub)) << sub;
  }
  const auto written = nlohmann::json::parse(first.out)["configs_written"];
  // Edit every config, run init again: the edits survive.
  for (const auto& entry : fs::directory_iterator(work / "configs")) {
    bolo::writeFileAtomically(entry.path(), "{\"edited\": true}\n");
  }
  const auto second = runBolo({"init", "--workdir", work.string(), "--json"});
  ASSERT_EQ(second.exitCode, 0) << second.err;
  EXPECT_TRUE(nlohmann::json::parse(second.out)["configs_written"].empty());
  EXPECT_EQ(nlohmann::json::parse(second.out)["configs_kept"].size(), written.size());
  for (const auto& entry : fs::directory_iterator(work / "configs")) {
    EXPECT_EQ(bolo::readFile(entry.path()), "{\"edited\": true}\n");
  }
}

TEST(Init, UnwritableWorkdirIsAnIoError) {
  bolo::test::TempDir dir;
  std::ofstream(dir / "file") << "x";
  const auto r = runBolo({"init", "--workdir", (dir / "file" / "sub").string()});
  // README: an output folder that cannot be created is an I/O error, exit 1, in every verb.
  EXPECT_EQ(r.exitCode, 1) << r.err;
  EXPECT_EQ(r.err.rfind("bolo: error:", 0), 0u);
}

TEST(Inspect, ValidFileExits0AndSummarises) {
  bolo::test::TempDir dir;
  bolo::ShowerBatch batch;
  batch.voxels = 368;
  for (int i = 0; i < 6; ++i) {
    batch.incidentEnergies.push_back(i < 3 ? 1000.0 : 2000.0);
    for (int v = 0; v < 368; ++v) batch.showers.push_back(v == 0 ? 500.0f : 0.0f);
  }
  bolo::writeShowerFile(dir / "s.h5", batch);
  const auto r = runBolo({"inspect", (dir / "s.h5").string(), "--particle", "photons", "--json"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const auto summary = nlohmann::json::parse(r.out);
  EXPECT_EQ(summary["events"], 6);
  ASSERT_EQ(summary["energy_points"].size(), 2u);
  EXPECT_DOUBLE_EQ(summary["energy_points"][0]["mean_etotal_over_einc"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(summary["energy_points"][1]["mean_etotal_over_einc"].get<double>(), 0.25);
  // All 500 MeV sit in voxel 0, which belongs to layer 0.
  EXPECT_DOUBLE_EQ(summary["layers"][0]["mean_energy_mev"].get<double>(), 500.0);
  EXPECT_DOUBLE_EQ(summary["layers"][1]["mean_energy_mev"].get<double>(), 0.0);
}

TEST(Inspect, InvalidFilesExit2NamingTheProblem) {
  bolo::test::TempDir dir;
  std::ofstream(dir / "junk.h5") << "junk";
  auto r = runBolo({"inspect", (dir / "junk.h5").string()});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("not an HDF5 file"), std::string::npos) << r.err;

  bolo::ShowerBatch batch;
  batch.voxels = 10;
  batch.incidentEnergies = {1000.0};
  batch.showers.assign(10, 1.0f);
  bolo::writeShowerFile(dir / "small.h5", batch);
  r = runBolo({"inspect", (dir / "small.h5").string(), "--particle", "pions"});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("10 voxels"), std::string::npos) << r.err;

  r = runBolo({"inspect", (dir / "small.h5").string(), "--particle", "kaons"});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("valid particles are pions, photons"), std::string::npos) << r.err;
}
