// bolo bench simulate: showers per second of the reference simulator, first simulation alone
// (voxels computed into memory and discarded), then simulation plus HDF5 writing (float32,
// gzip as in the default config) into a temporary file that is removed afterwards.

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <memory>

#include "apps/bolo/SharedOptions.hpp"
#include "apps/bolo/Verbs.hpp"
#include "apps/bolo/bench/BenchSupport.hpp"
#include "calo/ShowerSimulator.hpp"
#include "common/Log.hpp"
#include "common/MachineInfo.hpp"
#include "common/StopSignal.hpp"

namespace bolo::app {

namespace fs = std::filesystem;

namespace {

struct BenchSimulateOptions {
  std::string particle = "pions";
  int events = 1000000;
  int writeEvents = 100000;
  int threads = 0;
  BenchOutput output;
};

/// The dataset-1 energies with equal shares of `events` showers.
SimulationConfig benchConfig(int events) {
  SimulationConfig config;
  const int perEnergy = std::max<int>(1, events / static_cast<int>(config.energiesMeV.size()));
  config.eventsPerEnergy = {perEnergy};
  return config;
}

nlohmann::json simulateOnly(const ShowerSimulator& simulator, const SimulationConfig& config,
                            int threads) {
  constexpr std::size_t kBlock = 5000;
  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpuStart = std::clock();
  double checksum = 0;  // keeps the work observable
  const std::uint64_t total = config.totalEvents();
  for (std::uint64_t first = 0; first < total; first += kBlock) {
    if (stopRequested()) throw stopError("nothing (benchmark)");
    const auto count = static_cast<std::size_t>(std::min<std::uint64_t>(kBlock, total - first));
    const ShowerBatch batch = simulator.simulateRows(config, first, count, threads);
    checksum += batch.showers[batch.showers.size() / 2];
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // CPU time of all threads: on a shared machine, showers per CPU second times the cores
  // one has is the fairer estimate of what an idle machine would do.
  const double cpuSeconds = static_cast<double>(std::clock() - cpuStart) / CLOCKS_PER_SEC;
  return {{"showers", total},
          {"seconds", seconds},
          {"showers_per_second", static_cast<double>(total) / seconds},
          {"cpu_seconds", cpuSeconds},
          {"showers_per_cpu_second", static_cast<double>(total) / cpuSeconds},
          {"checksum", checksum}};
}

void runBenchSimulate(const BenchSimulateOptions& options) {
  const Particle particle = parseParticle(options.particle);
  const int threads = resolveThreads(options.threads);
  const ShowerSimulator simulator(particle, ShowerGeometry::forParticle(particle));
  log::info("bench simulate: {} {} showers (simulation only) on {} thread(s)", options.events,
            particleName(particle), threads);
  const SimulationConfig config = benchConfig(options.events);
  nlohmann::json results = {{"particle", particleName(particle)},
                            {"threads", threads},
                            {"energies", "dataset-1 (2^8..2^22 MeV), equal numbers of showers"},
                            {"simulate_only", simulateOnly(simulator, config, threads)}};
  if (options.writeEvents > 0) {
    const SimulationConfig writeConfig = benchConfig(options.writeEvents);
    const fs::path file =
        fs::temp_directory_path() / fmt::format("bolo-bench-simulate-{}.h5", ::getpid());
    log::info("bench simulate: {} showers with HDF5 writing (gzip {}) to {}",
              writeConfig.totalEvents(), writeConfig.gzipLevel, file.string());
    const SimulationTiming timing = simulateToFile(simulator, writeConfig, file, threads);
    const double megabytes = static_cast<double>(fs::file_size(file)) / 1e6;
    fs::remove(file);
    results["simulate_and_write"] = {
        {"showers", timing.events},
        {"seconds", timing.seconds},
        {"showers_per_second", static_cast<double>(timing.events) / timing.seconds},
        {"simulate_seconds", timing.simulateSeconds},
        {"write_wait_seconds", timing.writeWaitSeconds},
        {"gzip_level", writeConfig.gzipLevel},
        {"file_megabytes", megabytes}};
  }
  reportBenchmark(options.output, "simulate", results);
}

}  // namespace

void setupBenchSimulate(CLI::App& bench) {
  auto options = std::make_shared<BenchSimulateOptions>();
  auto* sub = bench.add_subcommand("simulate", "Showers per second of the reference simulator");
  sub->add_option("--particle", options->particle, "pions or photons (default pions)");
  sub->add_option("--events", options->events,
                  "Showers simulated without writing (default 1,000,000)")
      ->check(positiveInteger<int>());
  sub->add_option(
         "--write-events", options->writeEvents,
         "Showers simulated and written to a temporary HDF5 file (default 100,000; 0 skips)")
      ->check(nonNegativeInteger<int>());
  addThreadsOption(sub, options->threads, "Threads (default: all cores)");
  addBenchOutputOption(sub, options->output);
  sub->callback([options] { runBenchSimulate(*options); });
}

}  // namespace bolo::app
