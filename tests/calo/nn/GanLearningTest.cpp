// Does the GAN learn? A tiny network trained for a few hundred iterations on showers whose
// response E_tot/E_inc rises with the incident energy must generate showers whose mean
// response rises the same way. This fails when the generator ignores its condition — the
// failure the default recipe had before energy sharing and critic features (docs/training.md).

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>

#include "GanTestSupport.hpp"
#include "calo/nn/Checkpoint.hpp"
#include "calo/nn/GanShowerGenerator.hpp"
#include "calo/nn/GanTraining.hpp"
#include "common/nn/TorchRuntime.hpp"

namespace bolo::nn {
namespace {

using test::TempDir;
namespace fs = std::filesystem;

const std::vector<double> kEnergies{1024, 4096, 16384};
const std::vector<int64_t> kLayers{4, 8};

/// Mean response at each of kEnergies: 0.55, 0.70, 0.85 (a non-compensating calorimeter's
/// rise, exaggerated so that the test can tell it from a flat response).
double referenceResponse(double energy) {
  return 0.55 + 0.075 * std::log2(energy / 1024);
}

/// Two layers sharing the energy 40/60 (with noise), exponential shapes within each layer,
/// response ~ N(referenceResponse(E), 0.04).
ShowerBatch risingResponseShowers(std::size_t perEnergy, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> response(0.0, 0.04), share(0.0, 0.05);
  ShowerBatch batch;
  batch.voxels = 12;
  for (double e : kEnergies) {
    for (std::size_t n = 0; n < perEnergy; ++n) {
      const double total = e * (referenceResponse(e) + response(rng));
      const double first = std::clamp(0.4 + share(rng), 0.05, 0.95);
      batch.incidentEnergies.push_back(e);
      std::size_t voxel = 0;
      for (std::size_t layer = 0; layer < kLayers.size(); ++layer) {
        const auto count = static_cast<std::size_t>(kLayers[layer]);
        double norm = 0;
        for (std::size_t k = 0; k < count; ++k) norm += std::exp(-0.5 * static_cast<double>(k));
        const double layerEnergy = total * (layer == 0 ? first : 1 - first);
        for (std::size_t k = 0; k < count; ++k, ++voxel) {
          batch.showers.push_back(
              static_cast<float>(layerEnergy * std::exp(-0.5 * static_cast<double>(k)) / norm));
        }
      }
    }
  }
  return batch;
}

std::vector<double> generatedMeanResponse(const CheckpointInfo& checkpoint) {
  GanShowerGenerator generator(checkpoint, "cpu");
  std::vector<double> means;
  for (double e : kEnergies) {
    ShowerBatch out;
    generator.generate(std::vector<double>(2000, e), 11, out);
    double sum = 0;
    for (float v : out.showers) sum += v;
    means.push_back(sum / (2000.0 * e));
  }
  return means;
}

TEST(GanLearning, TheGeneratedResponseRisesWithEnergyAsTheReference) {
  configureCpuThreads(1);
  const ShowerBatch showers = risingResponseShowers(400, 3);
  TempDir dir("gan-learning");
  GanTrainingJob job;
  job.name = "all";
  job.particle = "pions";
  job.config = defaultGanConfig(Particle::kPions, "bolo");
  job.config.latentSize = 8;
  job.config.generatorHidden = {32, 32, 32};
  job.config.criticHidden = {32, 32, 32};
  job.config.batchSize = 64;
  job.config.iterations = 600;
  job.config.checkpointEvery = 600;
  job.config.generatorLearningRate = 1e-3;
  job.config.criticLearningRate = 1e-3;
  job.config.emaDecay = 0.95;
  job.layerVoxels = kLayers;
  // The preset also matches the layers' centres and widths: layer 0 without angular bins,
  // layer 1's 8 voxels on a ring of radius 10 mm.
  job.voxelPositions.layerHasAngles = {false, true};
  for (int v = 0; v < 12; ++v) {
    const double angle = v < 4 ? 0.0 : 2 * std::numbers::pi * (v - 4) / 8;
    job.voxelPositions.x.push_back(v < 4 ? 0.0 : 10 * std::cos(angle));
    job.voxelPositions.y.push_back(v < 4 ? 0.0 : 10 * std::sin(angle));
  }
  job.seed = 5;
  job.showers = &showers;
  job.energyLoMeV = 0;
  job.energyHiMeV = 1e9;
  job.checkpointDir = dir.path() / "ckpt";
  job.outputDir = dir.path() / "out";
  job.plot = false;
  trainGan(job);
  const auto checkpoint = latestCheckpoint(dir.path() / "ckpt");
  ASSERT_TRUE(checkpoint);
  const auto means = generatedMeanResponse(*checkpoint);
  // Tolerance 0.05 on each mean: the reference means are 0.15 apart, so a generator within it
  // at every point has resolved the energy dependence; a flat response (the failure this
  // guards against) misses the outer points by 0.15. The value is fixed by the seeds (same
  // thread count, deterministic training); 600 iterations left it within about 0.02.
  for (std::size_t i = 0; i < kEnergies.size(); ++i) {
    EXPECT_NEAR(means[i], referenceResponse(kEnergies[i]), 0.05) << "at " << kEnergies[i];
  }
  EXPECT_GT(means[2] - means[0], 0.2) << "the reference rises by 0.3 from 1 to 16 GeV";
}

}  // namespace
}  // namespace bolo::nn
