#include "calo/ReferenceSimulation.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "calo/CaloLayout.hpp"
#include "calo/ShowerModelPlots.hpp"
#include "calo/ShowerSimulator.hpp"
#include "common/ConfigReader.hpp"
#include "common/Error.hpp"
#include "common/Log.hpp"
#include "common/MachineInfo.hpp"
#include "common/Manifest.hpp"

namespace bolo {

namespace fs = std::filesystem;

namespace {

SimulationConfig resolveConfig(const ReferenceSimulation& options, const WorkDir& dir) {
  SimulationConfig config;
  const fs::path file = dir.configFile(options.config, "simulate.json");
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
  if (options.seed) config.seed = *options.seed;
  validateSimulationConfig(config, "simulate");
  return config;
}

}  // namespace

fs::path recordDirectory(const fs::path& output) {
  if (!output.has_extension()) return output.string() + ".records";  // never the file's own name
  fs::path dir = output;
  dir.replace_extension();
  return dir;
}

nlohmann::json simulateReference(const ReferenceSimulation& options) {
  const Particle particle = parseParticle(options.particle);
  const WorkDir dir = resolveWorkDir(options.workdir);
  const SimulationConfig config = resolveConfig(options, dir);
  const fs::path output =
      options.out.empty() ? referencePath(dir, particle) : fs::path(options.out);
  const fs::path records = recordDirectory(output);
  for (const auto& folder : {output.parent_path(), records}) {
    if (folder.empty()) continue;
    std::error_code ec;
    fs::create_directories(folder, ec);
    // An I/O error like any other write (README exit codes): 1, not 3.
    if (ec)
      throw RuntimeFailure(
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
  return {
      {"plots", plots},
      {"particle", particleName(particle)},
      {"output", output.string()},
      {"records", records.string()},
      {"events", timing.events},
      {"voxels", simulator.geometry().voxelCount()},
      {"seed", config.seed},
      {"threads", threads},
      {"seconds", timing.seconds},
      {"showers_per_second", static_cast<double>(timing.events) / std::max(timing.seconds, 1e-9)}};
}

}  // namespace bolo
