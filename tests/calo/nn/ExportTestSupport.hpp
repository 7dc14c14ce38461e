#pragma once
// Helpers of the export tests: checkpoints of generators with random weights in the real
// dataset-1 geometries, a hand-made bestiter record, and the comparison of ONNX Runtime's
// showers with LibTorch's.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "calo/Particle.hpp"
#include "calo/ShowerFile.hpp"
#include "calo/ShowerGeometry.hpp"
#include "calo/ShowerPreprocessing.hpp"
#include "calo/TrainingConfig.hpp"
#include "calo/nn/Checkpoint.hpp"
#include "calo/nn/GanModel.hpp"
#include "common/AtomicFile.hpp"

namespace bolo::test {

namespace fs = std::filesystem;

/// A generator small enough to write and run in milliseconds.
inline GanConfig smallGanConfig() {
  GanConfig c;
  c.latentSize = 6;
  c.generatorHidden = {16, 16};
  c.criticHidden = {8};
  return c;
}

/// One checkpoint of a generator with fresh random weights, as a training of `particle`'s GAN
/// `gan` over the condition range [loMeV, hiMeV] would write it into `ganDir`. With an EMA
/// the generator's own weights are then moved away from the average, so that exporting the
/// wrong set of weights shows. Returns the sidecar.
inline fs::path writeGanCheckpoint(const fs::path& ganDir, const GanConfig& config,
                                   const std::string& particle, const std::string& gan,
                                   double loMeV, double hiMeV, long long iteration,
                                   unsigned long long seed) {
  const auto geometry = ShowerGeometry::forParticle(parseParticle(particle));
  const int voxels = static_cast<int>(geometry.voxelCount());
  torch::manual_seed(seed);
  nn::GanNetworks nets(config, voxels, torch::kCPU, geometry.layerVoxelCounts());
  if (nets.generatorEma) {
    torch::NoGradGuard noGrad;
    for (auto& p : nets.generator->parameters()) p.mul_(1.5);
  }
  ShowerPreprocessing prep;
  prep.conditioning = config.conditioning;
  prep.voxelScaling = config.voxelScaling;
  prep.minEnergyMeV = particle == "photons" && gan == "high" ? 8192 : 256;
  prep.maxEnergyMeV = particle == "photons" && gan == "low" ? 4096 : 4194304;
  prep.maxVoxelMeV = 5000;
  fs::create_directories(ganDir);
  const fs::path archive = ganDir / (nn::checkpointStem(iteration) + ".pt");
  nn::saveGanArchive(archive, nets, iteration);
  nlohmann::json architecture = {{"layer_voxels", geometry.layerVoxelCounts()}};
  nn::writeCheckpointSidecar(archive, iteration,
                             {{"gan", gan},
                              {"particle", particle},
                              {"voxels", voxels},
                              {"architecture", architecture},
                              {"config", toJson(config)},
                              {"preprocessing", toJson(prep)},
                              {"energy_range_mev", {loMeV, hiMeV}},
                              {"seed", seed}});
  return fs::path(archive).replace_extension(".json");
}

/// What `bolo bestiter` leaves in output/<run>/bestiter/: best.json naming `best` (GAN to
/// sidecar) and bestiter.json with their scores `chi2Ndf` (GAN to value).
inline void writeBestIterRecord(const fs::path& workdir, const std::string& run,
                                const std::string& particle,
                                const std::map<std::string, fs::path>& best,
                                const std::map<std::string, double>& chi2Ndf) {
  const fs::path dir = workdir / "output" / run / "bestiter";
  fs::create_directories(dir);
  nlohmann::json record = {{"run", run}, {"particle", particle}, {"chi2_ndf", 1.5}};
  nlohmann::json report = {{"run", run}, {"particle", particle}};
  for (const auto& [gan, sidecar] : best) {
    const auto meta = nlohmann::json::parse(readFile(sidecar));
    const long long iteration = meta.at("iteration").get<long long>();
    const auto archive = fs::path(sidecar).replace_extension(".pt").string();
    record["checkpoints"][gan] = sidecar.string();
    record["iterations"][gan] = iteration;
    report["gans"][gan]["evaluations"] = nlohmann::json::array({{{"iteration", iteration},
                                                                 {"checkpoint", archive},
                                                                 {"chi2_ndf", chi2Ndf.at(gan)},
                                                                 {"ndf", 90}}});
    report["gans"][gan]["best"] = {
        {"iteration", iteration}, {"chi2_ndf", chi2Ndf.at(gan)}, {"checkpoint", archive}};
  }
  writeFileAtomically(dir / "best.json", record.dump(2));
  writeFileAtomically(dir / "bestiter.json", report.dump(2));
}

struct ShowerDifference {
  double maxAbsMeV = 0;    ///< largest |onnx - torch| over all voxels
  double maxRelative = 0;  ///< largest |onnx - torch| / (the shower's largest voxel)
  std::size_t nonZero = 0;
};

/// ONNX Runtime's showers (rows x voxels) against LibTorch's, voxel by voxel. Both compute in
/// float32 with the same weights; they differ only in the order of the sums (OpenBLAS against
/// MLAS) and in the last bits of exp/log, a few units of float rounding (1.2e-7) per layer.
/// 2e-5 of the shower's largest voxel leaves room for that; any wrong operation (a missing
/// scale, an unused EMA, a wrong condition) is off by percents.
inline ShowerDifference compareShowers(const std::vector<float>& onnx, const ShowerBatch& torch,
                                       const std::string& what) {
  ShowerDifference d;
  EXPECT_EQ(onnx.size(), torch.showers.size()) << what;
  if (onnx.size() != torch.showers.size()) return d;
  for (std::size_t i = 0; i < torch.size(); ++i) {
    const float* row = torch.row(i);
    double largest = 0;
    for (std::size_t v = 0; v < torch.voxels; ++v)
      largest = std::max(largest, std::abs(static_cast<double>(row[v])));
    for (std::size_t v = 0; v < torch.voxels; ++v) {
      const double diff = std::abs(static_cast<double>(onnx[i * torch.voxels + v]) - row[v]);
      d.maxAbsMeV = std::max(d.maxAbsMeV, diff);
      if (largest > 0) d.maxRelative = std::max(d.maxRelative, diff / largest);
      if (row[v] != 0) ++d.nonZero;
    }
  }
  EXPECT_LE(d.maxRelative, 2e-5) << what << ": max |difference| " << d.maxAbsMeV << " MeV";
  EXPECT_GT(d.nonZero, torch.showers.size() / 10) << what << ": mostly zeros, a weak comparison";
  std::cout << fmt::format(
      "[ onnx     ] {}: max |onnx - torch| {:.3g} MeV, {:.3g} of the "
      "shower's largest voxel\n",
      what, d.maxAbsMeV, d.maxRelative);
  return d;
}

}  // namespace bolo::test
