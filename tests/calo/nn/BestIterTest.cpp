// Best-iteration selection on a synthetic sequence of checkpoints whose answer is known: all
// share the same initial weights, checkpoint i scales every generated energy by s_i, and the
// reference is generated (with other latent numbers) by the checkpoint with s = 1.

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "GanTestSupport.hpp"
#include "calo/Chi2EnergyPoints.hpp"
#include "calo/ResponsePlot.hpp"
#include "calo/nn/BestIterationRun.hpp"
#include "calo/nn/GanShowerGenerator.hpp"
#include "calo/nn/GanTraining.hpp"
#include "common/AtomicFile.hpp"
#include "common/Error.hpp"
#include "common/GnuplotFigure.hpp"
#include "common/nn/TorchRuntime.hpp"

namespace bolo::nn {
namespace {

using test::TempDir;
namespace fs = std::filesystem;

const char* kGeometryXml = R"(<Bins>
  <Bin pid="22" name="tiny">
    <Layer id="0" r_edges="0,5,10,30" n_bin_alpha="2"/>
    <Layer id="1" r_edges="0,10,40" n_bin_alpha="1"/>
  </Bin>
</Bins>)";

struct KnownAnswer {
  explicit KnownAnswer(const std::string& tag) : dir(tag) {
    configureCpuThreads(1);
    config = test::tinyGanConfig();
    const int voxels = static_cast<int>(geometry.voxelCount());
    sidecars = writeUntrainedCheckpoints(config, voxels, geometry.layerVoxelCounts(), "photons",
                                         1024, 16384, dir.path() / "ckpt", 5, "cpu",
                                         {0.7, 0.85, 1.0, 1.15, 1.3}, 11);
    // The reference: 2,000 showers per point from the s = 1 checkpoint (iteration 30), other seed.
    GanShowerGenerator truth(resolveCheckpoint(sidecars[2]), "cpu");
    ShowerBatch showers;
    for (double e : {1024.0, 4096.0, 16384.0})
      truth.generate(std::vector<double>(2000, e), 99ULL + static_cast<unsigned long long>(e),
                     showers);
    reference = referenceFromBatch(showers, geometry);
  }
  BestIterRequest request() const {
    BestIterRequest r;
    r.run = "test";
    r.particle = "photons";
    r.gans = {{"all", dir.path() / "ckpt"}};
    r.outputDir = dir.path() / "bestiter";
    r.referenceKey = "synthetic";
    r.settings.showersPerEnergy = 2000;
    r.settings.bins = 20;
    r.plots = false;
    return r;
  }
  TempDir dir;
  ShowerGeometry geometry = ShowerGeometry::fromXmlText(kGeometryXml, "tiny");
  GanConfig config;
  std::vector<fs::path> sidecars;
  ReferenceSample reference;
};

double chi2NdfOf(const nlohmann::json& report, long long iteration) {
  for (const auto& e : report["gans"]["all"]["evaluations"]) {
    if (e["iteration"] == iteration) return e["chi2_ndf"].get<double>();
  }
  ADD_FAILURE() << "iteration " << iteration << " not scored";
  return 0;
}

TEST(BestIter, FindsTheKnownBestCheckpoint) {
  KnownAnswer k("bestiter-known");
  const auto outcome = runBestIteration(k.request(), k.reference);
  EXPECT_EQ(outcome.evaluated, 5u);
  const auto& report = outcome.report;
  EXPECT_EQ(report["gans"]["all"]["best"]["iteration"], 30);
  // The best checkpoint draws from the reference's own distribution: chi2/NDF is then ~1
  // (2,000 vs 2,000 showers, ~60 degrees of freedom: 3 sigma of chi2/NDF is ~0.55).
  EXPECT_LT(chi2NdfOf(report, 30), 1.8);
  // A 15% energy scale is many standard deviations away at 2,000 showers; 30% further still.
  EXPECT_GT(chi2NdfOf(report, 20), 5.0);
  EXPECT_GT(chi2NdfOf(report, 40), 5.0);
  EXPECT_GT(chi2NdfOf(report, 10), chi2NdfOf(report, 20));
  EXPECT_GT(chi2NdfOf(report, 50), chi2NdfOf(report, 40));

  const fs::path out = k.dir.path() / "bestiter";
  const auto best = nlohmann::json::parse(std::ifstream(out / "best.json"));
  EXPECT_EQ(fs::path(best["checkpoints"]["all"].get<std::string>()), k.sidecars[2]);
  const auto csv = test::readLines(out / "bestiter.csv");
  ASSERT_EQ(csv.size(), 6u);  // header + 5 checkpoints
  EXPECT_NE(csv[0].find("chi2_ndf_total_1024MeV"), std::string::npos);
  EXPECT_EQ(csv[3].rfind("all,30,1,", 0), 0u) << csv[3];
}

TEST(BestIter, ReportsTheResponseOfTheBestCheckpoint) {
  KnownAnswer k("bestiter-response");
  auto request = k.request();
  request.plots = true;
  const auto outcome = runBestIteration(request, k.reference);
  const auto& response = outcome.report["response"];
  ASSERT_EQ(response.size(), 3u);
  for (std::size_t p = 0; p < 3; ++p) {
    const auto& point = response[p];
    const auto& totals = k.reference.points[p].total;
    EXPECT_EQ(point["energy_mev"].get<double>(), k.reference.points[p].energyMeV);
    EXPECT_EQ(point["reference"]["showers"], totals.size());
    EXPECT_EQ(point["generated"]["showers"], 2000);
    const auto ref = responseAtEnergy(k.reference.points[p].energyMeV, totals);
    EXPECT_DOUBLE_EQ(point["reference"]["mean"].get<double>(), ref.mean);
    EXPECT_DOUBLE_EQ(point["reference"]["rms"].get<double>(), ref.rms);
    // The best checkpoint (s = 1) draws from the reference's distribution: two means of 2,000
    // showers differ by sqrt(2 / 2000) rms / mean relative at one sigma; 5 sigma allowed.
    const double tolerance = 5 * std::sqrt(2.0 / 2000) * ref.rms / ref.mean;
    EXPECT_NEAR(point["mean_ratio"].get<double>(), 1.0, tolerance) << point.dump();
    EXPECT_NEAR(point["rms_ratio"].get<double>(), 1.0, 0.25) << point.dump();
  }
  const auto written = nlohmann::json::parse(readFile(request.outputDir / "bestiter.json"));
  EXPECT_EQ(written["response"], response);
  EXPECT_TRUE(fs::exists(request.outputDir / "response.gp"));
  if (gnuplotAvailable()) {
    EXPECT_TRUE(fs::exists(request.outputDir / "response.png"));
  }
}

TEST(BestIter, IsDeterministicAndIncremental) {
  KnownAnswer k("bestiter-incremental");
  const auto first = runBestIteration(k.request(), k.reference);
  const auto second = runBestIteration(k.request(), k.reference);
  EXPECT_EQ(second.evaluated, 0u);
  EXPECT_EQ(second.reused, 5u);
  EXPECT_EQ(first.report["gans"], second.report["gans"]);

  // A new checkpoint (a copy of iteration 50 saved as iteration 60) is the only one scored,
  // with exactly the score of its twin (same weights, same latent numbers).
  const fs::path ckpt = k.dir.path() / "ckpt";
  fs::copy_file(ckpt / (checkpointStem(50) + ".pt"), ckpt / (checkpointStem(60) + ".pt"));
  auto meta = resolveCheckpoint(k.sidecars[4]).meta;
  writeCheckpointSidecar(ckpt / (checkpointStem(60) + ".pt"), 60, meta);
  const auto third = runBestIteration(k.request(), k.reference);
  EXPECT_EQ(third.evaluated, 1u);
  EXPECT_EQ(third.reused, 5u);
  EXPECT_EQ(chi2NdfOf(third.report, 60), chi2NdfOf(third.report, 50));

  // Changed settings invalidate the cache.
  auto other = k.request();
  other.settings.bins = 10;
  EXPECT_EQ(runBestIteration(other, k.reference).evaluated, 6u);
}

TEST(BestIter, LayerEnergiesAddTerms) {
  KnownAnswer k("bestiter-layers");
  auto r = k.request();
  r.settings.layerEnergies = true;
  r.settings.showersPerEnergy = 500;
  const auto score =
      scoreCheckpoint(resolveCheckpoint(k.sidecars[2]), k.reference, r.settings, "cpu", false);
  EXPECT_EQ(score.points.size(), 3u * 3u);  // total + 2 layers at 3 points
  EXPECT_EQ(score.points[1].observable, "layer_0");
  EXPECT_EQ(score.points[2].observable, "layer_1");
}

TEST(BestIter, ScoresAPointAsEvaluateDoes) {
  // bestiter and `bolo evaluate` must agree on the chi2 of the same samples: one binning
  // (calo/Chi2EnergyPoints.hpp) and one test (common/Chi2Test.hpp).
  std::vector<double> reference, generated;
  for (int i = 0; i < 400; ++i) reference.push_back(100.0 + (i * 37) % 101);
  for (int i = 0; i < 300; ++i) generated.push_back(95.0 + (i * 53) % 113);
  BestIterSettings settings;
  settings.bins = 12;
  settings.tailFraction = 0.01;
  const auto score = comparePoint(reference, generated, settings);
  EnergyPointBinning binning;
  binning.bins = 12;
  binning.tailFraction = 0.01;
  const auto evaluate =
      chi2OverEnergyPoints(std::vector<double>(reference.size(), 1000.0), reference,
                           std::vector<double>(generated.size(), 1000.0), generated, binning);
  ASSERT_EQ(evaluate.points.size(), 1u);
  EXPECT_GT(score.chi2, 0.0);
  EXPECT_DOUBLE_EQ(score.chi2, evaluate.points[0].chi2.chi2);
  EXPECT_EQ(score.ndf, evaluate.points[0].chi2.ndf);
  EXPECT_EQ(score.edges, evaluate.points[0].reference.edges());
}

TEST(BestIter, BadInputsGiveClearErrors) {
  const auto geometry = ShowerGeometry::fromXmlText(kGeometryXml, "tiny");
  TempDir dir("bestiter-bad");
  // Geometry mismatch: 12 voxels against a 8-voxel geometry.
  const auto wrong = test::syntheticShowers(12, {1024}, 5);
  try {
    referenceFromBatch(wrong, geometry);
    ADD_FAILURE() << "no error for a voxel mismatch";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("voxels"), std::string::npos) << e.what();
  }
  writeShowerFile(dir.path() / "wrong.h5", wrong);
  EXPECT_THROW(loadReference(dir.path() / "wrong.h5", geometry), InputError);
  // An empty file.
  ShowerBatch empty;
  empty.voxels = geometry.voxelCount();
  writeShowerFile(dir.path() / "empty.h5", empty);
  try {
    loadReference(dir.path() / "empty.h5", geometry);
    ADD_FAILURE() << "no error for an empty reference";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("no showers"), std::string::npos) << e.what();
  }
  // NaN in a reference shower.
  auto nan = test::syntheticShowers(geometry.voxelCount(), {1024}, 5);
  nan.showers[3] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_THROW(referenceFromBatch(nan, geometry), InputError);
  // No checkpoints at all.
  KnownAnswer k("bestiter-nockpt");
  auto r = k.request();
  r.gans = {{"all", dir.path() / "nothing"}};
  EXPECT_THROW(runBestIteration(r, k.reference), InputError);
}

}  // namespace
}  // namespace bolo::nn
