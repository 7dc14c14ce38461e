// bolo tagger train|roc|bdt: the DL1-style flavour tagger on the synthetic jets.
//   train  trains the network of tagger.json; writes model, loss per epoch, test scores
//   roc    working points, rejections, ROC curves and the f_c scan of a trained tagger
//   bdt    the MV2-like boosted-decision-tree baseline (XGBoost), evaluated the same way

#include <fmt/format.h>

#include <filesystem>

#include "apps/bolo/SharedOptions.hpp"
#include "apps/bolo/Verbs.hpp"
#include "common/AtomicFile.hpp"
#include "common/ConfigReader.hpp"
#include "common/Error.hpp"
#include "common/Log.hpp"
#include "common/Manifest.hpp"
#include "common/StopSignal.hpp"
#include "common/WorkDir.hpp"
#include "common/nn/TorchRuntime.hpp"
#include "ftag/FlavourPerformance.hpp"
#include "ftag/nn/Bdt.hpp"
#include "ftag/nn/TaggerRun.hpp"

namespace bolo::app {

namespace fs = std::filesystem;

namespace {

fs::path configOrDefault(const std::string& option, const WorkDir& dir, const char* name) {
  if (!option.empty()) return option;
  if (fs::exists(dir.configs() / name)) return dir.configs() / name;
  return {};
}

fs::path jetFile(const std::string& configured, const WorkDir& dir) {
  return configured.empty() ? dir.data() / "jets.h5" : fs::path(configured);
}

fs::path taggerDir(const WorkDir& dir) {
  return dir.output() / "tagger";
}

// ---------------------------------------------------------------- train
struct TrainOptions {
  std::string workdir, config, run, device, data;
  int threads = -1;
  bool json = false;
};

void runTrain(const TrainOptions& options) {
  const WorkDir dir = resolveWorkDir(options.workdir);
  const auto configPath = configOrDefault(options.config, dir, "tagger.json");
  auto config = configPath.empty() ? nn::TaggerRunConfig{}
                                   : nn::taggerRunConfigFromJson(readJsonFile(configPath));
  if (!options.run.empty()) config.run = options.run;
  if (!options.device.empty()) config.network.device = options.device;
  if (!options.data.empty()) config.data = options.data;
  if (options.threads >= 0) config.threads = options.threads;
  const auto device = nn::resolveDevice(config.network.device);
  config.network.device = device.device;
  const int threads = nn::configureCpuThreads(config.threads).matrix;
  const fs::path out = taggerDir(dir) / config.run;
  fs::create_directories(out);
  writeResolvedConfig(out, toJson(config));
  auto manifest = startManifest("tagger train", config.network.seed);
  manifest.device = device.device;
  manifest.threads = threads;
  manifest.libraries.merge(nn::torchLibraryVersions());
  writeManifest(out, manifest);

  const auto jets = jetFile(config.data, dir);
  const auto data = nn::loadTaggerData(jets, true);
  log::info("training tagger '{}' on {} jets ({} validation, {} test), device {} ({})", config.run,
            data.train.size(), data.validation.size(), data.test.size(), device.device,
            device.reason);
  nn::TrainingHooks hooks;
  hooks.onEpoch = [](int epoch, double train, double validation) {
    log::info("epoch {}: train loss {:.4f}, validation loss {:.4f}", epoch, train, validation);
  };
  hooks.stopRequested = [] { return stopRequested(); };
  nn::TaggerRunResult result;
  try {
    result = nn::runTaggerTraining(config.network, data, out, hooks);
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
  if (options.json) {
    printJson({{"model", out.string()},
               {"parameters", result.parameters},
               {"history", toJson(result.history)},
               {"wall_seconds", result.wallSeconds},
               {"working_point_77", toJson(wp)}});
  }
}

// ---------------------------------------------------------------- roc
struct RocOptions {
  std::string workdir, run = "dl1", model, bdt;
  double fc = kDl1Fc;
  bool json = false, noPlots = false;
};

std::optional<TaggerPerformance> loadBdtPerformance(const fs::path& bdtDir) {
  if (bdtDir.empty() || !fs::exists(bdtDir / "scores.h5")) return std::nullopt;
  return evaluateSingleScore("BDT (MV2-like)", readScoreFile(bdtDir / "scores.h5"));
}

void runRoc(const RocOptions& options) {
  const WorkDir dir = resolveWorkDir(options.workdir);
  const fs::path model =
      options.model.empty() ? taggerDir(dir) / options.run : fs::path(options.model);
  if (!fs::exists(model / "scores.h5")) {
    throw InputError(fmt::format("{}: no scores.h5 (train the tagger first: bolo tagger train)",
                                 model.string()));
  }
  const auto performance =
      evaluateMulticlass(model.filename().string(), readScoreFile(model / "scores.h5"), options.fc);
  const fs::path bdtDir = options.bdt.empty() ? taggerDir(dir) / "bdt" : fs::path(options.bdt);
  const auto bdt = loadBdtPerformance(bdtDir);
  if (!options.bdt.empty() && !bdt)
    throw InputError(fmt::format("{}: no BDT scores.h5", bdtDir.string()));
  nlohmann::json result = {{"tagger", toJson(performance)}};
  if (bdt) result["bdt"] = toJson(*bdt);
  writeFileAtomically(model / "performance.json", result.dump(2) + "\n");
  if (!options.noPlots) drawPerformancePlots(model / "plots", {performance}, bdt);
  for (const auto& wp : performance.workingPoints) {
    log::info("{:.0f}% b-eff: light rejection {:.1f} +- {:.1f}, c rejection {:.2f} +- {:.2f}",
              100 * wp.targetBEfficiency, wp.lightRejection.value, wp.lightRejection.uncertainty,
              wp.cRejection.value, wp.cRejection.uncertainty);
  }
  log::info("performance written to {}", (model / "performance.json").string());
  if (options.json) printJson(result);
}

// ---------------------------------------------------------------- bdt
struct BdtOptions {
  std::string workdir, config, data;
  int threads = -1;
  bool json = false;
};

void runBdt(const BdtOptions& options) {
  const WorkDir dir = resolveWorkDir(options.workdir);
  const auto configPath = configOrDefault(options.config, dir, "bdt.json");
  auto config =
      configPath.empty() ? nn::BdtConfig{} : nn::bdtConfigFromJson(readJsonFile(configPath));
  if (options.threads >= 0) config.threads = options.threads;
  if (!options.data.empty()) config.data = options.data;
  nn::requireXgboost();
  const fs::path out = taggerDir(dir) / "bdt";
  fs::create_directories(out);
  writeResolvedConfig(out, toJson(config));
  auto manifest = startManifest("tagger bdt", config.seed);
  manifest.libraries["xgboost"] = nn::xgboostVersion();
  writeManifest(out, manifest);
  const auto jets = jetFile(config.data, dir);
  const auto train = readJetSplit(jets, "train"), validation = readJetSplit(jets, "validation"),
             test = readJetSplit(jets, "test");
  log::info("training the BDT baseline ({} trees at most, depth {}) on {} jets", config.trees,
            config.maxDepth, train.size());
  const auto result = nn::trainBdt(config, train, validation, test, out);
  const auto performance = evaluateSingleScore("BDT (MV2-like)", readScoreFile(out / "scores.h5"));
  writeFileAtomically(out / "performance.json",
                      nlohmann::json{{"bdt", toJson(performance)}}.dump(2) + "\n");
  manifest.extra = {{"jets", jets.string()}, {"training", result}};
  finishManifest(out, manifest, "completed");
  const auto& wp = workingPointAt(performance, kFcScanEfficiency);
  log::info(
      "BDT at 77% b-efficiency: light rejection {:.1f} +- {:.1f}, c rejection {:.2f} +- {:.2f}; in "
      "{}",
      wp.lightRejection.value, wp.lightRejection.uncertainty, wp.cRejection.value,
      wp.cRejection.uncertainty, out.string());
  if (options.json)
    printJson({{"model", out.string()}, {"training", result}, {"working_point_77", toJson(wp)}});
}

}  // namespace

void setupTagger(CLI::App& app) {
  auto* verb = app.add_subcommand(
      "tagger", "Train and evaluate the DL1-style flavour tagger and the BDT baseline");
  verb->require_subcommand(1);

  auto train = std::make_shared<TrainOptions>();
  auto* t = verb->add_subcommand(
      "train", "Train the 3-class (b, c, light) network on <workdir>/data/jets.h5");
  addWorkDirOption(t, train->workdir);
  t->add_option("--config", train->config,
                "Tagger config (default: <workdir>/configs/tagger.json or built-in)");
  t->add_option("--run", train->run, "Run name: output in <workdir>/output/tagger/<run>");
  t->add_option("--data", train->data, "Jet file (default: <workdir>/data/jets.h5)");
  t->add_option("--device", train->device, "auto, cpu, cuda or cuda:N (overrides the config)");
  t->add_option("--threads", train->threads, "CPU threads (0: all cores)")
      ->check(CLI::NonNegativeNumber);
  t->add_flag("--json", train->json, "Print a summary as JSON on stdout");
  t->callback([train] { runTrain(*train); });

  auto roc = std::make_shared<RocOptions>();
  auto* r = verb->add_subcommand(
      "roc", "Rejections at the 60/70/77/85% working points, ROC curves, f_c scan");
  addWorkDirOption(r, roc->workdir);
  auto* runOption =
      r->add_option("--run", roc->run, "Run name under <workdir>/output/tagger (default dl1)");
  r->add_option("--model", roc->model, "Model directory instead of --run")->excludes(runOption);
  r->add_option("--fc", roc->fc, "f_c of D_b (default 0.08, DL1)")->check(CLI::Range(0.0, 1.0));
  r->add_option("--bdt", roc->bdt,
                "BDT directory (default: <workdir>/output/tagger/bdt if trained)");
  r->add_flag("--no-plots", roc->noPlots, "Skip the plots");
  r->add_flag("--json", roc->json, "Print the performance as JSON on stdout");
  r->callback([roc] { runRoc(*roc); });

  auto bdt = std::make_shared<BdtOptions>();
  auto* b = verb->add_subcommand(
      "bdt", "Train the MV2-like gradient-boosted trees (XGBoost) and evaluate them");
  addWorkDirOption(b, bdt->workdir);
  b->add_option("--config", bdt->config,
                "BDT config (default: <workdir>/configs/bdt.json or built-in)");
  b->add_option("--data", bdt->data, "Jet file (default: <workdir>/data/jets.h5)");
  b->add_option("--threads", bdt->threads, "CPU threads (0: all cores)")
      ->check(CLI::NonNegativeNumber);
  b->add_flag("--json", bdt->json, "Print a summary as JSON on stdout");
  b->callback([bdt] { runBdt(*bdt); });
}

}  // namespace bolo::app
