// bolo simulate pions|photons: write the reference showers (CaloChallenge dataset-1 format)
// with the built-in physics-motivated simulator; see docs/simulation.md.
//   output   <workdir>/data/<particle>_reference.h5 (or --out FILE)
//   records  config.json + manifest.json in <output without .h5>/ beside it
//            (<output>.records/ if the name has no extension)

#include <fmt/format.h>

#include <filesystem>
#include <limits>
#include <memory>

#include "apps/bolo/SharedOptions.hpp"
#include "apps/bolo/Verbs.hpp"
#include "calo/ShowerModelPlots.hpp"
#include "calo/ShowerSimulator.hpp"
#include "common/ConfigReader.hpp"
#include "common/Error.hpp"
#include "common/Log.hpp"
#include "common/MachineInfo.hpp"
#include "common/Manifest.hpp"
#include "common/WorkDir.hpp"

namespace bolo::app {

namespace fs = std::filesystem;

namespace {

struct SimulateOptions {
  std::string particle;
  int events = 0;
  std::vector<double> energies;
  unsigned long long seed = 0;
  bool seedGiven = false;
  std::string out;
  int threads = 0;
  std::string config;
  std::string workdir;
  std::string plots;
  bool json = false;
};

SimulationConfig resolveConfig(const SimulateOptions& options, const WorkDir& dir) {
  SimulationConfig config;
  fs::path file = options.config;
  if (file.empty() && fs::exists(dir.configs() / "simulate.json"))
    file = dir.configs() / "simulate.json";
  if (!file.empty()) config = simulationConfigFromJson(readJsonFile(file.string()));
  if (!options.energies.empty()) {
    const bool countsFit = config.eventsPerEnergy.size() == 1 ||
                           config.eventsPerEnergy.size() == options.energies.size();
    config.energiesMeV = options.energies;
    // The per-energy list belongs to the config's energies; new energies get the CaloChallenge
    // count unless --events says otherwise.
    if (!countsFit) config.eventsPerEnergy = {dataset1EventCounts().front()};
  }
  if (options.events > 0) config.eventsPerEnergy = {options.events};
  if (options.seedGiven) config.seed = options.seed;
  validateSimulationConfig(config, "simulate");
  return config;
}

/// The folder that holds config.json and manifest.json for an output file.
fs::path recordDirectory(const fs::path& output) {
  if (!output.has_extension()) return output.string() + ".records";  // never the file's own name
  fs::path dir = output;
  dir.replace_extension();
  return dir;
}

void runSimulate(const SimulateOptions& options) {
  const Particle particle = parseParticle(options.particle);
  const WorkDir dir = resolveWorkDir(options.workdir);
  const SimulationConfig config = resolveConfig(options, dir);
  const fs::path output = options.out.empty()
                              ? dir.data() / (particleName(particle) + "_reference.h5")
                              : fs::path(options.out);
  const fs::path records = recordDirectory(output);
  for (const auto& folder : {output.parent_path(), records}) {
    if (folder.empty()) continue;
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec)
      throw EnvironmentError(
          fmt::format("{}: cannot create directory: {}", folder.string(), ec.message()));
  }
  const int threads = resolveThreads(options.threads);
  const ShowerSimulator simulator(particle, ShowerGeometry::forParticle(particle));

  writeResolvedConfig(records, toJson(config));
  RunManifest manifest = startManifest("simulate " + particleName(particle), config.seed);
  manifest.threads = threads;
  manifest.extra = {{"output", output.string()},
                    {"events", config.totalEvents()},
                    {"voxels", simulator.geometry().voxelCount()},
                    {"geometry", simulator.geometry().source()}};
  writeManifest(records, manifest);
  log::info("simulating {} {} showers at {} energies on {} thread(s) -> {}", config.totalEvents(),
            particleName(particle), config.energiesMeV.size(), threads, output.string());
  SimulationTiming timing;
  try {
    timing = simulateToFile(simulator, config, output, threads);
  } catch (const Interrupted&) {
    finishManifest(records, manifest, "interrupted");
    throw;
  } catch (...) {
    finishManifest(records, manifest, "failed");
    throw;
  }
  manifest.extra["seconds"] = timing.seconds;
  finishManifest(records, manifest, "completed");
  log::info("wrote {} showers in {:.1f} s ({:.0f} showers/s)", timing.events, timing.seconds,
            static_cast<double>(timing.events) / std::max(timing.seconds, 1e-9));

  nlohmann::json plots = nlohmann::json::array();
  if (!options.plots.empty()) {
    for (const auto& image : plotSimulationSummary(ShowerFileReader(output), simulator.geometry(),
                                                   particle, options.plots))
      plots.push_back(image.string());
  }
  if (options.json) {
    printJson({{"plots", plots},
               {"particle", particleName(particle)},
               {"output", output.string()},
               {"records", records.string()},
               {"events", timing.events},
               {"voxels", simulator.geometry().voxelCount()},
               {"seed", config.seed},
               {"threads", threads},
               {"seconds", timing.seconds},
               {"showers_per_second",
                static_cast<double>(timing.events) / std::max(timing.seconds, 1e-9)}});
  }
}

}  // namespace

void setupSimulate(CLI::App& app) {
  auto options = std::make_shared<SimulateOptions>();
  auto* verb =
      app.add_subcommand("simulate", "Simulate reference showers (CaloChallenge dataset-1 format)");
  verb->add_option("particle", options->particle, "pions or photons")->required();
  verb->add_option("--events", options->events, "Showers per energy (default: from the config)")
      ->check(CLI::Range(1, std::numeric_limits<int>::max()));
  verb->add_option("--energies", options->energies,
                   "Incident energies in MeV, comma-separated (default: 2^8..2^22)")
      ->delimiter(',');
  auto* seed = verb->add_option("--seed", options->seed, "Random seed (default: from the config)");
  verb->add_option("--out", options->out,
                   "Output HDF5 file (default: <workdir>/data/<particle>_reference.h5)");
  verb->add_option("--threads", options->threads,
                   "Threads (default: all cores); the output does not depend on it");
  verb->add_option("--config", options->config,
                   "Config file (default: <workdir>/configs/simulate.json if present)");
  verb->add_option("--plots", options->plots,
                   "Also draw summary plots of the result into this folder");
  addWorkDirOption(verb, options->workdir);
  verb->add_flag("--json", options->json, "Print the result summary as JSON");
  verb->callback([options, seed] {
    options->seedGiven = seed->count() > 0;
    runSimulate(*options);
  });
}

}  // namespace bolo::app
