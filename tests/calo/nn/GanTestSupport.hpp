#pragma once
// Helpers of the GAN tests: small synthetic CaloChallenge files, temporary directories,
// tiny network configs and running the bolo program.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "calo/ShowerFile.hpp"
#include "calo/TrainingConfig.hpp"

namespace bolo::test {

namespace fs = std::filesystem;

/// A unique empty directory under the system temp dir, removed by the destructor.
class TempDir {
 public:
  explicit TempDir(const std::string& tag) {
    std::random_device device;
    m_path = fs::temp_directory_path() / fmt::format("bolo-{}-{}-{}", tag, ::getpid(), device());
    fs::create_directories(m_path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(m_path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return m_path; }

 private:
  fs::path m_path;
};

/// Showers whose energy fraction falls linearly along the voxels, with 20% lognormal noise per
/// shower: simple enough for a tiny GAN to move towards within a few iterations.
inline ShowerBatch syntheticShowers(std::size_t voxels, const std::vector<double>& energiesMeV,
                                    std::size_t perEnergy, unsigned seed = 7) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0.0, 0.2);
  ShowerBatch batch;
  batch.voxels = voxels;
  for (double e : energiesMeV) {
    for (std::size_t n = 0; n < perEnergy; ++n) {
      const double scale = std::exp(noise(rng));
      batch.incidentEnergies.push_back(e);
      for (std::size_t v = 0; v < voxels; ++v) {
        const double fraction =
            2.0 * static_cast<double>(voxels - v) / static_cast<double>(voxels * voxels);
        batch.showers.push_back(static_cast<float>(0.9 * e * fraction * scale));
      }
    }
  }
  return batch;
}

/// A GAN config small enough to train in well under a second per few iterations.
inline GanConfig tinyGanConfig() {
  GanConfig c;
  c.latentSize = 4;
  c.generatorHidden = {16, 16, 16};
  c.criticHidden = {16, 16, 16};
  c.batchSize = 16;
  c.criticSteps = 2;
  c.iterations = 20;
  c.checkpointEvery = 10;
  c.generatorLearningRate = 1e-3;
  c.criticLearningRate = 1e-3;
  return c;
}

inline std::vector<std::string> readLines(const fs::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace bolo::test
