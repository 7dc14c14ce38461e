// Every number checked, no crash on any input (issue 16): the bolo program given hostile or
// out-of-range input exits 2 with one line naming the input, never crashes, never starts a
// run with a silently replaced value; what it writes it can read back.

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

#include "calo/ShowerFile.hpp"
#include "common/AtomicFile.hpp"
#include "common/Subprocess.hpp"
#include "support/RunBolo.hpp"
#include "support/TempDir.hpp"

using bolo::test::runBolo;
namespace fs = std::filesystem;

namespace {

int lines(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class InputLimitsCli : public testing::Test {
 protected:
  std::string work() const { return (m_dir / "work").string(); }
  std::string file(const std::string& name, const std::string& content) const {
    bolo::writeFileAtomically(m_dir / name, content);
    return (m_dir / name).string();
  }

  bolo::test::TempDir m_dir{"bolo-limits"};
};

}  // namespace

TEST_F(InputLimitsCli, DeeplyNestedJsonIsOneLineExit2Everywhere) {
  // 100,000 levels: parsed fine before, then the error message dumped it recursively (SIGSEGV).
  const std::string deep = file("deep.json", std::string(100000, '[') + std::string(100000, ']'));
  const std::string w = work();
  const std::vector<std::vector<std::string>> commands{
      {"simulate", "pions", "--workdir", w, "--config", deep},
      {"train", "pions", "--workdir", w, "--config", deep},
      {"jets", "--workdir", w, "--config", deep},
      {"tagger", "train", "--workdir", w, "--config", deep},
      {"scan", "plan", "--workdir", w, "--space", deep},
      {"submit", "--workdir", w, "--catalogue", deep, "--", "simulate", "pions"},
  };
  for (const auto& args : commands) {
    const auto r = runBolo(args);
    EXPECT_EQ(r.exitCode, 2) << args[0] << ": " << r.err;
    EXPECT_EQ(r.err, "bolo: error: " + deep + ": JSON nested deeper than 64 levels\n") << args[0];
  }
}

TEST_F(InputLimitsCli, NumberBeyondADoubleNamesItsJsonPath) {
  const auto config = file("train.json", R"({"train": {"batch_size": 1e400}})");
  const auto r = runBolo({"train", "pions", "--config", config, "--workdir", work()});
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_EQ(r.err, "bolo: error: " + config +
                       ": train.batch_size: number out of range of a double (1e400)\n");
}

TEST_F(InputLimitsCli, NonPositiveCountsAreRefusedNamingTheOption) {
  // Each of these used to start work with a default in place of the value given.
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
      {{"train", "pions", "--iterations", "-5"}, "--iterations"},
      {{"train", "pions", "--iterations", "0"}, "--iterations"},
      {{"train", "pions", "--batch", "0"}, "--batch"},
      {{"train", "pions", "--batch", "-1"}, "--batch"},
      {{"train", "pions", "--checkpoint-every", "0"}, "--checkpoint-every"},
      {{"train", "pions", "--threads", "-3"}, "--threads"},
      {{"train", "pions", "--seed", "-2"}, "--seed"},
      {{"train", "pions", "--minutes", "nan"}, "--minutes"},
      {{"simulate", "pions", "--events", "0"}, "--events"},
      {{"simulate", "pions", "--seed", "-1"}, "--seed"},
      {{"generate", "pions", "--batch", "0"}, "--batch"},
      {{"bestiter", "pions", "--bins", "0"}, "--bins"},
      {{"evaluate", "--generated", "x.h5", "--threads", "99999"}, "--threads"},
      {{"scan", "plan", "--jobs", "0"}, "--jobs"},
      {{"tagger", "roc", "--fc", "nan"}, "--fc"},
      {{"submit", "--cpus", "0", "--", "simulate", "pions"}, "--cpus"},
      {{"wait", "--poll", "0", "1"}, "--poll"},
      {{"bench", "train", "--steps", "0"}, "--steps"},
      {{"bench", "generate", "--batches", "100,0"}, "--batches"},
      {{"bench", "quality", "--minutes", "1", "--threads", "0"}, "--threads"},
  };
  for (const auto& [args, option] : cases) {
    // Refused while the command line is parsed: no work directory is made or read.
    const auto r = runBolo(args);
    EXPECT_EQ(r.exitCode, 2) << fmt::format("{}: {}", fmt::join(args, " "), r.err);
    EXPECT_EQ(r.err.rfind("bolo: error: " + option + ": expected ", 0), 0u) << r.err;
    EXPECT_EQ(lines(r.err), 1) << r.err;
    // CLI11's own bounds printed DBL_MAX in full: 309 digits.
    EXPECT_LT(r.err.size(), 160u) << r.err;
  }
  const auto jobs = runBolo({"scan", "plan", "--jobs", "0"});
  EXPECT_EQ(jobs.err,
            "bolo: error: --jobs: expected a positive integer, got '0' (see bolo --help)\n");
}

