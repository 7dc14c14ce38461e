#include "calo/nn/GanTraining.hpp"

#include <fmt/format.h>
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <mutex>

#include "calo/TrainingMetrics.hpp"
#include "calo/nn/Checkpoint.hpp"
#include "calo/nn/GanModel.hpp"
#include "calo/nn/GanStep.hpp"
#include "common/AtomicFile.hpp"
#include "common/Error.hpp"
#include "common/GnuplotFigure.hpp"
#include "common/JsonParse.hpp"
#include "common/Log.hpp"
#include "common/Manifest.hpp"
#include "common/Progress.hpp"
#include "common/StopSignal.hpp"

namespace bolo::nn {

namespace fs = std::filesystem;

namespace {

/// The architecture fields that must agree between a checkpoint and the config resuming it.
nlohmann::json architectureOf(const GanConfig& c, int voxels,
                              const std::vector<int64_t>& layerVoxels) {
  const int layers = static_cast<int>(layerVoxels.size());
  nlohmann::json a = {{"voxels", voxels},
                      {"generator", generatorLayerSizes(c, voxels, layers)},
                      {"critic", criticLayerSizes(c, voxels, layers)},
                      {"activation", c.activation},
                      {"generator_output", c.generatorOutput}};
  // Only recipes that use the layers record them, so older checkpoints still resume.
  if (c.generatorOutput == "energy_sharing" || c.criticFeatures || c.marginalMatching > 0)
    a["layer_voxels"] = layerVoxels;
  if (c.emaDecay > 0) a["generator_ema"] = true;
  return a;
}

double largestVoxel(const ShowerBatch& showers) {
  double largest = 0;
  for (float v : showers.showers) largest = std::max(largest, static_cast<double>(v));
  return largest;
}

/// Keep the metrics records up to `iteration` (see metricsUpTo), so appending continues a
/// consistent file.
void truncateMetrics(const fs::path& file, long long iteration) {
  std::error_code ec;
  if (!fs::exists(file, ec)) return;
  writeFileAtomically(file, metricsUpTo(readFile(file), iteration));
}

/// Appends one JSON line per call with a single write, flushed (append-safe).
class MetricsWriter {
 public:
  explicit MetricsWriter(const fs::path& file) : m_file(std::fopen(file.c_str(), "a")) {
    if (!m_file) throw RuntimeFailure(fmt::format("{}: cannot open for appending", file.string()));
  }
  ~MetricsWriter() { std::fclose(m_file); }
  MetricsWriter(const MetricsWriter&) = delete;
  MetricsWriter& operator=(const MetricsWriter&) = delete;
  void write(const nlohmann::json& record) {
    const std::string line = record.dump() + "\n";
    if (std::fwrite(line.data(), 1, line.size(), m_file) != line.size() ||
        std::fflush(m_file) != 0) {
      throw RuntimeFailure("cannot write training metrics (disk full?)");
    }
  }

