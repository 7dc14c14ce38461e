#include "calo/nn/ParticleTraining.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <exception>
#include <filesystem>
#include <sstream>
#include <thread>

#include "calo/CaloLayout.hpp"
#include "calo/ShowerFile.hpp"
#include "calo/ShowerGeometry.hpp"
#include "calo/ShowerSummary.hpp"
#include "calo/nn/GanTraining.hpp"
#include "common/Error.hpp"
#include "common/Log.hpp"
#include "common/Manifest.hpp"
#include "common/WorkDir.hpp"
#include "common/nn/TorchRuntime.hpp"

namespace bolo::nn {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> splitDevices(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) out.push_back(item);
  if (out.empty() || out.size() > 2)
    throw InputError("--device: expected one device, or two for photons");
  return out;
}

void applyOverrides(const ParticleTrainingRequest& o, GanConfig& c) {
  if (o.iterations > 0) c.iterations = o.iterations;
  if (o.checkpointEvery > 0) c.checkpointEvery = o.checkpointEvery;
  if (o.batch > 0) c.batchSize = o.batch;
}

/// The devices of --device ("cuda:0,cuda:1" trains the two photon GANs at once).
std::vector<std::string> resolveDevices(const std::string& option, std::size_t gans) {
  const auto requests = splitDevices(option);
  if (requests.size() == 2 && gans != 2) throw InputError("two devices need the two photon GANs");
  std::vector<std::string> devices;
  for (const auto& request : requests) {
    const auto choice = resolveDevice(request);
    if (request == "auto") log::warn("--device auto chose {} ({})", choice.device, choice.reason);
    devices.push_back(choice.device);
  }
  return devices;
}

/// Train the jobs one after another, or each on its own thread (two devices).
std::vector<GanTrainingResult> runJobs(const std::vector<GanTrainingJob>& jobs, bool together) {
  std::vector<GanTrainingResult> results(jobs.size());
  if (!together) {
    for (std::size_t i = 0; i < jobs.size(); ++i) results[i] = trainGan(jobs[i]);
    return results;
  }
  std::vector<std::exception_ptr> errors(jobs.size());
  std::vector<std::thread> workers;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    workers.emplace_back([&, i] {
      try {
        results[i] = trainGan(jobs[i]);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    });
  }
  for (auto& w : workers) w.join();
  for (auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }
  return results;
}

/// One GAN's entry of the summary.
nlohmann::json ganSummary(const GanTrainingJob& job, const GanTrainingResult& r) {
  return {{"gan", job.name},
          {"showers", job.showers->size()},
          {"start_iteration", r.startIteration},
          {"iterations", r.iterations},
          {"stopped_by_time_limit", r.stoppedByTimeLimit},
          {"last_checkpoint", r.lastCheckpoint.string()},
          {"seconds", r.seconds},
          {"generator_steps_per_s", r.generatorStepsPerSecond},
          {"generator_parameters", r.generatorParameters},
          {"critic_parameters", r.criticParameters},
          {"last_metrics", r.lastMetrics},
          {"metrics", (job.outputDir / "metrics.jsonl").string()}};
}

}  // namespace

nlohmann::json trainParticle(const ParticleTrainingRequest& o) {
  const Particle particle = parseParticle(o.particle);
  const WorkDir dir = resolveWorkDir(o.workdir);
  std::string configSource;
  TrainConfig config = loadTrainConfig(o.config, dir, &configSource);
  if (o.seed >= 0) config.seed = static_cast<unsigned long long>(o.seed);
  applyOverrides(o, config.pions);
  applyOverrides(o, config.photonsLow);
  applyOverrides(o, config.photonsHigh);

  auto slices = ganSlices(particle, config);
  if (!o.gan.empty()) {
    std::erase_if(slices, [&](const GanSlice& s) { return s.name != o.gan; });
    if (slices.empty()) {
      throw InputError(fmt::format("--gan '{}': {} has GANs {}", o.gan, particleName(particle),
                                   particle == Particle::kPions ? "all" : "low, high"));
    }
  }
  const auto devices = resolveDevices(o.device, slices.size());
  const int threads = configureCpuThreads(o.threads).matrix;

  const ShowerGeometry geometry = o.geometry.empty() ? ShowerGeometry::forParticle(particle)
                                                     : ShowerGeometry::fromXml(o.geometry);
  const fs::path input = referenceFile(dir, particle, o.input, "--input");
  const ShowerFileReader reader(input);
  checkVoxelCount(reader, geometry);
  log::info("reading {} showers from {}", reader.events(), input.string());
  const ShowerBatch all = reader.readAll();

  const std::string run = defaultRunName(particle, o.run);
  const fs::path outDir = runOutputDir(dir, run);
  fs::create_directories(outDir);
  writeResolvedConfig(outDir, toJson(config));
  RunManifest manifest =
      startManifest(fmt::format("train {}", particleName(particle)), config.seed);
  manifest.device = fmt::format("{}", fmt::join(devices, ","));
  manifest.threads = threads;
  manifest.libraries.merge(torchLibraryVersions());
  manifest.extra = {{"input", fs::absolute(input).string()},
                    {"geometry", geometry.source()},
                    {"config_source", configSource},
                    {"run", run},
                    {"resume", o.resume},
                    {"pid", static_cast<long long>(::getpid())}};  // for bestiter --watch
  writeManifest(outDir, manifest);

  std::vector<ShowerBatch> data;
  std::vector<GanTrainingJob> jobs;
  data.reserve(slices.size());
  for (std::size_t i = 0; i < slices.size(); ++i) {
    const auto& s = slices[i];
    data.push_back(selectEnergyRange(all, s.loMeV, s.hiMeV));
    GanTrainingJob job;
    job.name = s.name;
    job.particle = particleName(particle);
    job.config = s.config;
    job.seed = config.seed + (s.name == "high" ? 1 : 0);
    job.device = devices[std::min(i, devices.size() - 1)];
    job.energyLoMeV = s.loMeV;
    job.energyHiMeV = s.hiMeV;
    job.layerVoxels = geometry.layerVoxelCounts();
    job.voxelPositions = geometry.voxelPositions();
    job.checkpointDir = runCheckpointDir(dir, run, s.name);
    job.outputDir = outDir / s.name;
    job.resume = o.resume;
    job.plot = !o.noPlots;
    job.timeLimitSeconds = 60.0 * o.minutes;
    jobs.push_back(job);
  }
  for (std::size_t i = 0; i < jobs.size(); ++i) jobs[i].showers = &data[i];

  std::vector<GanTrainingResult> results;
  try {
    results = runJobs(jobs, devices.size() == 2);
  } catch (const Interrupted&) {
    finishManifest(outDir, manifest, "interrupted");
    throw;
  } catch (...) {
    finishManifest(outDir, manifest, "failed");
    throw;
  }
  nlohmann::json summary = {
      {"run", run}, {"particle", particleName(particle)}, {"gans", nlohmann::json::array()}};
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    const auto& r = results[i];
    summary["gans"].push_back(ganSummary(jobs[i], r));
    log::info("GAN '{}': iteration {} reached, last checkpoint {}", jobs[i].name, r.iterations,
              r.lastCheckpoint.string());
  }
  manifest.extra["result"] = summary;
  finishManifest(outDir, manifest, "completed");
  return summary;
}

}  // namespace bolo::nn
