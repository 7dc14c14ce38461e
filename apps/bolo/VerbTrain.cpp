// bolo train pions|photons: train the conditional WGAN-GP(s) of a particle on a
// CaloChallenge-format shower file. Pions: one GAN; photons: the low- and high-energy GANs,
// one after another, or concurrently when two devices are given (--device cuda:0,cuda:1).

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <exception>
#include <sstream>
#include <thread>

#include "apps/bolo/SharedOptions.hpp"
#include "apps/bolo/Verbs.hpp"
#include "calo/CaloLayout.hpp"
#include "calo/ShowerFile.hpp"
#include "calo/ShowerGeometry.hpp"
#include "calo/ShowerSummary.hpp"
#include "calo/nn/GanTraining.hpp"
#include "common/Error.hpp"
#include "common/Log.hpp"
#include "common/Manifest.hpp"
#include "common/nn/TorchRuntime.hpp"

namespace bolo::app {

namespace fs = std::filesystem;

namespace {

struct TrainOptions {
  std::string particle;
  std::string workdir;
  std::string config;
  std::string input;
  std::string geometry;
  std::string run;
  std::string device = "auto";
  std::string gan;  ///< photons: train only "low" or "high"
  int threads = 0;
  long long iterations = 0;
  long long checkpointEvery = 0;
  int batch = 0;
  long long seed = -1;
  double minutes = 0;  ///< stop each GAN after this much training (0: no limit)
  bool resume = false;
  bool noPlots = false;
  bool json = false;
};

std::vector<std::string> splitDevices(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) out.push_back(item);
  if (out.empty() || out.size() > 2)
    throw InputError("--device: expected one device, or two for photons");
  return out;
}

void applyOverrides(const TrainOptions& o, GanConfig& c) {
  if (o.iterations > 0) c.iterations = o.iterations;
  if (o.checkpointEvery > 0) c.checkpointEvery = o.checkpointEvery;
  if (o.batch > 0) c.batchSize = o.batch;
}

void runTrain(const TrainOptions& o) {
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
  const auto requests = splitDevices(o.device);
  if (requests.size() == 2 && slices.size() != 2)
    throw InputError("two devices need the two photon GANs");
  std::vector<std::string> devices;
  for (const auto& request : requests) {
    const auto choice = nn::resolveDevice(request);
    if (request == "auto") log::warn("--device auto chose {} ({})", choice.device, choice.reason);
    devices.push_back(choice.device);
  }
  const int threads = nn::configureCpuThreads(o.threads).matrix;

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
  manifest.libraries.merge(nn::torchLibraryVersions());
  manifest.extra = {{"input", fs::absolute(input).string()},
                    {"geometry", geometry.source()},
                    {"config_source", configSource},
                    {"run", run},
                    {"resume", o.resume},
                    {"pid", static_cast<long long>(::getpid())}};  // for bestiter --watch
  writeManifest(outDir, manifest);

  std::vector<ShowerBatch> data;
  std::vector<nn::GanTrainingJob> jobs;
  data.reserve(slices.size());
  for (std::size_t i = 0; i < slices.size(); ++i) {
    const auto& s = slices[i];
    data.push_back(selectEnergyRange(all, s.loMeV, s.hiMeV));
    nn::GanTrainingJob job;
    job.name = s.name;
    job.particle = particleName(particle);
    job.config = s.config;
    job.seed = config.seed + (s.name == "high" ? 1 : 0);
    job.device = devices[std::min(i, devices.size() - 1)];
    job.energyLoMeV = s.loMeV;
    job.energyHiMeV = s.hiMeV;
    job.layerVoxels = geometry.layerVoxelCounts();
    job.checkpointDir = runCheckpointDir(dir, run, s.name);
    job.outputDir = outDir / s.name;
    job.resume = o.resume;
    job.plot = !o.noPlots;
    job.timeLimitSeconds = 60.0 * o.minutes;
    jobs.push_back(job);
  }
  for (std::size_t i = 0; i < jobs.size(); ++i) jobs[i].showers = &data[i];

  std::vector<nn::GanTrainingResult> results(jobs.size());
  try {
    if (devices.size() == 2) {
      std::vector<std::exception_ptr> errors(jobs.size());
      std::vector<std::thread> workers;
      for (std::size_t i = 0; i < jobs.size(); ++i) {
        workers.emplace_back([&, i] {
          try {
            results[i] = nn::trainGan(jobs[i]);
          } catch (...) {
            errors[i] = std::current_exception();
          }
        });
      }
      for (auto& w : workers) w.join();
      for (auto& e : errors) {
        if (e) std::rethrow_exception(e);
      }
    } else {
      for (std::size_t i = 0; i < jobs.size(); ++i) results[i] = nn::trainGan(jobs[i]);
    }
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
    summary["gans"].push_back({{"gan", jobs[i].name},
                               {"showers", data[i].size()},
                               {"start_iteration", r.startIteration},
                               {"iterations", r.iterations},
                               {"stopped_by_time_limit", r.stoppedByTimeLimit},
                               {"last_checkpoint", r.lastCheckpoint.string()},
                               {"seconds", r.seconds},
                               {"generator_steps_per_s", r.generatorStepsPerSecond},
                               {"generator_parameters", r.generatorParameters},
                               {"critic_parameters", r.criticParameters},
                               {"last_metrics", r.lastMetrics},
                               {"metrics", (jobs[i].outputDir / "metrics.jsonl").string()}});
    log::info("GAN '{}': iteration {} reached, last checkpoint {}", jobs[i].name, r.iterations,
              r.lastCheckpoint.string());
  }
  manifest.extra["result"] = summary;
  finishManifest(outDir, manifest, "completed");
  if (o.json) printJson(summary);
}

}  // namespace

