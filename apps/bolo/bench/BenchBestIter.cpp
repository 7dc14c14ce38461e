// bolo bench bestiter: time to score C checkpoints x P energy points x N showers (default
// 100 x 15 x 10,000, the size of a full FastCaloGAN run) with the default pions GAN. The
// checkpoints are written once with freshly initialised weights (a few distinct files, used in
// turn: each score still loads, checks and runs its checkpoint); the reference holds 2,000
// showers per point drawn around a plausible response (speed does not depend on the values).

#include <fmt/format.h>

#include <chrono>
#include <random>

#include "apps/bolo/SharedOptions.hpp"
#include "apps/bolo/Verbs.hpp"
#include "apps/bolo/bench/BenchSupport.hpp"
#include "calo/CaloLayout.hpp"
#include "calo/ShowerGeometry.hpp"
#include "calo/nn/BestIteration.hpp"
#include "calo/nn/GanTraining.hpp"
#include "common/Log.hpp"
#include "common/StopSignal.hpp"
#include "common/nn/TorchRuntime.hpp"

namespace bolo::app {

namespace fs = std::filesystem;

namespace {

struct BenchBestIterOptions {
  BenchOutput output;
  int checkpoints = 100;
  int points = 15;
  long long showers = 10000;
  int distinctFiles = 4;
  int threads = 0;
  std::string device = "cpu";
  std::string particle = "pions";
  bool layers = false;
};

nn::ReferenceSample syntheticReference(const ShowerGeometry& geometry,
                                       const std::vector<double>& energies) {
  std::mt19937_64 rng(5);
  std::normal_distribution<double> response(0.8, 0.08);
  nn::ReferenceSample sample;
  sample.voxels = geometry.voxelCount();
  for (const auto& layer : geometry.layers()) {
    sample.layerVoxels.emplace_back(layer.firstVoxel, layer.endVoxel());
    sample.layerIds.push_back(layer.id);
  }
  for (double e : energies) {
    nn::ReferencePoint point;
    point.energyMeV = e;
    point.layers.resize(sample.layerVoxels.size());
    for (int i = 0; i < 2000; ++i) {
      const double total = e * std::max(0.0, response(rng));
      point.total.push_back(total);
      for (auto& l : point.layers) l.push_back(total / static_cast<double>(point.layers.size()));
    }
    sample.points.push_back(std::move(point));
  }
  return sample;
}

void runBenchBestIter(const BenchBestIterOptions& o) {
  const auto device = nn::resolveDevice(o.device);
  const int threads = nn::configureCpuThreads(o.threads).matrix;
  const Particle particle = parseParticle(o.particle);
  const ShowerGeometry geometry = ShowerGeometry::forParticle(particle);
  auto energies = calochallengeEnergyPoints();
  energies.resize(
      static_cast<std::size_t>(std::clamp(o.points, 1, static_cast<int>(energies.size()))));
  const auto reference = syntheticReference(geometry, energies);

  const fs::path dir =
      fs::temp_directory_path() / fmt::format("bolo-bench-bestiter-{}", ::getpid());
  fs::create_directories(dir);
  GanConfig config = defaultGanConfig(particle);
  const int files = std::max(1, std::min(o.distinctFiles, o.checkpoints));
  log::info("bench bestiter: writing {} checkpoint file(s) of the default {} GAN", files,
            o.particle);
  const auto written = nn::writeUntrainedCheckpoints(
      config, static_cast<int>(geometry.voxelCount()), geometry.layerVoxelCounts(),
      particleName(particle), energies.front(), energies.back(), dir, files, device.device);
  BestIterConfig settings;
  settings.showersPerEnergy = static_cast<std::size_t>(o.showers);
  settings.layerEnergies = o.layers;
  const auto start = std::chrono::steady_clock::now();
  double worst = 0;
  for (int c = 0; c < o.checkpoints; ++c) {
    if (stopRequested()) {
      std::error_code ec;
      fs::remove_all(dir, ec);
      throw stopError("nothing (benchmark)");
    }
    const auto info = nn::resolveCheckpoint(written[static_cast<std::size_t>(c % files)]);
    const auto t0 = std::chrono::steady_clock::now();
    (void)nn::scoreCheckpoint(info, reference, settings, device.device, false);
    worst = std::max(worst,
                     std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    if ((c + 1) % 10 == 0) log::info("  {} / {} checkpoints scored", c + 1, o.checkpoints);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::error_code ec;
  fs::remove_all(dir, ec);
  const double showers = static_cast<double>(o.checkpoints) * static_cast<double>(energies.size()) *
                         static_cast<double>(o.showers);
  log::info("bench bestiter: {} checkpoints x {} points x {} showers in {:.1f} s", o.checkpoints,
            energies.size(), o.showers, seconds);
  reportBenchmark(o.output, "bestiter",
                  {{"device", device.device},
                   {"threads", threads},
                   {"particle", o.particle},
                   {"checkpoints", o.checkpoints},
                   {"energy_points", energies.size()},
                   {"showers_per_point", o.showers},
                   {"layer_energies", o.layers},
                   {"distinct_checkpoint_files", files},
                   {"seconds", seconds},
                   {"minutes", seconds / 60},
                   {"seconds_per_checkpoint", seconds / o.checkpoints},
                   {"slowest_checkpoint_seconds", worst},
                   {"ms_per_shower", 1e3 * seconds / showers},
                   {"target_seconds", 300},
                   {"meets_target", seconds < 300}});
}

}  // namespace

void setupBenchBestIter(CLI::App& bench) {
  auto o = std::make_shared<BenchBestIterOptions>();
  auto* sub = bench.add_subcommand(
      "bestiter", "Best-iteration selection time (checkpoints x energy points x showers)");
  addBenchOutputOption(sub, o->output);
  sub->add_option("--checkpoints", o->checkpoints, "Checkpoints to score (default 100)")
      ->check(positiveInteger<int>());
  // Energy points double from 2^8 MeV: 15 reach the CaloChallenge's top point, 2^22 MeV.
  sub->add_option("--points", o->points, "Energy points, from 2^8 MeV up (default 15, at most 15)")
      ->check(integerIn(1, 15));
  sub->add_option("--showers", o->showers, "Generated showers per point (default 10000)")
      ->check(positiveInteger<long long>());
  sub->add_option("--files", o->distinctFiles,
                  "Distinct checkpoint files written and used in turn (default 4)")
      ->check(positiveInteger<int>());
  sub->add_option("--particle", o->particle, "pions or photons (default pions)");
  sub->add_flag("--layers", o->layers, "Also compare per-layer energies");
  addThreadsOption(sub, o->threads);
  sub->add_option("--device", o->device, "cpu, cuda, cuda:N (default cpu)");
  sub->callback([o] { runBenchBestIter(*o); });
}

}  // namespace bolo::app
