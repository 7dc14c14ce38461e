// bolo evaluate end to end on small generated files: the report, the plots, the HTML page in
// headless Chromium, the verdicts on alike and on clearly different samples, and bad inputs.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>

#include "calo/ShowerFile.hpp"
#include "calo/ShowerGeometry.hpp"
#include "common/AtomicFile.hpp"
#include "common/Subprocess.hpp"
#include "support/HeadlessChromium.hpp"

namespace bolo {
namespace {

namespace fs = std::filesystem;

const fs::path kPhotonsXml =
    fs::path(BOLO_SOURCE_DIR) / "data/geometry/binning_dataset_1_photons.xml";

/// Showers at three energies: response ~ N(mean, 0.04), energy spread over voxels with an
/// exponential fall-off along the flat voxel index (`falloff` voxels) and half the voxels empty.
ShowerBatch makeShowers(std::size_t perPoint, double meanResponse, std::uint64_t seed,
                        double falloff = 60.0) {
  const auto geometry = ShowerGeometry::fromXml(kPhotonsXml);
  std::mt19937_64 rng(seed);
  std::exponential_distribution<double> voxel(1.0);
  std::bernoulli_distribution filled(0.5);
  std::normal_distribution<double> response(meanResponse, 0.04);
  ShowerBatch batch;
  batch.voxels = geometry.voxelCount();
  for (double energy : {1024.0, 8192.0, 65536.0}) {
    for (std::size_t i = 0; i < perPoint; ++i) {
      std::vector<double> row(batch.voxels, 0.0);
      double sum = 0;
      for (std::size_t v = 0; v < batch.voxels; ++v) {
        if (filled(rng)) row[v] = voxel(rng) * std::exp(-static_cast<double>(v) / falloff);
        sum += row[v];
      }
      const double total = energy * response(rng);
      for (double e : row) batch.showers.push_back(static_cast<float>(e / sum * total));
      batch.incidentEnergies.push_back(energy);
    }
  }
  return batch;
}

class EvaluateCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    s_dir = fs::temp_directory_path() / ("bolo-evaluate-" + std::to_string(::getpid()));
    fs::remove_all(s_dir);
    fs::create_directories(s_dir);
    writeShowerFile(s_dir / "reference.h5", makeShowers(150, 0.9, 1));
    writeShowerFile(s_dir / "alike.h5", makeShowers(150, 0.9, 2),
                    {ShowerPrecision::kFloat64, 100, 0});
    writeShowerFile(s_dir / "different.h5", makeShowers(150, 0.7, 3, 20.0));
    // Small network and few epochs keep each run to seconds on 2 cores.
    writeFileAtomically(s_dir / "evaluate.json", R"({
      "plot_formats": ["png", "svg"],
      "histograms": {"bins": 30, "energy_point_bins": 20},
      "classifier": {"epochs": 15, "hidden_units": 64, "batch_size": 50, "learning_rate": 0.001}
    })");
  }
  static void TearDownTestSuite() { fs::remove_all(s_dir); }

  static ProcessResult evaluate(const std::string& generated, const std::string& out,
                                std::vector<std::string> extra = {}) {
    std::vector<std::string> argv{
        BOLO_EXECUTABLE, "evaluate", "--reference", (s_dir / "reference.h5").string(),
        "--generated",   generated,  "--geometry",  kPhotonsXml.string(),
        "--out",         out,        "--config",    (s_dir / "evaluate.json").string(),
        "--seed",        "5"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return runProcess(argv);
  }

  static inline fs::path s_dir;
};

TEST_F(EvaluateCliTest, AlikeSamplesPassAndTheHtmlPageLoadsInABrowser) {
  const fs::path out = s_dir / "alike";
  const auto run = evaluate((s_dir / "alike.h5").string(), out.string(), {"--json"});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  const auto report = nlohmann::json::parse(readFile(out / "evaluation.json"));
  EXPECT_EQ(nlohmann::json::parse(run.out), report);  // --json prints the same report
  for (const char* file : {"config.json", "manifest.json", "report.html"})
    EXPECT_TRUE(fs::exists(out / file)) << file;
  EXPECT_EQ(nlohmann::json::parse(readFile(out / "manifest.json"))["status"], "completed");
  // photons: E_total/E_inc, 5 layer energies, 4 eta/phi features for each of layers 1 and 2,
  // 5 sparsities
  ASSERT_EQ(report["features"].size(), 19u);
  // Same distribution: each per-point chi2 has ~19 NDF, the combination ~57, so chi2/NDF
  // scatters around 1 with sigma sqrt(2/57) = 0.19; 1.8 is 4 sigma.
  const double combined = report["energy_points"]["combined"]["chi2_per_ndf"];
  EXPECT_LT(combined, 1.8);
  EXPECT_LT(report["separation_power_mean"].get<double>(), 0.1);
  if (report["classifier"].contains("voxels")) {
    // 90 showers per class in the test split: the AUC of indistinguishable samples has a
    // standard deviation of sqrt(181 / (12 * 90 * 90)) = 0.043; 0.5 +- 0.17 is 4 sigma.
    EXPECT_NEAR(report["classifier"]["voxels"]["auc"].get<double>(), 0.5, 0.17);
    EXPECT_NEAR(report["classifier"]["high_level"]["auc"].get<double>(), 0.5, 0.17);
    EXPECT_EQ(report["classifier"]["voxels"]["showers_per_class"], 450);
  }
  // Response and resolution per energy point: reference N(0.9, 0.04) at all three points;
  // 150 showers give the mean to 0.04 / sqrt(150) = 0.0033 and the rms to 0.04 / sqrt(300) =
  // 0.0023, so 0.015 / 0.01 are over 4 sigma; the ratios compare two such samples.
  ASSERT_EQ(report["response"].size(), 3u);
  for (const auto& p : report["response"]) {
    EXPECT_EQ(p["reference"]["showers"], 150);
    EXPECT_EQ(p["generated"]["showers"], 150);
    EXPECT_NEAR(p["reference"]["mean"].get<double>(), 0.9, 0.015);
    EXPECT_NEAR(p["reference"]["rms"].get<double>(), 0.04, 0.01);
    EXPECT_NEAR(p["mean_ratio"].get<double>(), 1.0, 0.025);
    EXPECT_NEAR(p["rms_ratio"].get<double>(), 1.0, 0.35);
  }
  EXPECT_EQ(report["response"][1]["energy_mev"], 8192.0);
  // 19 feature figures, the energy-point grid and the response, each as PNG and SVG (with .gp
  // and .dat).
  EXPECT_EQ(report["plots"].size(), 42u);
  for (const auto& plot : report["plots"])
    EXPECT_TRUE(fs::exists(out / plot.get<std::string>())) << plot;

  if (!testing::chromiumAvailable())
    GTEST_SKIP() << "chromium is not installed at /usr/bin/chromium";
  const auto page = testing::openInChromium(out / "report.html");
  EXPECT_EQ(page.images, 21) << page.dom.substr(0, 400);
  EXPECT_EQ(page.imagesLoaded, 21);
  EXPECT_EQ(page.errors, 0);
  const std::string html = readFile(out / "report.html");
  EXPECT_EQ(html.find("src=\"http"), std::string::npos);    // nothing fetched from the network
  EXPECT_EQ(html.find("src=\"plots/"), std::string::npos);  // nor from files beside the page
}

