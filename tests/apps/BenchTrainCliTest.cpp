// bolo bench train and its peer: the project ships the plain-PyTorch peer (bench/peers/),
// finds it from the build tree and from an installed (or moved) program, and says loudly
// when it cannot run it.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/Subprocess.hpp"
#include "support/RunBolo.hpp"
#include "support/TempDir.hpp"

using bolo::test::runBolo;
namespace fs = std::filesystem;

namespace {

// The smallest timing that still runs every step: one batch of 8, one step, no warm-up.
const std::vector<std::string> kTiny{"bench",   "train", "--particles", "pions", "--batches", "8",
                                     "--steps", "1",     "--warmup",    "0",     "--threads", "1"};

std::vector<std::string> tiny(std::vector<std::string> extra) {
  std::vector<std::string> args = kTiny;
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

bool pythonHasTorch() {
  return bolo::runProcess({"/usr/bin/python3", "-c", "import torch"}).exitCode == 0;
}

}  // namespace

TEST(BenchTrainCli, APeerThatCannotRunIsSaidLoudly) {
  const auto r = runBolo(tiny({"--peer", "/nonexistent/peer.py"}));
  EXPECT_EQ(r.exitCode, 3) << r.err;  // a missing tool, after the report is written
  EXPECT_NE(r.err.find("peer not run: peer script /nonexistent/peer.py not found"),
            std::string::npos)
      << r.err;
  const auto report = nlohmann::json::parse(r.out).at("results");
  EXPECT_EQ(report["peer"]["ran"], false);
  EXPECT_NE(report["peer"]["reason"].get<std::string>().find("not found"), std::string::npos);
  EXPECT_GT(report["runs"][0]["bolo_generator_steps_per_s"].get<double>(), 0);
  EXPECT_FALSE(report["runs"][0].contains("speedup_vs_peer"));

  const auto noPython = runBolo(tiny({"--python", "/nonexistent/python3"}));
  EXPECT_EQ(noPython.exitCode, 3) << noPython.err;
  EXPECT_NE(noPython.err.find("python interpreter /nonexistent/python3 not found"),
            std::string::npos)
      << noPython.err;
}

TEST(BenchTrainCli, NoPeerOnPurposeIsFine) {
  const auto r = runBolo(tiny({"--no-peer"}));
  EXPECT_EQ(r.exitCode, 0) << r.err;
  const auto report = nlohmann::json::parse(r.out).at("results");
  EXPECT_EQ(report["peer"]["ran"], false);
  EXPECT_EQ(report["peer"]["reason"], "--no-peer");
}

TEST(BenchTrainCli, ShippedPeerIsFoundInTheBuildTreeAndRuns) {
  if (!pythonHasTorch()) GTEST_SKIP() << "/usr/bin/python3 cannot import torch";
  const auto r = runBolo(tiny({}));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const auto report = nlohmann::json::parse(r.out).at("results");
  EXPECT_EQ(fs::path(report["peer_script"].get<std::string>()),
            fs::path(BOLO_SOURCE_DIR) / "bench" / "peers" / "wgan_gp_peer.py");
  EXPECT_EQ(report["peer"]["ran"], true);
  EXPECT_GT(report["runs"][0]["speedup_vs_peer"].get<double>(), 0);
}

TEST(BenchTrainCli, AnInstalledOrMovedProgramFindsThePeerBesideItsBin) {
  // The layout `cmake --install` makes: <prefix>/bin/bolo, <prefix>/share/bolo/peers/.
  bolo::test::TempDir prefix("bolo-prefix");
  fs::create_directories(prefix.path() / "bin");
  fs::create_directories(prefix.path() / "share" / "bolo");
  fs::copy_file(BOLO_EXECUTABLE, prefix.path() / "bin" / "bolo");
  fs::copy(fs::path(BOLO_SOURCE_DIR) / "bench" / "peers",
           prefix.path() / "share" / "bolo" / "peers");
  std::vector<std::string> argv{(prefix.path() / "bin" / "bolo").string()};
  for (const auto& a : tiny({"--no-peer"})) argv.push_back(a);
  const auto r = bolo::runProcess(argv);
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["results"]["peer_script"],
            (prefix.path() / "share" / "bolo" / "peers" / "wgan_gp_peer.py").string());
}