 private:
  std::FILE* m_file;
};

struct TrainingTensors {
  torch::Tensor targets;     ///< N x V, network targets
  torch::Tensor conditions;  ///< N x 1
};

void seedDevice(const torch::Device& device, unsigned long long seed) {
  auto generator = at::globalContext().defaultGenerator(device);
  std::lock_guard<std::mutex> lock(generator.mutex());
  generator.set_current_seed(seed);
}

TrainingTensors toTensors(const ShowerBatch& showers, const ShowerPreprocessing& prep,
                          const torch::Device& device) {
  const auto n = static_cast<int64_t>(showers.size());
  const auto v = static_cast<int64_t>(showers.voxels);
  auto targets = torch::empty({n, v}, torch::kFloat32);
  auto conditions = torch::empty({n, 1}, torch::kFloat32);
  auto* t = targets.data_ptr<float>();
  auto* c = conditions.data_ptr<float>();
  for (int64_t i = 0; i < n; ++i) {
    const double e = showers.incidentEnergies[static_cast<std::size_t>(i)];
    const auto scale = static_cast<float>(prep.targetScale(e));
    const float* row = showers.row(static_cast<std::size_t>(i));
    for (int64_t k = 0; k < v; ++k) t[i * v + k] = row[k] * scale;
    c[i] = static_cast<float>(prep.condition(e));
  }
  return {targets.to(device), conditions.to(device)};
}

}  // namespace

GanTrainingResult trainGan(const GanTrainingJob& job) {
  if (!job.showers || job.showers->size() == 0) {
    throw InputError(fmt::format("GAN '{}': no training showers in ({}, {}] MeV", job.name,
                                 job.energyLoMeV, job.energyHiMeV));
  }
  const GanConfig& cfg = job.config;
  const int voxels = static_cast<int>(job.showers->voxels);
  const torch::Device device(job.device);
  fs::create_directories(job.checkpointDir);
  fs::create_directories(job.outputDir);
  if (const auto stale = removeStaleTemporaries(job.checkpointDir); stale > 0)
    log::info("GAN '{}': removed {} unfinished checkpoint file(s) of an earlier run", job.name,
              stale);

  GanTrainingResult result;
  const auto existing = listCheckpoints(job.checkpointDir);
  if (!existing.empty() && !job.resume) {
    throw InputError(fmt::format(
        "{} already holds checkpoints: pass --resume to continue, or choose another --run",
        job.checkpointDir.string()));
  }

  const ShowerPreprocessing prep =
      preprocessingFor(job.showers->incidentEnergies, cfg.conditioning, cfg.voxelScaling,
                       cfg.voxelScaling == "sample_max" ? largestVoxel(*job.showers) : 1.0);
  // Seeding and weight initialisation touch the process-wide CPU generator; serialise them so
  // that two GANs starting at once (photons on two devices) each get their seeded weights.
  // Only this device's generator is seeded: another GAN may already be training elsewhere.
  static std::mutex initialisation;
  std::unique_ptr<GanNetworks> owned;
  {
    std::lock_guard<std::mutex> lock(initialisation);
    seedDevice(torch::Device(torch::kCPU), job.seed);
    if (!device.is_cpu()) seedDevice(device, job.seed);
    owned = std::make_unique<GanNetworks>(cfg, voxels, device, job.layerVoxels);
  }
  GanNetworks& nets = *owned;
  const int layers = static_cast<int>(nets.layerVoxels.size());
  result.generatorParameters = mlpParameterCount(generatorLayerSizes(cfg, voxels, layers));
  result.criticParameters = mlpParameterCount(criticLayerSizes(cfg, voxels, layers));
  const nlohmann::json architecture = architectureOf(cfg, voxels, nets.layerVoxels);

  long long iteration = 0;
  double earlierSeconds = 0;  // training time before the checkpoint resumed from
  if (job.resume && !existing.empty()) {
    const auto& last = existing.back();
    if (last.meta.value("architecture", nlohmann::json()) != architecture) {
      throw InputError(fmt::format(
          "{}: checkpoint architecture {} differs from the config's {}", last.sidecar.string(),
          jsonExcerpt(last.meta.value("architecture", nlohmann::json()), 200),
          jsonExcerpt(architecture, 200)));
    }
    earlierSeconds = last.meta.value("training_seconds", 0.0);
    iteration = loadGanArchive(last.archive, nets, true);
    result.lastCheckpoint = last.archive;
    log::info("GAN '{}': resuming from {} (iteration {})", job.name, last.archive.string(),
              iteration);
  } else if (job.resume) {
    log::info("GAN '{}': no valid checkpoint in {}, starting from iteration 0", job.name,
              job.checkpointDir.string());
  }
  result.startIteration = iteration;

  const fs::path metricsFile = job.outputDir / "metrics.jsonl";
  if (iteration == 0)
    writeFileAtomically(metricsFile, "");
  else
    truncateMetrics(metricsFile, iteration);
  MetricsWriter metrics(metricsFile);

  const TrainingTensors data = toTensors(*job.showers, prep, device);
  GanStepper stepper(nets, data.targets, data.conditions, job.voxelPositions);

  nlohmann::json meta = {{"gan", job.name},
                         {"particle", job.particle},
                         {"voxels", voxels},
                         {"architecture", architecture},
                         {"config", toJson(cfg)},
                         {"preprocessing", toJson(prep)},
                         {"energy_range_mev", {job.energyLoMeV, job.energyHiMeV}},
                         {"seed", job.seed},
                         {"device", job.device}};
  const auto start = std::chrono::steady_clock::now();
  auto trainedSeconds = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  auto saveCheckpoint = [&](long long it) {
    const fs::path archive = job.checkpointDir / (checkpointStem(it) + ".pt");
    saveGanArchive(archive, nets, it);
    auto record = meta;
    record["created"] = utcNow();
    // Wall time spent training up to this checkpoint, over all resumed runs: the x axis of
    // time-to-quality curves (bolo bench quality).
    record["training_seconds"] = earlierSeconds + trainedSeconds();
    writeCheckpointSidecar(archive, it, record);
    result.lastCheckpoint = archive;
  };

  log::info(
      "GAN '{}': {} showers, {} voxels, generator {} / critic {} parameters, batch {}, device {}",
      job.name, job.showers->size(), voxels, result.generatorParameters, result.criticParameters,
      cfg.batchSize, job.device);
  ProgressReporter progress(fmt::format("train {}", job.name),
                            static_cast<std::uint64_t>(cfg.iterations), "iterations");
  const long long first = iteration;
  while (iteration < cfg.iterations) {
    if (job.timeLimitSeconds > 0 && trainedSeconds() >= job.timeLimitSeconds) {
      if (result.lastCheckpoint.filename() != checkpointStem(iteration) + ".pt")
        saveCheckpoint(iteration);
      result.stoppedByTimeLimit = true;
      log::info("GAN '{}': time limit of {:.0f} s reached at iteration {}", job.name,
                job.timeLimitSeconds, iteration);
      break;
    }
    if (stopRequested()) {
      saveCheckpoint(iteration);
      throw stopError(
          fmt::format("checkpoint {} of GAN '{}'", result.lastCheckpoint.string(), job.name));
    }
    const auto stepStart = std::chrono::steady_clock::now();
    // The schedule is a function of the iteration alone, so a resumed run continues it.
    if (cfg.learningRateHalfLife > 0) {
      nets.scaleLearningRates(std::exp2(-static_cast<double>(iteration) /
                                        static_cast<double>(cfg.learningRateHalfLife)));
    }
    const GanStepLosses losses = stepper.iterate();
    ++iteration;
    if (iteration % cfg.metricsEvery == 0 || iteration == cfg.iterations) {
      const double stepSeconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - stepStart).count();
      nlohmann::json record = {
          {"iteration", iteration},
          {"critic_loss", losses.criticLoss.item<double>()},
          {"generator_loss", losses.generatorLoss.item<double>()},
          {"wasserstein", losses.wasserstein.item<double>()},
          {"gradient_penalty", losses.gradientPenalty.item<double>()},
          {"marginal_matching",
           losses.marginalMatching.defined() ? losses.marginalMatching.item<double>() : 0.0},
          {"step_seconds", stepSeconds}};
      if (!std::isfinite(record["critic_loss"].get<double>()) ||
          !std::isfinite(record["generator_loss"].get<double>())) {
        throw RuntimeFailure(fmt::format("GAN '{}' diverged at iteration {}: loss is not finite",
                                         job.name, iteration));
      }
      metrics.write(record);
      result.lastMetrics = record;
    }
    if (iteration % cfg.checkpointEvery == 0 || iteration == cfg.iterations)
      saveCheckpoint(iteration);
    progress.update(static_cast<std::uint64_t>(iteration));
  }
  progress.finish();
  result.iterations = iteration;
  result.seconds = trainedSeconds();
  if (iteration > first && result.seconds > 0) {
    result.generatorStepsPerSecond = static_cast<double>(iteration - first) / result.seconds;
  }
  if (job.plot)
    plotLossCurves(metricsFile, job.outputDir / "loss", fmt::format("GAN {}", job.name));
  return result;
}

