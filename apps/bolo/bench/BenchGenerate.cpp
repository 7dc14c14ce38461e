// bolo bench generate: milliseconds per generated shower of the default pions and photons
// generators at batch 100 and 10,000 (the CaloChallenge timing batches), energies drawn from
// the 15 dataset-1 points. Weights are freshly initialised: speed does not depend on them.

#include <fmt/format.h>

#include <chrono>

#include "apps/bolo/SharedOptions.hpp"
#include "apps/bolo/Verbs.hpp"
#include "apps/bolo/bench/BenchSupport.hpp"
#include "calo/CaloLayout.hpp"
#include "calo/ShowerGeometry.hpp"
#include "calo/nn/GanShowerGenerator.hpp"
#include "common/Log.hpp"
#include "common/nn/TorchRuntime.hpp"

namespace bolo::app {

namespace {

struct BenchGenerateOptions {
  BenchOutput output;
  std::vector<std::string> particles{"pions", "photons"};
  std::vector<int> batches{100, 10000};
  long long showers = 50000;
  int threads = 0;
  std::string device = "cpu";
};

void runBenchGenerate(const BenchGenerateOptions& o) {
  const auto device = nn::resolveDevice(o.device);
  const int threads = nn::configureCpuThreads(o.threads).matrix;
  const auto points = calochallengeEnergyPoints();
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& name : o.particles) {
    const Particle particle = parseParticle(name);
    const auto geometry = ShowerGeometry::forParticle(particle);
    const int voxels = static_cast<int>(geometry.voxelCount());
    const GanConfig config = defaultGanConfig(particle);
    auto generator =
        nn::GanShowerGenerator::untrained(config, voxels, geometry.layerVoxelCounts(),
                                          points.front(), points.back(), device.device, 1);
    for (int batch : o.batches) {
      std::vector<double> energies(static_cast<std::size_t>(batch));
      for (std::size_t i = 0; i < energies.size(); ++i) energies[i] = points[i % points.size()];
      const long long calls = std::max(1LL, o.showers / batch);
      {
        ShowerBatch warm;
        generator.generate(energies, 0, warm);
      }
      ShowerBatch out;
      out.voxels = static_cast<std::size_t>(voxels);
      out.showers.reserve(energies.size() * out.voxels);
      double seconds = 0;
      for (long long c = 0; c < calls; ++c) {
        out.showers.clear();
        out.incidentEnergies.clear();
        const auto start = std::chrono::steady_clock::now();
        generator.generate(energies, static_cast<unsigned long long>(c), out);
        seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      }
      const double msPerShower = 1e3 * seconds / static_cast<double>(calls * batch);
      log::info("bench generate: {} batch {}: {:.4f} ms/shower", name, batch, msPerShower);
      rows.push_back({{"particle", name},
                      {"voxels", voxels},
                      {"generator_layers",
                       generatorLayerSizes(config, voxels,
                                           static_cast<int>(geometry.layerVoxelCounts().size()))},
                      {"generator_parameters",
                       mlpParameterCount(generatorLayerSizes(
                           config, voxels, static_cast<int>(geometry.layerVoxelCounts().size())))},
                      {"batch", batch},
                      {"showers", calls * batch},
                      {"seconds", seconds},
                      {"ms_per_shower", msPerShower}});
    }
  }
  reportBenchmark(o.output, "generate",
                  {{"device", device.device}, {"threads", threads}, {"runs", rows}});
}

}  // namespace

void setupBenchGenerate(CLI::App& bench) {
  auto o = std::make_shared<BenchGenerateOptions>();
  auto* sub = bench.add_subcommand("generate", "GAN shower generation speed (ms per shower)");
  addBenchOutputOption(sub, o->output);
  sub->add_option("--particles", o->particles, "pions and/or photons")->delimiter(',');
  sub->add_option("--batches", o->batches, "Batch sizes (default 100,10000)")
      ->delimiter(',')
      ->check(positiveInteger<int>());
  sub->add_option("--showers", o->showers, "Showers timed per configuration (default 50000)")
      ->check(positiveInteger<long long>());
  addThreadsOption(sub, o->threads);
  sub->add_option("--device", o->device, "cpu, cuda, cuda:N (default cpu)");
  sub->callback([o] { runBenchGenerate(*o); });
}

}  // namespace bolo::app