TEST_F(InputLimitsCli, CraftedGeometryIsRefusedNotClampedOrWrapped) {
  // The report's file: pions layer 13 with 16 radial x 268435466 alpha bins, whose product in
  // int wrapped around to the real voxel count; inspect accepted it, evaluate crashed.
  std::string xml =
      bolo::readFile(fs::path(BOLO_SOURCE_DIR) / "data/geometry/binning_dataset_1_pions.xml");
  const std::string layer13 =
      R"(<Layer id="13" r_edges="0,10,20,30,50,80,100,130,160,200,250,300,350,400,600,1000,2000" n_bin_alpha="10" />)";
  ASSERT_NE(xml.find(layer13), std::string::npos);
  std::string crafted = layer13;
  crafted.replace(crafted.find(R"(n_bin_alpha="10")"), 16, R"(n_bin_alpha="268435466")");
  xml.replace(xml.find(layer13), layer13.size(), crafted);
  const auto geometry = file("crafted.xml", xml);
  bolo::ShowerBatch batch;
  batch.voxels = 533;
  batch.incidentEnergies = {1000.0};
  batch.showers.assign(533, 1.0f);
  bolo::writeShowerFile(m_dir / "showers.h5", batch);
  const auto r = runBolo({"inspect", (m_dir / "showers.h5").string(), "--geometry", geometry});
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_EQ(r.err, "bolo: error: " + geometry +
                       ": layer 13: n_bin_alpha=\"268435466\" is not an integer in [1, 1000]\n");
  const auto e = runBolo({"evaluate", "--reference", (m_dir / "showers.h5").string(), "--generated",
                          (m_dir / "showers.h5").string(), "--geometry", geometry, "--out",
                          (m_dir / "eval").string(), "--skip-classifier"});
  EXPECT_EQ(e.exitCode, 2) << e.err;
  EXPECT_TRUE(contains(e.err, "n_bin_alpha")) << e.err;
}

TEST_F(InputLimitsCli, EnergiesFloat32CannotHoldAreRefusedBeforeSimulating) {
  const auto out = m_dir / "huge.h5";
  const auto r = runBolo({"simulate", "pions", "--energies", "1e300", "--events", "1", "--out",
                          out.string(), "--workdir", work()});
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_EQ(r.err,
            "bolo: error: --energies: expected a positive number up to 1e+09, got '1e300' (see "
            "bolo --help)\n");
  EXPECT_FALSE(fs::exists(out));
  // At the limit the file is written and reads back.
  const auto ok = runBolo({"simulate", "pions", "--energies", "1e9", "--events", "1", "--out",
                           out.string(), "--workdir", work()});
  ASSERT_EQ(ok.exitCode, 0) << ok.err;
  EXPECT_EQ(runBolo({"inspect", out.string()}).exitCode, 0);
}

TEST_F(InputLimitsCli, EnvironmentNumbersAreRangeChecked) {
  const auto r = bolo::runProcess({BOLO_EXECUTABLE, "gpu-check", "--no-compute"}, {}, {},
                                  {{"BOLO_CUDA_RUNTIME_VERSION", "99999999999999999999.1"},
                                   {"BOLO_NVML_LIBRARY", "/nonexistent/libnvidia-ml.so.1"},
                                   {"BOLO_GPU_DEV_ROOT", (m_dir / "nodev").string()}});
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_TRUE(
      contains(r.err, "BOLO_CUDA_RUNTIME_VERSION: '99999999999999999999.1' is not a CUDA version"))
      << r.err;
  EXPECT_FALSE(contains(r.err, "internal error"));
}

TEST_F(InputLimitsCli, BestIterSuggestsItsOwnReferenceOption) {
  const auto r = runBolo({"bestiter", "pions", "--workdir", work()});
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "or pass --reference FILE")) << r.err;
}

TEST_F(InputLimitsCli, AnOutputThatCannotBeCreatedIsExit1Everywhere) {
  file("plain", "a file, not a folder");
  const auto under = (m_dir / "plain" / "sub").string();
  const auto simulate = runBolo({"simulate", "pions", "--events", "1", "--energies", "256", "--out",
                                 under + "/x.h5", "--workdir", work()});
  EXPECT_EQ(simulate.exitCode, 1) << simulate.err;
  const auto gpu = bolo::runProcess(
      {BOLO_EXECUTABLE, "gpu-check", "--no-compute", "--out", under + "/report.json"}, {}, {},
      {{"BOLO_NVML_LIBRARY", "/nonexistent/libnvidia-ml.so.1"},
       {"BOLO_GPU_DEV_ROOT", (m_dir / "nodev").string()}});
  EXPECT_EQ(gpu.exitCode, 1) << gpu.err;
  const auto init = runBolo({"init", "--workdir", under});
  EXPECT_EQ(init.exitCode, 1) << init.err;
  for (const auto* r : {&simulate, &gpu, &init}) {
    EXPECT_FALSE(contains(r->err, "internal error")) << r->err;
    EXPECT_EQ(lines(r->err), 1) << r->err;
  }
}

TEST_F(InputLimitsCli, ConfigEnergiesAreBoundedToo) {
  const auto config = file("simulate.json", R"({"energies_mev": [256, 1e300]})");
  const auto r = runBolo({"simulate", "pions", "--config", config, "--events", "1", "--out",
                          (m_dir / "c.h5").string(), "--workdir", work()});
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_EQ(r.err,
            "bolo: error: energies_mev[1]: expected a positive energy up to 1e+09 MeV, got "
            "1e+300\n");
}

TEST_F(InputLimitsCli, ZeroThreadsMeansAllCoresAndIsAccepted) {
  // 0 keeps its documented meaning (all cores) in every verb; only negatives are refused.
  const auto r = runBolo({"simulate", "pions", "--threads", "0", "--events", "1", "--energies",
                          "256", "--out", (m_dir / "t.h5").string(), "--workdir", work()});
  EXPECT_EQ(r.exitCode, 0) << r.err;
}
