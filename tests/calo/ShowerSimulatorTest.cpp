// Physics and determinism of the reference shower simulator. Every statistical check uses a
// fixed seed; each tolerance says why it is what it is.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>

#include "calo/ShowerFile.hpp"
#include "calo/ShowerModelCommon.hpp"
#include "calo/ShowerSimulator.hpp"

namespace bolo {
namespace {

struct PointStats {
  double meanResponse = 0;
  double relativeResolution = 0;  ///< rms / mean of E_total / E_inc
  double meanDepthX0 = 0;         ///< energy-weighted mean layer depth, radiation lengths
  double layer2Width = 0;         ///< energy-weighted mean radius in layer 2, mm
};

/// Simulate `events` showers at one energy and summarise them.
PointStats simulatePoint(Particle particle, double energyMeV, int events, std::uint64_t seed = 7) {
  const ShowerSimulator simulator(particle, ShowerGeometry::forParticle(particle));
  SimulationConfig config;
  config.energiesMeV = {energyMeV};
  config.eventsPerEnergy = {events};
  config.seed = seed;
  const ShowerBatch batch = simulator.simulateRows(config, 0, static_cast<std::size_t>(events), 2);
  const auto& geometry = simulator.geometry();
  std::vector<double> layerDepth;  // mid-depth in X0 of each geometry layer
  for (const auto& layer : geometry.layers()) {
    for (const auto& reference : referenceLayers()) {
      if (reference.id == layer.id)
        layerDepth.push_back(0.5 * (reference.x0Begin + reference.x0End));
    }
  }
  double sum = 0, sum2 = 0, depth = 0, depthWeight = 0, width = 0, widthWeight = 0;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const float* row = batch.row(i);
    double total = 0;
    for (std::size_t l = 0; l < geometry.layers().size(); ++l) {
      const auto& layer = geometry.layers()[l];
      for (int a = 0; a < layer.alphaBins; ++a) {
        for (int r = 0; r < layer.radialBins(); ++r) {
          const double e = row[geometry.voxelIndex(l, a, r)];
          total += e;
          depth += e * layerDepth[l];
          depthWeight += e;
          if (layer.id == 2) {
            width += e * geometry.voxelCentre(l, a, r).r;
            widthWeight += e;
          }
        }
      }
    }
    const double response = total / energyMeV;
    sum += response;
    sum2 += response * response;
  }
  PointStats stats;
  stats.meanResponse = sum / events;
  stats.relativeResolution =
      std::sqrt(std::max(0.0, sum2 / events - stats.meanResponse * stats.meanResponse)) /
      stats.meanResponse;
  stats.meanDepthX0 = depth / depthWeight;
  stats.layer2Width = width / widthWeight;
  return stats;
}

TEST(ShowerSimulator, VoxelCountMatchesGeometry) {
  for (Particle particle : {Particle::kPhotons, Particle::kPions}) {
    const ShowerSimulator simulator(particle, ShowerGeometry::forParticle(particle));
    SimulationConfig config;
    config.eventsPerEnergy = {2};
    const ShowerBatch batch = simulator.simulateRows(config, 0, 30, 1);
    EXPECT_EQ(batch.voxels, simulator.geometry().voxelCount());
    EXPECT_EQ(batch.voxels, particle == Particle::kPhotons ? 368u : 533u);
    EXPECT_EQ(batch.showers.size(), 30 * batch.voxels);
    EXPECT_EQ(batch.incidentEnergies.front(), 256.0);
    EXPECT_EQ(batch.incidentEnergies.back(), 4194304.0);
  }
}

TEST(ShowerSimulator, NoNegativeOrNonFiniteEnergiesAtAnyDataset1Energy) {
  for (Particle particle : {Particle::kPhotons, Particle::kPions}) {
    const ShowerSimulator simulator(particle, ShowerGeometry::forParticle(particle));
    SimulationConfig config;
    config.eventsPerEnergy = {40};
    const ShowerBatch batch =
        simulator.simulateRows(config, 0, static_cast<std::size_t>(config.totalEvents()), 2);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      double total = 0;
      for (std::size_t v = 0; v < batch.voxels; ++v) {
        const float e = batch.row(i)[v];
        ASSERT_TRUE(std::isfinite(e))
            << particleName(particle) << " shower " << i << " voxel " << v;
        ASSERT_GE(e, 0.0f) << particleName(particle) << " shower " << i << " voxel " << v;
        total += e;
      }
      // A shower never records much more than it brought: only electromagnetic sampling
      // fluctuations (10%/sqrt(E/GeV)) can lift the total above E_inc; 6 sigma is never reached
      // in 600 showers.
      const double e = batch.incidentEnergies[i];
      EXPECT_LT(total, e * (1 + 6 * 0.10 / std::sqrt(e / 1000.0)))
          << particleName(particle) << " shower " << i;
    }
  }
}

