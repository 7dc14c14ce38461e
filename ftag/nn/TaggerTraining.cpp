#include "ftag/nn/TaggerTraining.hpp"

#include <filesystem>

#include "common/AtomicFile.hpp"
#include "common/ConfigReader.hpp"
#include "common/Error.hpp"
#include "common/Log.hpp"
#include "common/Manifest.hpp"
#include "common/StopSignal.hpp"
#include "common/nn/TorchRuntime.hpp"
#include "ftag/FlavourPerformance.hpp"
#include "ftag/FtagLayout.hpp"
#include "ftag/JetFile.hpp"
#include "ftag/nn/Bdt.hpp"
#include "ftag/nn/TaggerRun.hpp"

namespace bolo::nn {

namespace fs = std::filesystem;

nlohmann::json trainTaggerRun(const TaggerTrainingRequest& options) {
  const WorkDir dir = resolveWorkDir(options.workdir);
  const fs::path configPath = dir.configFile(options.config, "tagger.json");
  auto config = configPath.empty() ? TaggerRunConfig{}
                                   : taggerRunConfigFromJson(readJsonFile(configPath.string()));
  if (!options.run.empty()) config.run = options.run;
  if (!options.device.empty()) config.network.device = options.device;
  if (!options.data.empty()) config.data = options.data;
  if (options.threads >= 0) config.threads = options.threads;
  const auto device = resolveDevice(config.network.device);
  config.network.device = device.device;
  const int threads = configureCpuThreads(config.threads).matrix;
  const fs::path out = taggerDir(dir) / config.run;
  fs::create_directories(out);
  writeResolvedConfig(out, toJson(config));
  auto manifest = startManifest("tagger train", config.network.seed);
  manifest.device = device.device;
  manifest.threads = threads;
  manifest.libraries.merge(torchLibraryVersions());
  writeManifest(out, manifest);

  const auto jets = jetFile(dir, config.data);
  const auto data = loadTaggerData(jets, true);
  log::info("training tagger '{}' on {} jets ({} validation, {} test), device {} ({})", config.run,
            data.train.size(), data.validation.size(), data.test.size(), device.device,
            device.reason);
  TrainingHooks hooks;
  hooks.onEpoch = [](int epoch, double train, double validation) {
    log::info("epoch {}: train loss {:.4f}, validation loss {:.4f}", epoch, train, validation);
  };
  hooks.stopRequested = [] { return stopRequested(); };
  TaggerRunResult result;
  try {
    result = runTaggerTraining(config.network, data, out, hooks);
  } catch (const Interrupted&) {
    finishManifest(out, manifest, "interrupted");
    throw;
  } catch (const std::exception&) {
    finishManifest(out, manifest, "failed");
    throw;
  }
  const auto performance =
      evaluateMulticlass(config.run, readScoreFile(out / "scores.h5"), config.fc);
  const auto& wp = workingPointAt(performance, kFcScanEfficiency);
  manifest.extra = {{"jets", jets.string()},
                    {"history", toJson(result.history)},
                    {"wall_seconds", result.wallSeconds}};
  finishManifest(out, manifest, "completed");
  log::info(
      "best validation loss {:.4f} at epoch {} of {}; at 77% b-efficiency (f_c = {}): light "
      "rejection {:.1f}, "
      "c rejection {:.2f}; model in {}",
      result.history.bestValidationLoss, result.history.bestEpoch, result.history.epochs, config.fc,
      wp.lightRejection.value, wp.cRejection.value, out.string());
  return {{"model", out.string()},
          {"parameters", result.parameters},
          {"history", toJson(result.history)},
          {"wall_seconds", result.wallSeconds},
          {"working_point_77", bolo::toJson(wp)}};
}

nlohmann::json trainBdtBaseline(const BdtTrainingRequest& options) {
  const WorkDir dir = resolveWorkDir(options.workdir);
  const fs::path configPath = dir.configFile(options.config, "bdt.json");
  auto config =
      configPath.empty() ? BdtConfig{} : bdtConfigFromJson(readJsonFile(configPath.string()));
  if (options.threads >= 0) config.threads = options.threads;
  if (!options.data.empty()) config.data = options.data;
  requireXgboost();
  const fs::path out = bdtDir(dir, "");
  fs::create_directories(out);
  writeResolvedConfig(out, toJson(config));
  auto manifest = startManifest("tagger bdt", config.seed);
  manifest.libraries["xgboost"] = xgboostVersion();
  writeManifest(out, manifest);
  const auto jets = jetFile(dir, config.data);
  const auto train = readJetSplit(jets, "train"), validation = readJetSplit(jets, "validation"),
             test = readJetSplit(jets, "test");
  log::info("training the BDT baseline ({} trees at most, depth {}) on {} jets", config.trees,
            config.maxDepth, train.size());
  const auto result = trainBdt(config, train, validation, test, out);
  const auto performance = evaluateSingleScore("BDT (MV2-like)", readScoreFile(out / "scores.h5"));
  writeFileAtomically(out / "performance.json",
                      nlohmann::json{{"bdt", bolo::toJson(performance)}}.dump(2) + "\n");
  manifest.extra = {{"jets", jets.string()}, {"training", result}};
  finishManifest(out, manifest, "completed");
  const auto& wp = workingPointAt(performance, kFcScanEfficiency);
  log::info(
      "BDT at 77% b-efficiency: light rejection {:.1f} +- {:.1f}, c rejection {:.2f} +- {:.2f}; in "
      "{}",
      wp.lightRejection.value, wp.lightRejection.uncertainty, wp.cRejection.value,
      wp.cRejection.uncertainty, out.string());
  return {{"model", out.string()}, {"training", result}, {"working_point_77", bolo::toJson(wp)}};
}

}  // namespace bolo::nn
