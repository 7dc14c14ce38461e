#include "calo/nn/BestIterationSearch.hpp"

#include <fmt/format.h>
#include <signal.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <thread>

#include "calo/CaloLayout.hpp"
#include "calo/ShowerGeometry.hpp"
#include "calo/nn/BestIterationRun.hpp"
#include "calo/nn/Checkpoint.hpp"
#include "common/ConfigReader.hpp"
#include "common/Error.hpp"
#include "common/Log.hpp"
#include "common/Manifest.hpp"
#include "common/StopSignal.hpp"
#include "common/nn/TorchRuntime.hpp"

namespace bolo::nn {

namespace fs = std::filesystem;

namespace {

/// Reference identity for the cache: path, size and crc32 of the file.
std::string referenceKey(const fs::path& file) {
  return fmt::format("{} {} {:08x}", fs::absolute(file).string(), fs::file_size(file),
                     fileCrc32(file));
}

/// True while the training run's manifest says it is still running.
/// The training's manifest says it is running, and, when it was started on this host, its
/// process still exists (a training killed with -9 cannot update its manifest).
bool trainingRunning(const fs::path& runOutput) {
  nlohmann::json manifest;
  try {
    manifest = readJsonFile((runOutput / "manifest.json").string());
  } catch (const Error&) {
    return false;
  }
  if (manifest.value("status", "") != "running") return false;
  const long long pid = manifest.value("extra", nlohmann::json::object()).value("pid", 0LL);
  if (pid > 0 && manifest.value("host", "") == hostName() &&
      ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
    log::warn(
        "bestiter --watch: the training (process {}) is gone, its manifest still says "
        "running",
        pid);
    return false;
  }
  return true;
}

}  // namespace

nlohmann::json searchBestIteration(const BestIterationSearch& o) {
  const Particle particle = parseParticle(o.particle);
  const WorkDir dir = resolveWorkDir(o.workdir);
  TrainConfig config = loadTrainConfig(o.config, dir);
  auto& settings = config.bestiter;
  if (o.showers > 0) settings.showersPerEnergy = static_cast<std::size_t>(o.showers);
  if (o.bins > 0) settings.bins = o.bins;
  if (o.layers) settings.layerEnergies = true;
  if (o.seed >= 0) settings.seed = static_cast<unsigned long long>(o.seed);
  if (o.pollSeconds <= 0) throw InputError("--poll-seconds: expected a positive number");
  const auto device = resolveDevice(o.device);
  if (o.device == "auto") log::warn("--device auto chose {} ({})", device.device, device.reason);
  const int threads = configureCpuThreads(o.threads).matrix;

  const ShowerGeometry geometry = o.geometry.empty() ? ShowerGeometry::forParticle(particle)
                                                     : ShowerGeometry::fromXml(o.geometry);
  const fs::path referencePath = referenceFile(dir, particle, o.reference, "--reference");
  log::info("bestiter: reading reference {}", referencePath.string());
  const auto reference = loadReference(referencePath, geometry);

  const std::string run = defaultRunName(particle, o.run);
  BestIterRequest request;
  request.run = run;
  request.particle = particleName(particle);
  for (const auto& slice : ganSlices(particle, config)) {
    request.gans.emplace_back(slice.name, runCheckpointDir(dir, run, slice.name));
  }
  request.outputDir = runOutputDir(dir, run) / "bestiter";
  request.referenceKey = referenceKey(referencePath);
  request.settings = settings;
  request.device = device.device;
  request.plots = !o.noPlots;

  fs::create_directories(request.outputDir);
  writeResolvedConfig(request.outputDir, {{"bestiter", toJson(settings)}});
  RunManifest manifest =
      startManifest(fmt::format("bestiter {}", particleName(particle)), settings.seed);
  manifest.device = device.device;
  manifest.threads = threads;
  manifest.libraries.merge(torchLibraryVersions());
  manifest.extra = {
      {"run", run}, {"reference", fs::absolute(referencePath).string()}, {"watch", o.watch}};
  writeManifest(request.outputDir, manifest);

  BestIterOutcome outcome;
  try {
    auto ready = [&] {
      for (const auto& [gan, ganDir] : request.gans) {
        if (!latestCheckpoint(ganDir)) return false;
      }
      return true;
    };
    for (;;) {
      const bool haveCheckpoints = ready();
      if (haveCheckpoints || !o.watch) {
        outcome = runBestIteration(request, reference);  // InputError without checkpoints
        log::info("bestiter: {} checkpoint(s) scored, {} reused; best chi2/NDF {:.3f}",
                  outcome.evaluated, outcome.reused,
                  outcome.report["best"]["chi2_ndf"].get<double>());
      }
      if (!o.watch) break;
      const bool running = trainingRunning(runOutputDir(dir, run));
      if (!running) {
        if (!haveCheckpoints)
          throw InputError(fmt::format("run '{}' is not training and has no checkpoints", run));
        if (outcome.evaluated == 0) break;
        continue;  // one more pass for checkpoints written while scoring
      }
      log::info("bestiter --watch: training still running, next pass in {:g} s", o.pollSeconds);
      const auto until =
          std::chrono::steady_clock::now() + std::chrono::duration<double>(o.pollSeconds);
      while (std::chrono::steady_clock::now() < until) {
        if (stopRequested())
          throw stopError(fmt::format("the scores in {}", request.outputDir.string()));
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
      }
    }
  } catch (const Interrupted&) {
    finishManifest(request.outputDir, manifest, "interrupted");
    throw;
  } catch (...) {
    finishManifest(request.outputDir, manifest, "failed");
    throw;
  }
  manifest.extra["best"] = outcome.report["best"];
  finishManifest(request.outputDir, manifest, "completed");
  return {{"best", outcome.report["best"]},
          {"evaluated", outcome.evaluated},
          {"reused", outcome.reused},
          {"report", (request.outputDir / "bestiter.json").string()},
          {"csv", (request.outputDir / "bestiter.csv").string()}};
}

}  // namespace bolo::nn