TEST(ShowerSimulator, SameSeedGivesIdenticalShowersWhateverTheThreadCount) {
  const ShowerSimulator simulator(Particle::kPions, ShowerGeometry::forParticle(Particle::kPions));
  SimulationConfig config;
  config.eventsPerEnergy = {7};
  const std::size_t rows = static_cast<std::size_t>(config.totalEvents());
  const ShowerBatch one = simulator.simulateRows(config, 0, rows, 1);
  const ShowerBatch three = simulator.simulateRows(config, 0, rows, 3);
  EXPECT_EQ(one.showers, three.showers);
  EXPECT_EQ(one.incidentEnergies, three.incidentEnergies);
  // A block starting in the middle reproduces the same rows: the seed depends on the row only.
  const ShowerBatch tail = simulator.simulateRows(config, 50, rows - 50, 2);
  EXPECT_TRUE(
      std::equal(tail.showers.begin(), tail.showers.end(), one.showers.begin() + 50 * one.voxels));
  config.seed = 2;
  const ShowerBatch other = simulator.simulateRows(config, 0, rows, 1);
  EXPECT_NE(one.showers, other.showers);
}

TEST(ShowerSimulator, FilesAreBitIdenticalAcrossThreadCounts) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("bolo-sim-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const ShowerSimulator simulator(Particle::kPhotons,
                                  ShowerGeometry::forParticle(Particle::kPhotons));
  SimulationConfig config;
  config.energiesMeV = {1024, 65536};
  config.eventsPerEnergy = {1500, 1200};  // more than one write block (2000 rows)
  simulateToFile(simulator, config, dir / "a.h5", 1);
  simulateToFile(simulator, config, dir / "b.h5", 2);
  const ShowerBatch a = ShowerFileReader(dir / "a.h5").readAll(),
                    b = ShowerFileReader(dir / "b.h5").readAll();
  EXPECT_EQ(a.size(), 2700u);
  EXPECT_EQ(a.showers, b.showers);
  EXPECT_EQ(a.incidentEnergies, b.incidentEnergies);
  std::filesystem::remove_all(dir);
}