void setupTrain(CLI::App& app) {
  auto o = std::make_shared<TrainOptions>();
  auto* verb = app.add_subcommand("train", "Train the calorimeter GAN(s) of a particle (WGAN-GP)");
  verb->add_option("particle", o->particle, "pions or photons")->required();
  addWorkDirOption(verb, o->workdir);
  verb->add_option("--config", o->config,
                   "train.json (default: <workdir>/configs/train.json or built-in defaults)");
  verb->add_option("--input", o->input,
                   "CaloChallenge shower file (default: <workdir>/data/<particle>_reference.h5)");
  verb->add_option("--geometry", o->geometry,
                   "Binning XML (default: the shipped dataset-1 geometry)");
  verb->add_option("--run", o->run,
                   "Run name under checkpoints/ and output/ (default: the particle)");
  verb->add_option("--device", o->device,
                   "auto, cpu, cuda, cuda:N; photons: two devices train both GANs at once");
  addThreadsOption(verb, o->threads);
  verb->add_option("--gan", o->gan, "Photons: train only the 'low' or 'high' GAN");
  verb->add_option("--iterations", o->iterations, "Override the iterations of the config")
      ->check(positiveInteger<long long>());
  verb->add_option("--checkpoint-every", o->checkpointEvery, "Override the checkpoint interval")
      ->check(positiveInteger<long long>());
  verb->add_option("--batch", o->batch, "Override the batch size")->check(positiveInteger<int>());
  verb->add_option("--seed", o->seed, "Override the seed")->check(nonNegativeInteger<long long>());
  verb->add_option("--minutes", o->minutes,
                   "Stop each GAN with a checkpoint after this many minutes of training")
      ->check(positiveNumber());
  verb->add_flag("--resume", o->resume, "Continue from the latest valid checkpoint");
  verb->add_flag("--no-plots", o->noPlots, "Skip the loss-curve plots");
  verb->add_flag("--json", o->json, "Print a summary as JSON on stdout");
  verb->callback([o] { runTrain(*o); });
}

}  // namespace bolo::app