TEST_F(EvaluateCliTest, ClearlyDifferentSamplesAreCaught) {
  const fs::path out = s_dir / "different";
  const auto run = evaluate((s_dir / "different.h5").string(), out.string(), {"--threads", "2"});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  const auto report = nlohmann::json::parse(readFile(out / "evaluation.json"));
  // Responses 0.7 against 0.9 with a 0.04 spread: no overlap, every generated shower falls in
  // the first bin of the reference histogram.
  EXPECT_GT(report["energy_points"]["combined"]["chi2_per_ndf"].get<double>(), 10.0);
  EXPECT_GT(report["features"][0]["separation_power"].get<double>(), 0.9);
  EXPECT_EQ(report["features"][0]["name"], "etot_over_einc");
  // Mean response 0.7 against 0.9 at every point (each mean known to about 0.004).
  for (const auto& p : report["response"])
    EXPECT_NEAR(p["mean_ratio"].get<double>(), 0.7 / 0.9, 0.02);
  if (report["classifier"].contains("high_level")) {
    // Lower response and a three times steeper fall-off: layer energies, centres and widths
    // all differ, so a working classifier separates the samples almost perfectly (a broken
    // one stays near 0.5).
    EXPECT_GT(report["classifier"]["high_level"]["auc"].get<double>(), 0.9);
    EXPECT_GT(report["classifier"]["voxels"]["auc"].get<double>(), 0.9);
  }
}

TEST_F(EvaluateCliTest, BadInputsExitTwoWithOneLine) {
  const auto geometry = ShowerGeometry::fromXml(kPhotonsXml);
  ShowerBatch nanBatch = makeShowers(2, 0.9, 4);
  nanBatch.showers[7] = NAN;
  const fs::path nanFile = s_dir / "nan.h5";
  // A bad file on purpose: the writer's own check (as strict as the reader's) is turned off.
  writeShowerFile(nanFile, nanBatch, {ShowerPrecision::kFloat32, 1000, 4, false});
  ShowerBatch empty;
  empty.voxels = geometry.voxelCount();
  writeShowerFile(s_dir / "empty.h5", empty);
  ShowerBatch wrong;
  wrong.voxels = 533;
  wrong.incidentEnergies = {1000.0};
  wrong.showers.assign(533, 1.0f);
  writeShowerFile(s_dir / "pions.h5", wrong);

  const auto expectError = [&](const ProcessResult& r, const std::string& fragment) {
    EXPECT_EQ(r.exitCode, 2) << r.err;
    EXPECT_NE(r.err.find(fragment), std::string::npos) << r.err;
  };
  expectError(evaluate(nanFile.string(), (s_dir / "bad").string()), "is nan");
  expectError(evaluate((s_dir / "empty.h5").string(), (s_dir / "bad").string()),
              "holds no showers");
  expectError(evaluate((s_dir / "pions.h5").string(), (s_dir / "bad").string()), "533 voxels");
  expectError(evaluate((s_dir / "missing.h5").string(), (s_dir / "bad").string()),
              "file not found");
  expectError(
      runProcess({BOLO_EXECUTABLE, "evaluate", "--generated", (s_dir / "alike.h5").string()}),
      "--geometry");
  writeFileAtomically(s_dir / "bad.json", R"({"histograms": {"bins": -1}})");
  expectError(
      runProcess({BOLO_EXECUTABLE, "evaluate", "--reference", (s_dir / "reference.h5").string(),
                  "--generated", (s_dir / "alike.h5").string(), "--geometry", kPhotonsXml.string(),
                  "--config", (s_dir / "bad.json").string(), "--out", (s_dir / "bad").string()}),
      "histograms.bins");
  // A run that fails part-way says so in its manifest.
  EXPECT_EQ(nlohmann::json::parse(readFile(s_dir / "bad" / "manifest.json"))["status"], "failed");
}

}  // namespace
}  // namespace bolo