TEST(ShowerSimulator, PhotonResponseNearOneAndResolutionScalesStochastically) {
  const PointStats low = simulatePoint(Particle::kPhotons, 1024, 3000);
  const PointStats mid = simulatePoint(Particle::kPhotons, 16384, 3000);
  const PointStats high = simulatePoint(Particle::kPhotons, 262144, 2000);
  // Upstream losses (1.6 X0 in front of the presampler) and leakage keep the EM-scale response
  // a few percent below one; 0.9 and 1.02 leave room for a +-2% statistical and model margin.
  for (const auto& point : {low, mid, high}) {
    EXPECT_GT(point.meanResponse, 0.9);
    EXPECT_LT(point.meanResponse, 1.02);
  }
  // 10%/sqrt(E/GeV) (+ upstream-loss fluctuations at 1 GeV): about 11% at 1 GeV, 2.7% at 16 GeV,
  // near the 0.7% constant term plus leakage at 262 GeV. The bands are wide against the
  // statistical error of an rms from 2000-3000 showers (about 1.5% of its value).
  EXPECT_GT(low.relativeResolution, 0.08);
  EXPECT_LT(low.relativeResolution, 0.16);
  EXPECT_GT(mid.relativeResolution, 0.018);
  EXPECT_LT(mid.relativeResolution, 0.04);
  EXPECT_LT(high.relativeResolution, mid.relativeResolution);
  // Stochastic scaling: 16x the energy improves the resolution by about sqrt(16) = 4.
  const double ratio = low.relativeResolution / mid.relativeResolution;
  EXPECT_GT(ratio, 3.0);
  EXPECT_LT(ratio, 5.5);
}

TEST(ShowerSimulator, PionResponseIsNonCompensatingAndResolutionImproves) {
  const PointStats low = simulatePoint(Particle::kPions, 4096, 2000);
  const PointStats mid = simulatePoint(Particle::kPions, 65536, 2000);
  const PointStats high = simulatePoint(Particle::kPions, 1048576, 1000);
  // e/h = 1.35 with f_em rising from ~0.25 to ~0.7: responses between 0.74 and 0.9, rising.
  EXPECT_GT(low.meanResponse, 0.65);
  EXPECT_LT(high.meanResponse, 0.95);
  EXPECT_LT(low.meanResponse, mid.meanResponse);
  EXPECT_LT(mid.meanResponse, high.meanResponse);
  // About 50%/sqrt(E) plus a constant term: 25% at 4 GeV, 10% at 65 GeV, 7% at 1 TeV (the
  // f_em spread and leakage set the constant term). Strictly improving with energy, and the
  // 4 -> 65 GeV step at least 1.5x (pure stochastic scaling would give 4x).
  EXPECT_GT(low.relativeResolution, 1.5 * mid.relativeResolution);
  EXPECT_LT(high.relativeResolution, mid.relativeResolution);
  EXPECT_GT(low.relativeResolution, 0.15);
  EXPECT_LT(low.relativeResolution, 0.40);
}

TEST(ShowerSimulator, PhotonShowerMaximumDeepensWithLogEnergy) {
  // GFlash: T grows like ln(E/E_c); each 16x in energy moves the maximum about 2.8 X0 deeper.
  // Coarse layers dilute the shift of the energy-weighted layer depth, so 0.5 X0 per step is
  // the bound (500-shower means are precise to about 0.1 X0).
  double previous = 0;
  for (double energy : {1024.0, 16384.0, 262144.0, 4194304.0}) {
    const PointStats point = simulatePoint(Particle::kPhotons, energy, 500);
    if (previous > 0) {
      EXPECT_GT(point.meanDepthX0, previous + 0.5) << energy << " MeV";
    }
    previous = point.meanDepthX0;
  }
}

TEST(ShowerSimulator, PionShowersAreWiderDeeperAndFluctuateMoreThanPhotonShowers) {
  const PointStats photon = simulatePoint(Particle::kPhotons, 65536, 1000);
  const PointStats pion = simulatePoint(Particle::kPions, 65536, 1000);
  // Hadronic lateral scale is a fraction of lambda (~100 mm) against a Moliere radius of 39 mm:
  // expect at least twice the width (measured ratio is well above 3).
  EXPECT_GT(pion.layer2Width, 2.0 * photon.layer2Width);
  // Pions at 65 GeV: ~10% against ~2% for photons.
  EXPECT_GT(pion.relativeResolution, 3.0 * photon.relativeResolution);
  // Interaction lengths are 20x radiation lengths: most pion energy lands in the tile.
  EXPECT_GT(pion.meanDepthX0, 2.0 * photon.meanDepthX0);
}

}  // namespace
}  // namespace bolo
