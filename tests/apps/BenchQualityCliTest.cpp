// bolo bench quality end to end: a tiny real run (a small simulated pions reference, tiny
// GANs through --config, a few seconds of training) gives a curve of chi2/NDF versus training
// time with a best point, the response and the classifier AUC; bad input exits 2 with one line.

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/AtomicFile.hpp"
#include "common/GnuplotFigure.hpp"
#include "common/Subprocess.hpp"
#include "support/TempDir.hpp"

namespace bolo {
namespace {

namespace fs = std::filesystem;

ProcessResult bolo(std::vector<std::string> args) {
  args.insert(args.begin(), BOLO_EXECUTABLE);
  return runProcess(args);
}

std::size_t nonEmptyLines(const std::string& text) {
  std::istringstream in(text);
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) n += line.empty() ? 0 : 1;
  return n;
}

class BenchQualityCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    s_dir = std::make_unique<test::TempDir>("bolo-bench-quality");
    const auto sim = bolo({"simulate", "pions", "--events", "200", "--energies", "1024,4096,16384",
                           "--workdir", s_dir->path().string(), "--threads", "1"});
    ASSERT_EQ(sim.exitCode, 0) << sim.err;
    // Tiny GANs (the presets' sizes would need minutes per checkpoint here) and a small
    // scoring sample keep the whole run to seconds.
    writeFileAtomically(s_dir->path() / "tiny.json", R"({
      "pions": {"latent_size": 4, "generator_hidden": [16, 16], "critic_hidden": [16, 16],
                "batch_size": 16, "critic_steps": 2},
      "bestiter": {"showers_per_energy": 400, "bins": 10}
    })");
  }
  static void TearDownTestSuite() { s_dir.reset(); }
  static ProcessResult bench(std::vector<std::string> extra) {
    std::vector<std::string> args{"bench", "quality",   "--particle",
                                  "pions", "--workdir", s_dir->path().string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return bolo(args);
  }
  static inline std::unique_ptr<test::TempDir> s_dir;
};

TEST_F(BenchQualityCliTest, TinyRunGivesACurveWithABestPoint) {
  const fs::path out = s_dir->path() / "quality.json";
  const auto run =
      bench({"--minutes", "0.1", "--preset", "bolo", "--seeds", "1", "--checkpoint-every", "40",
             "--config", (s_dir->path() / "tiny.json").string(), "--out", out.string()});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  const auto report = nlohmann::json::parse(readFile(out));
  EXPECT_EQ(nlohmann::json::parse(run.out), report);  // printed on stdout too
  EXPECT_EQ(report["benchmark"], "quality");
  EXPECT_TRUE(report["machine"].is_object());
  const auto& results = report["results"];
  EXPECT_EQ(results["minutes"], 0.1);
  EXPECT_EQ(results["scoring"]["bestiter"]["showers_per_energy"], 400);
  ASSERT_EQ(results["runs"].size(), 1u);
  const auto& r = results["runs"][0];
  EXPECT_EQ(r["preset"], "bolo");
  EXPECT_EQ(r["seed"], 1);
  EXPECT_EQ(r["exit_code"], 0);
  EXPECT_TRUE(r["training"]["all"]["stopped_by_time_limit"].get<bool>());

  // The curve: checkpoints in increasing training time, each with its chi2/NDF; the last one
  // is written when the 6 s budget runs out.
  const auto& points = r["points"];
  ASSERT_FALSE(points.empty());
  double previous = -1;
  long long previousIteration = -1;
  for (const auto& p : points) {
    const double t = p["training_seconds"].get<double>();
    EXPECT_GT(t, previous);
    EXPECT_GT(p["iteration"].get<long long>(), previousIteration);
    EXPECT_NEAR(p["chi2_per_ndf"].get<double>(), p["chi2"].get<double>() / p["ndf"].get<double>(),
                1e-9);
    previous = t;
    previousIteration = p["iteration"].get<long long>();
  }
  EXPECT_GE(previous, 6.0);
  EXPECT_LT(previous, 30.0);

  // The best point is the curve's lowest chi2/NDF.
  const auto& best = r["best"];
  ASSERT_TRUE(best.is_object());
  double lowest = 1e300;
  for (const auto& p : points) lowest = std::min(lowest, p["chi2_per_ndf"].get<double>());
  EXPECT_EQ(best["chi2_per_ndf"].get<double>(), lowest);
  EXPECT_TRUE(fs::exists(best["checkpoints"]["all"].get<std::string>()));
  for (const char* key : {"seconds_to_chi2_ndf_10", "seconds_to_chi2_ndf_5"}) {
    ASSERT_TRUE(r.contains(key)) << key;
    EXPECT_TRUE(r[key].is_null() || r[key].is_number()) << key;
  }
  EXPECT_EQ(results["by_preset"]["bolo"]["median_best_chi2_per_ndf"].get<double>(), lowest);

  // Response of the best checkpoint at the three energy points; classifier AUC in [0, 1].
  ASSERT_EQ(r["response"].size(), 3u);
  EXPECT_EQ(r["response"][0]["reference"]["showers"], 200);
  EXPECT_EQ(r["response"][0]["generated"]["showers"], 400);
  ASSERT_TRUE(r["auc_high_level"].is_number()) << r.dump();
  EXPECT_GE(r["auc_high_level"].get<double>(), 0.0);
  EXPECT_LE(r["auc_high_level"].get<double>(), 1.0);

  EXPECT_TRUE(fs::exists(s_dir->path() / "quality.gp"));
  EXPECT_TRUE(fs::exists(r["log"].get<std::string>()));
  if (gnuplotAvailable()) {
    EXPECT_TRUE(fs::exists(s_dir->path() / "quality.png"));
    EXPECT_TRUE(fs::exists(s_dir->path() / "quality.svg"));
    EXPECT_TRUE(fs::exists(r["response_plot"].get<std::string>()));
  }
}

TEST_F(BenchQualityCliTest, BadInputExitsTwoWithOneLine) {
  const auto expectError = [](const ProcessResult& r, const std::string& fragment) {
    EXPECT_EQ(r.exitCode, 2) << r.err;
    EXPECT_NE(r.err.find(fragment), std::string::npos) << r.err;
    EXPECT_EQ(nonEmptyLines(r.err), 1u) << r.err;
  };
  expectError(bench({"--minutes", "1", "--preset", "bolo,fastcalogan"}), "unknown preset");
  expectError(bench({"--minutes", "0", "--preset", "bolo"}), "--minutes");
  expectError(bench({"--minutes", "1", "--reference", (s_dir->path() / "none.h5").string()}),
              "not found");
  expectError(bolo({"bench", "quality", "--particle", "kaons", "--minutes", "1", "--workdir",
                    s_dir->path().string()}),
              "kaons");
  expectError(bench({"--preset", "bolo"}), "--minutes");
  writeFileAtomically(s_dir->path() / "bad.json", R"({"pions": {"batch_size": -3}})");
  expectError(bench({"--minutes", "1", "--config", (s_dir->path() / "bad.json").string()}),
              "batch_size");
}

}  // namespace
}  // namespace bolo
