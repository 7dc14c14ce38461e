// Short real trainings of a tiny conditional WGAN-GP: losses move, checkpoints and metrics
// appear, a resumed run continues exactly where an uninterrupted one would be, corrupted
// checkpoints are skipped, and generation from a checkpoint gives valid showers.

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <numbers>

#include "GanTestSupport.hpp"
#include "calo/OnnxGraph.hpp"
#include "calo/nn/Checkpoint.hpp"
#include "calo/nn/GanShowerGenerator.hpp"
#include "calo/nn/GanTraining.hpp"
#include "common/Error.hpp"
#include "common/nn/TorchRuntime.hpp"

namespace bolo::nn {
namespace {

using test::TempDir;
namespace fs = std::filesystem;

constexpr std::size_t kVoxels = 12;

struct Fixture {
  ShowerBatch showers = test::syntheticShowers(kVoxels, {1024, 4096, 16384}, 40);
};

GanTrainingJob tinyJob(const Fixture& f, const fs::path& root, long long iterations) {
  configureCpuThreads(1);  // same thread count for every run: bitwise-reproducible losses
  GanTrainingJob job;
  job.name = "all";
  job.particle = "pions";
  job.config = test::tinyGanConfig();
  job.config.iterations = iterations;
  job.seed = 42;
  job.showers = &f.showers;
  job.energyLoMeV = 0;
  job.energyHiMeV = 1e9;
  job.checkpointDir = root / "ckpt";
  job.outputDir = root / "out";
  job.plot = false;
  return job;
}

std::vector<nlohmann::json> metrics(const fs::path& outputDir) {
  std::vector<nlohmann::json> out;
  for (const auto& line : test::readLines(outputDir / "metrics.jsonl"))
    out.push_back(nlohmann::json::parse(line));
  return out;
}

TEST(GanTraining, LossesMoveAndCheckpointsAppear) {
  Fixture f;
  TempDir dir("gan-train");
  const auto result = trainGan(tinyJob(f, dir.path(), 30));
  EXPECT_EQ(result.iterations, 30);
  const auto checkpoints = listCheckpoints(dir.path() / "ckpt");
  ASSERT_EQ(checkpoints.size(), 3u);
  EXPECT_EQ(checkpoints.front().iteration, 10);
  EXPECT_EQ(checkpoints.back().iteration, 30);
  const auto records = metrics(dir.path() / "out");
  ASSERT_EQ(records.size(), 30u);
  // Training changes the critic: its Wasserstein estimate cannot stay at its initial value.
  EXPECT_NE(records.front()["wasserstein"].get<double>(),
            records.back()["wasserstein"].get<double>());
  EXPECT_NE(records.front()["generator_loss"].get<double>(),
            records.back()["generator_loss"].get<double>());
  for (const auto& r : records) {
    EXPECT_GE(r["gradient_penalty"].get<double>(), 0.0);
    EXPECT_GT(r["step_seconds"].get<double>(), 0.0);
  }
}

TEST(GanTraining, SameSeedGivesSameLosses) {
  Fixture f;
  TempDir a("gan-seed-a"), b("gan-seed-b");
  trainGan(tinyJob(f, a.path(), 12));
  trainGan(tinyJob(f, b.path(), 12));
  const auto ma = metrics(a.path() / "out"), mb = metrics(b.path() / "out");
  ASSERT_EQ(ma.size(), mb.size());
  for (std::size_t i = 0; i < ma.size(); ++i) {
    EXPECT_EQ(ma[i]["critic_loss"], mb[i]["critic_loss"]) << "iteration " << i + 1;
    EXPECT_EQ(ma[i]["generator_loss"], mb[i]["generator_loss"]) << "iteration " << i + 1;
  }
}

TEST(GanTraining, ResumeContinuesWithIdenticalState) {
  Fixture f;
  TempDir straight("gan-straight"), split("gan-split");
  trainGan(tinyJob(f, straight.path(), 20));
  // The split run stops at 10 (its last checkpoint), as a killed run would, then resumes.
  trainGan(tinyJob(f, split.path(), 10));
  auto resumed = tinyJob(f, split.path(), 20);
  resumed.resume = true;
  const auto result = trainGan(resumed);
  EXPECT_EQ(result.startIteration, 10);
  EXPECT_EQ(result.iterations, 20);
  const auto ms = metrics(straight.path() / "out"), mr = metrics(split.path() / "out");
  ASSERT_EQ(mr.size(), 20u);
  for (std::size_t i = 0; i < ms.size(); ++i) {
    EXPECT_EQ(ms[i]["iteration"], mr[i]["iteration"]);
    EXPECT_EQ(ms[i]["critic_loss"], mr[i]["critic_loss"]) << "iteration " << i + 1;
    EXPECT_EQ(ms[i]["generator_loss"], mr[i]["generator_loss"]) << "iteration " << i + 1;
  }
  // Identical final generators generate identical showers.
  GanShowerGenerator ga(*latestCheckpoint(straight.path() / "ckpt"), "cpu");
  GanShowerGenerator gb(*latestCheckpoint(split.path() / "ckpt"), "cpu");
  ShowerBatch sa, sb;
  ga.generate({2048, 2048, 8192}, 5, sa);
  gb.generate({2048, 2048, 8192}, 5, sb);
  EXPECT_EQ(sa.showers, sb.showers);
}

TEST(GanTraining, RefusesToOverwriteWithoutResume) {
  Fixture f;
  TempDir dir("gan-overwrite");
  trainGan(tinyJob(f, dir.path(), 10));
  EXPECT_THROW(trainGan(tinyJob(f, dir.path(), 10)), InputError);
}

TEST(GanTraining, CorruptedAndTruncatedCheckpointsAreSkipped) {
  Fixture f;
  TempDir dir("gan-corrupt");
  trainGan(tinyJob(f, dir.path(), 30));
  const fs::path ckpt = dir.path() / "ckpt";
  {  // flip one byte in the middle of the newest archive
    std::fstream file(ckpt / (checkpointStem(30) + ".pt"),
                      std::ios::in | std::ios::out | std::ios::binary);
    file.seekg(200);
    char c = 0;
    file.read(&c, 1);
    file.seekp(200);
    c = static_cast<char>(c ^ 0x5a);
    file.write(&c, 1);
  }
  fs::resize_file(ckpt / (checkpointStem(20) + ".pt"), 100);  // truncated, as by a full disk
  EXPECT_FALSE(checkpointProblem(ckpt / (checkpointStem(30) + ".json")).empty());
  EXPECT_FALSE(checkpointProblem(ckpt / (checkpointStem(20) + ".json")).empty());
  const auto latest = latestCheckpoint(ckpt);
  ASSERT_TRUE(latest);
  EXPECT_EQ(latest->iteration, 10);
  EXPECT_THROW(resolveCheckpoint(ckpt / (checkpointStem(30) + ".pt")), InputError);

  auto resumed = tinyJob(f, dir.path(), 30);
  resumed.resume = true;
  const auto result = trainGan(resumed);
  EXPECT_EQ(result.startIteration, 10);
  EXPECT_EQ(latestCheckpoint(ckpt)->iteration, 30);
  EXPECT_EQ(metrics(dir.path() / "out").size(), 30u);
}

TEST(GanTraining, GeneratedShowersAreValidAndSeeded) {
  Fixture f;
  TempDir dir("gan-generate");
  trainGan(tinyJob(f, dir.path(), 10));
  const auto checkpoint = latestCheckpoint(dir.path() / "ckpt");
  ASSERT_TRUE(checkpoint);
  GanEnsemble ensemble({*checkpoint}, "cpu");
  const std::vector<double> energies{1024, 1024, 4096, 16384};
  const auto a = ensemble.generate(energies, 3, 3);
  const auto b = ensemble.generate(energies, 3, 3);
  const auto c = ensemble.generate(energies, 4, 3);
  ASSERT_EQ(a.size(), energies.size());
  EXPECT_EQ(a.voxels, kVoxels);
  EXPECT_EQ(a.incidentEnergies, energies);
  EXPECT_EQ(a.showers, b.showers);
  EXPECT_NE(a.showers, c.showers);
  for (float v : a.showers) {
    EXPECT_TRUE(std::isfinite(v));
    EXPECT_GE(v, 0.0f);  // ReLU output times a positive energy
  }
}

/// The tiny config with Bolo's recipe: energy sharing, critic features, EMA weights.
GanTrainingJob tinyBoloJob(const Fixture& f, const fs::path& root, long long iterations) {
  auto job = tinyJob(f, root, iterations);
  job.config.generatorOutput = "energy_sharing";
  job.config.criticFeatures = true;
  job.config.criticVoxelScale = "voxel_count";
  job.config.emaDecay = 0.9;
  job.layerVoxels = {4, 8};
  return job;
}

TEST(GanTraining, ResumeKeepsTheEmaWeights) {
  Fixture f;
  TempDir straight("gan-ema-straight"), split("gan-ema-split");
  trainGan(tinyBoloJob(f, straight.path(), 20));
  trainGan(tinyBoloJob(f, split.path(), 10));
  auto resumed = tinyBoloJob(f, split.path(), 20);
  resumed.resume = true;
  trainGan(resumed);
  const auto a = latestCheckpoint(straight.path() / "ckpt");
  const auto b = latestCheckpoint(split.path() / "ckpt");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->meta.at("architecture").at("layer_voxels"), nlohmann::json({4, 8}));
  EXPECT_TRUE(a->meta.at("architecture").at("generator_ema").get<bool>());
  // Generation uses the averaged weights: they match only if the resumed run restored them
  // (a fresh average would restart from the resumed generator's weights).
  GanShowerGenerator ga(*a, "cpu"), gb(*b, "cpu");
  ShowerBatch sa, sb;
  ga.generate({2048, 8192}, 5, sa);
  gb.generate({2048, 8192}, 5, sb);
  EXPECT_EQ(sa.showers, sb.showers);
}

TEST(GanTraining, LearningRateHalfLifeActsAndResumesOnSchedule) {
  Fixture f;
  TempDir constant("gan-lr-constant"), straight("gan-lr-straight"), split("gan-lr-split");
  auto decaying = [&](const fs::path& root, long long iterations) {
    auto job = tinyJob(f, root, iterations);
    job.config.learningRateHalfLife = 4;
    return job;
  };
  trainGan(tinyJob(f, constant.path(), 20));
  trainGan(decaying(straight.path(), 20));
  trainGan(decaying(split.path(), 10));
  auto resumed = decaying(split.path(), 20);
  resumed.resume = true;
  trainGan(resumed);
  const auto mc = metrics(constant.path() / "out");
  const auto ms = metrics(straight.path() / "out"), mr = metrics(split.path() / "out");
  ASSERT_EQ(ms.size(), 20u);
  ASSERT_EQ(mr.size(), 20u);
  // Iteration 1 runs at factor 2^0 = 1, as the constant run does; later ones at lower rates.
  EXPECT_EQ(ms[0]["critic_loss"], mc[0]["critic_loss"]);
  EXPECT_NE(ms[19]["critic_loss"], mc[19]["critic_loss"]);
  // The schedule is a function of the iteration: the resumed run continues it exactly.
  for (std::size_t i = 0; i < ms.size(); ++i)
    EXPECT_EQ(ms[i]["critic_loss"], mr[i]["critic_loss"]) << "iteration " << i + 1;
}

TEST(GanTraining, MatchingShapesChangesTheMatchingTermAndNeedsPositions) {
  Fixture f;
  TempDir energies("gan-match-energies"), shapes("gan-match-shapes"), none("gan-match-none"),
      joint("gan-match-joint");
  auto matching = [&](const fs::path& root, bool withShapes, const std::string& norm = "feature") {
    auto job = tinyBoloJob(f, root, 5);
    job.config.marginalMatching = 1.0;
    job.config.matchingDistance = "energy";
    job.config.matchingShapes = withShapes;
    job.config.matchingNorm = norm;
    // Layer 0 (4 voxels) without angles, layer 1 (8 voxels) on a ring of radius 10 mm.
    job.voxelPositions.layerHasAngles = {false, true};
    for (int v = 0; v < 12; ++v) {
      const double angle = v < 4 ? 0.0 : 2 * std::numbers::pi * (v - 4) / 8;
      job.voxelPositions.x.push_back(v < 4 ? 0.0 : 10 * std::cos(angle));
      job.voxelPositions.y.push_back(v < 4 ? 0.0 : 10 * std::sin(angle));
    }
    return job;
  };
  trainGan(matching(energies.path(), false));
  trainGan(matching(shapes.path(), true));
  trainGan(matching(joint.path(), true, "joint"));
  const auto me = metrics(energies.path() / "out"), ms = metrics(shapes.path() / "out"),
             mj = metrics(joint.path() / "out");
  ASSERT_EQ(me.size(), 5u);
  ASSERT_EQ(ms.size(), 5u);
  ASSERT_EQ(mj.size(), 5u);
  // The same features compared as three vectors (energies, centres, widths) give another
  // distance than feature by feature, still a positive one before any training.
  EXPECT_EQ(ms[0]["critic_loss"], mj[0]["critic_loss"]);
  EXPECT_NE(ms[0]["marginal_matching"], mj[0]["marginal_matching"]);
  EXPECT_GT(mj[0]["marginal_matching"].get<double>(), 0.0);
  // Same seed, same networks: the first critic step is the same, the matching term is not
  // (it has four more features, the centres and widths of layer 1).
  EXPECT_EQ(me[0]["critic_loss"], ms[0]["critic_loss"]);
  EXPECT_NE(me[0]["marginal_matching"], ms[0]["marginal_matching"]);
  EXPECT_GT(ms[0]["marginal_matching"].get<double>(), 0.0);
  // Without the geometry's positions the option cannot work: an input error, not a guess.
  auto missing = matching(none.path(), true);
  missing.voxelPositions = {};
  EXPECT_THROW(trainGan(missing), InputError);
}

TEST(GanTraining, SparsemaxShapesReachTheGeneratedShowers) {
  Fixture f;
  TempDir dir("gan-sparsemax");
  auto job = tinyBoloJob(f, dir.path(), 10);
  job.config.layerShapes = "sparsemax";
  trainGan(job);
  const auto checkpoint = latestCheckpoint(dir.path() / "ckpt");
  ASSERT_TRUE(checkpoint);
  // The checkpoint's config carries the option, so generation uses the same head: some
  // voxels are exactly empty (softmax shapes never give an exact zero), none is negative,
  // and every shower keeps energy.
  GanEnsemble ensemble({*checkpoint}, "cpu");
  const auto showers = ensemble.generate(std::vector<double>(200, 4096.0), 5, 1);
  int zeros = 0;
  for (float v : showers.showers) {
    EXPECT_GE(v, 0.0f);
    zeros += v == 0.0f;
  }
  EXPECT_GT(zeros, 0);
  for (std::size_t i = 0; i < showers.size(); ++i) {
    float total = 0;
    for (std::size_t v = 0; v < showers.voxels; ++v)
      total += showers.showers[i * showers.voxels + v];
    EXPECT_GT(total, 0.0f);
  }
}

TEST(GanTraining, ShapeNoiseIsSeededInGeneration) {
  Fixture f;
  TempDir dir("gan-shape-noise");
  auto job = tinyBoloJob(f, dir.path(), 10);
  job.config.shapeNoise = true;
  trainGan(job);
  const auto checkpoint = latestCheckpoint(dir.path() / "ckpt");
  ASSERT_TRUE(checkpoint);
  GanEnsemble ensemble({*checkpoint}, "cpu");
  const std::vector<double> energies(50, 4096.0);
  // The noise comes from the generation seed: one seed, one set of showers.
  const auto a = ensemble.generate(energies, 5, 1), b = ensemble.generate(energies, 5, 1);
  EXPECT_EQ(a.showers, b.showers);
  EXPECT_NE(a.showers, ensemble.generate(energies, 6, 1).showers);
  // bestiter's sums draw the same noise as the showers themselves.
  GanShowerGenerator generator(*checkpoint, "cpu");
  const auto sums = generator.generateSums(energies, 5, {{0, 4}, {4, kVoxels}});
  ShowerBatch showers;
  generator.generate(energies, 5, showers);
  for (std::size_t i = 0; i < energies.size(); ++i) {
    double first = 0, second = 0;
    for (std::size_t v = 0; v < kVoxels; ++v)
      (v < 4 ? first : second) += showers.showers[i * kVoxels + v];
    EXPECT_NEAR(sums[2 * i], first, 1e-3 * first + 1e-6);
    EXPECT_NEAR(sums[2 * i + 1], second, 1e-3 * second + 1e-6);
  }
  // The numbers drawn are handed out for the ONNX export's voxel_noise input (OnnxExportTest
  // checks that they are the ones generation uses): one per voxel of every shower.
  EXPECT_TRUE(generator.network().shapeNoise);
  const auto noise = generator.voxelNoise(energies.size(), 5);
  ASSERT_EQ(noise.size(), energies.size() * kVoxels);
  EXPECT_EQ(noise, generator.voxelNoise(energies.size(), 5));
  EXPECT_NE(noise, generator.voxelNoise(energies.size(), 6));
}

TEST(GanTraining, VoxelThresholdEmptiesVoxelsAndKeepsTheLayerEnergies) {
  configureCpuThreads(1);
  GanConfig config;
  config.latentSize = 4;
  config.generatorHidden = {16};
  config.criticHidden = {8};
  config.generatorOutput = "energy_sharing";
  config.shapeNoise = true;
  const std::vector<int64_t> layers = {4, 8};
  const std::vector<double> energies(40, 4096.0);
  auto generatorWith = [&](double threshold) {
    config.voxelThresholdMeV = threshold;
    return GanShowerGenerator::untrained(config, kVoxels, layers, 256, 65536, "cpu", 3);
  };
  ShowerBatch all;
  generatorWith(0).generate(energies, 5, all);
  // The median voxel as threshold: about half the voxels go, so a threshold that did
  // nothing, or everything, shows.
  std::vector<float> sorted = all.showers;
  std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
  const float threshold = sorted[sorted.size() / 2];
  auto cut = generatorWith(threshold);
  ShowerBatch kept;
  cut.generate(energies, 5, kept);
  ASSERT_EQ(kept.showers.size(), all.showers.size());
  std::size_t zeroed = 0, emptyLayers = 0;
  for (std::size_t i = 0; i < energies.size(); ++i) {
    const float* before = all.row(i);
    const float* after = kept.row(i);
    std::size_t first = 0;
    for (const auto n : layers) {
      double sumBefore = 0, sumAfter = 0;
      for (std::size_t v = first; v < first + static_cast<std::size_t>(n); ++v) {
        // Exactly the voxels under the threshold go; the others are only scaled up.
        EXPECT_EQ(after[v] == 0.0f, before[v] < threshold) << "shower " << i << " voxel " << v;
        EXPECT_GE(after[v], before[v] < threshold ? 0.0f : before[v] * (1 - 1e-6f));
        zeroed += after[v] == 0.0f;
        sumBefore += before[v];
        sumAfter += after[v];
      }
      // A layer keeps its energy (float sums: 1e-5) unless nothing in it passed the cut.
      if (sumAfter > 0)
        EXPECT_NEAR(sumAfter, sumBefore, 1e-5 * sumBefore) << "shower " << i;
      else
        ++emptyLayers;
      first += static_cast<std::size_t>(n);
    }
  }
  EXPECT_GE(zeroed, all.showers.size() / 3);
  EXPECT_LE(zeroed, 2 * all.showers.size() / 3);
  // bestiter's sums see the same showers (float rounding of the sums only).
  const auto sums = cut.generateSums(energies, 5, {{0, 4}, {4, kVoxels}});
  for (std::size_t i = 0; i < energies.size(); ++i) {
    double first = 0, second = 0;
    for (std::size_t v = 0; v < kVoxels; ++v) (v < 4 ? first : second) += kept.row(i)[v];
    EXPECT_NEAR(sums[2 * i], first, 1e-4 * first + 1e-6);
    EXPECT_NEAR(sums[2 * i + 1], second, 1e-4 * second + 1e-6);
  }
  EXPECT_EQ(cut.network().voxelThresholdMeV, threshold);
  std::cout << "[ threshold] " << zeroed << " of " << all.showers.size() << " voxels and "
            << emptyLayers << " layers emptied\n";
}

TEST(GanTraining, EnergySharingNeedsTheLayers) {
  Fixture f;
  TempDir dir("gan-layers");
  auto job = tinyBoloJob(f, dir.path(), 10);
  job.layerVoxels = {4, 4};  // 8 voxels, the showers have 12
  EXPECT_THROW(trainGan(job), InputError);
}

TEST(GanTraining, TimeLimitStopsWithACheckpoint) {
  Fixture f;
  TempDir dir("gan-time");
  auto job = tinyJob(f, dir.path(), 100000000);
  job.config.checkpointEvery = 100000000;  // only the stop writes one
  job.timeLimitSeconds = 0.5;
  const auto result = trainGan(job);
  EXPECT_TRUE(result.stoppedByTimeLimit);
  EXPECT_GT(result.iterations, 0);
  EXPECT_LT(result.iterations, 100000000);
  const auto last = latestCheckpoint(dir.path() / "ckpt");
  ASSERT_TRUE(last);
  EXPECT_EQ(last->iteration, result.iterations);
  // The sidecar records the training time, at least the limit and not much more (one step).
  const double seconds = last->meta.at("training_seconds").get<double>();
  EXPECT_GE(seconds, 0.5);
  EXPECT_LT(seconds, 5.0);
}

}  // namespace
}  // namespace bolo::nn