std::vector<fs::path> plotLossCurves(const fs::path& metricsFile, const fs::path& stem,
                                     const std::string& title) {
  std::error_code ec;
  if (!fs::exists(metricsFile, ec)) return {};
  std::string block = "# iteration critic_loss generator_loss wasserstein gradient_penalty\n";
  std::size_t rows = 0;
  for (const auto& r : parseLossRecords(readFile(metricsFile))) {
    block += fmt::format("{} {} {} {} {}\n", r.iteration, r.criticLoss, r.generatorLoss,
                         r.wasserstein, r.gradientPenalty);
    ++rows;
  }
  if (rows == 0) return {};
  GnuplotFigure figure;
  figure.stem = stem;
  figure.data["loss"] = block;
  figure.script = fmt::format(
      "set title {}\nset xlabel 'iteration'\nset ylabel 'loss'\nset grid\nset key outside right\n"
      "plot data_loss using 1:2 with lines lw 1.5 title 'critic loss', \\\n"
      "     data_loss using 1:3 with lines lw 1.5 title 'generator loss', \\\n"
      "     data_loss using 1:4 with lines lw 1.5 title 'Wasserstein estimate', \\\n"
      "     data_loss using 1:5 with lines lw 1.5 title 'gradient penalty'",
      gnuplotQuote(title));
  return renderFigure(figure);
}

}  // namespace bolo::nn

