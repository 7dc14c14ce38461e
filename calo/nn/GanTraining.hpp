#pragma once
// Training one conditional WGAN-GP on a set of showers (torch-free header). The loop writes a
// checkpoint every `checkpointEvery` iterations (see Checkpoint.hpp), a metrics line every
// `metricsEvery` iterations to metrics.jsonl, and on SIGTERM/SIGUSR1/SIGINT saves a checkpoint
// and throws Interrupted. With `resume` it continues from the latest valid checkpoint, with
// the same RNG state, so an interrupted and resumed run computes the same losses as an
// uninterrupted one.

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "calo/ShowerFile.hpp"
#include "calo/ShowerGeometry.hpp"
#include "calo/ShowerPreprocessing.hpp"
#include "calo/TrainingConfig.hpp"

namespace bolo::nn {

struct GanTrainingJob {
  std::string name;      ///< "pions", "low", "high": names the GAN in logs/files
  std::string particle;  ///< "pions" or "photons" (recorded in checkpoints)
  GanConfig config;
  unsigned long long seed = 1;
  std::string device = "cpu";            ///< resolved device ("cpu", "cuda:N")
  const ShowerBatch* showers = nullptr;  ///< the training showers (MeV)
  double energyLoMeV = 0;                ///< the slice this GAN covers: lo < E_inc <= hi
  double energyHiMeV = 0;
  std::vector<int64_t> layerVoxels;               ///< voxels per calorimeter layer (geometry order)
  ShowerGeometry::VoxelPositions voxelPositions;  ///< needed by matching_shapes
  std::filesystem::path checkpointDir;            ///< iter_*.pt / iter_*.json
  std::filesystem::path outputDir;                ///< metrics.jsonl, loss plots
  bool resume = false;
  bool plot = true;  ///< render loss curves at the end
  /// Stop with a checkpoint once this run has trained for so many seconds (0: no limit).
  double timeLimitSeconds = 0;
};

struct GanTrainingResult {
  long long startIteration = 0;  ///< 0, or the checkpoint resumed from
  long long iterations = 0;      ///< iteration reached
  bool stoppedByTimeLimit = false;
  std::filesystem::path lastCheckpoint;
  double seconds = 0;
  double generatorStepsPerSecond = 0;
  nlohmann::json lastMetrics;  ///< the last metrics record
  long long generatorParameters = 0;
  long long criticParameters = 0;
};

/// Train until `job.config.iterations` (resuming if asked). Throws Interrupted after saving a
/// checkpoint when a stop signal arrives, InputError for bad data, RuntimeFailure on NaN losses.
GanTrainingResult trainGan(const GanTrainingJob& job);

/// Plot the loss curves of a metrics.jsonl into `stem`.{png,pdf,svg}; returns the images.
std::vector<std::filesystem::path> plotLossCurves(const std::filesystem::path& metricsFile,
                                                  const std::filesystem::path& stem,
                                                  const std::string& title);

}  // namespace bolo::nn

namespace bolo::nn {

/// Training speed of one architecture on random showers (speed does not depend on values).
struct GanTrainingSpeed {
  long long steps = 0;
  double seconds = 0;
  double generatorStepsPerSecond = 0;
  long long generatorParameters = 0;
  long long criticParameters = 0;
};
GanTrainingSpeed measureGanTrainingSpeed(const GanConfig& config, int voxels,
                                         const std::vector<int64_t>& layerVoxels,
                                         const std::string& device, int warmupSteps, int steps,
                                         unsigned long long seed,
                                         const ShowerGeometry::VoxelPositions& positions = {});

}  // namespace bolo::nn

namespace bolo::nn {

/// Write checkpoints of freshly initialised networks (the same initial weights for all, from
/// `seed`) into `dir` with complete sidecars, as a training of `particle` whose condition spans
/// [loMeV, hiMeV] would; for benchmarks and for tests of checkpoint consumers. Checkpoint i
/// has iteration 10 * (i + 1) and its generator's last layer multiplied by outputScales[i]
/// (with the ReLU output this scales every generated energy by that factor), or 1 when
/// outputScales is shorter. Returns the sidecar paths.
std::vector<std::filesystem::path> writeUntrainedCheckpoints(
    const GanConfig& config, int voxels, const std::vector<int64_t>& layerVoxels,
    const std::string& particle, double loMeV, double hiMeV, const std::filesystem::path& dir,
    int count, const std::string& device, const std::vector<double>& outputScales = {},
    unsigned long long seed = 1);

}  // namespace bolo::nn