namespace bolo::nn {

GanTrainingSpeed measureGanTrainingSpeed(const GanConfig& config, int voxels,
                                         const std::vector<int64_t>& layerVoxels,
                                         const std::string& device, int warmupSteps, int steps,
                                         unsigned long long seed,
                                         const ShowerGeometry::VoxelPositions& positions) {
  torch::manual_seed(seed);
  const torch::Device dev(device);
  GanNetworks nets(config, voxels, dev, layerVoxels);
  const auto options = torch::TensorOptions().dtype(torch::kFloat32).device(dev);
  const int64_t pool = 64LL * config.batchSize;
  GanStepper stepper(nets, torch::rand({pool, voxels}, options) / voxels,
                     torch::rand({pool, 1}, options), positions);
  auto sync = [&] {
    if (dev.is_cuda()) (void)stepper.iterate().criticLoss.item<double>();  // drains the queue
  };
  for (int i = 0; i < warmupSteps; ++i) (void)stepper.iterate();
  sync();
  const auto start = std::chrono::steady_clock::now();
  GanStepLosses last;
  for (int i = 0; i < steps; ++i) last = stepper.iterate();
  (void)last.generatorLoss.item<double>();  // waits for queued device work
  GanTrainingSpeed speed;
  speed.steps = steps;
  speed.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  speed.generatorStepsPerSecond = steps / speed.seconds;
  const int layers = static_cast<int>(nets.layerVoxels.size());
  speed.generatorParameters = mlpParameterCount(generatorLayerSizes(config, voxels, layers));
  speed.criticParameters = mlpParameterCount(criticLayerSizes(config, voxels, layers));
  return speed;
}

std::vector<fs::path> writeUntrainedCheckpoints(
    const GanConfig& config, int voxels, const std::vector<int64_t>& layerVoxels,
    const std::string& particle, double loMeV, double hiMeV, const fs::path& dir, int count,
    const std::string& device, const std::vector<double>& outputScales, unsigned long long seed) {
  fs::create_directories(dir);
  ShowerPreprocessing prep;
  prep.conditioning = config.conditioning;
  prep.voxelScaling = config.voxelScaling;
  prep.minEnergyMeV = loMeV;
  prep.maxEnergyMeV = hiMeV;
  std::vector<fs::path> sidecars;
  for (int i = 0; i < count; ++i) {
    torch::manual_seed(seed);
    GanNetworks nets(config, voxels, torch::Device(device), layerVoxels);
    const double scale = static_cast<std::size_t>(i) < outputScales.size()
                             ? outputScales[static_cast<std::size_t>(i)]
                             : 1.0;
    {
      torch::NoGradGuard noGrad;
      const auto& last = nets.generator->layers().back();
      last->weight.mul_(scale);
      last->bias.mul_(scale);
    }
    const long long iteration = 10LL * (i + 1);
    const fs::path archive = dir / (checkpointStem(iteration) + ".pt");
    saveGanArchive(archive, nets, iteration);
    writeCheckpointSidecar(archive, iteration,
                           {{"gan", "all"},
                            {"particle", particle},
                            {"voxels", voxels},
                            {"architecture", architectureOf(config, voxels, layerVoxels)},
                            {"config", toJson(config)},
                            {"preprocessing", toJson(prep)},
                            {"energy_range_mev", {0.0, 1e9}},
                            {"seed", seed},
                            {"device", device},
                            {"created", utcNow()}});
    sidecars.push_back(fs::path(archive).replace_extension(".json"));
  }
  return sidecars;
}

}  // namespace bolo::nn
