#include "ftag/nn/ScanTraining.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <filesystem>
#include <optional>

#include "common/AtomicFile.hpp"
#include "common/ConfigReader.hpp"
#include "common/Error.hpp"
#include "common/Log.hpp"
#include "common/Manifest.hpp"
#include "common/nn/TorchRuntime.hpp"
#include "ftag/FtagLayout.hpp"
#include "ftag/JetFile.hpp"
#include "ftag/ScanResults.hpp"
#include "ftag/ScanRunner.hpp"
#include "ftag/ScanSpace.hpp"
#include "ftag/nn/TaggerRun.hpp"
#include "ftag/nn/TaggerScan.hpp"

namespace bolo::nn {

namespace fs = std::filesystem;

nlohmann::json runScanJobFile(const ScanRunRequest& options) {
  const WorkDir dir = resolveWorkDir(options.workdir);
  const fs::path jobPath = options.job;
  if (!fs::exists(jobPath))
    throw InputError(fmt::format("{}: job file not found", jobPath.string()));
  const auto job = scanJobFromJson(readJsonFile(jobPath.string()));
  const fs::path resultsDir =
      options.results.empty() ? resultsDirOfJob(jobPath) : fs::path(options.results);
  const auto device = resolveDevice(options.device);
  const int threads = configureCpuThreads(options.threads).matrix;
  const fs::path jets = jetFile(dir, options.data);
  const auto data = loadTaggerData(jets, false);
  log::info(
      "scan job {} of {}: {} combinations on {} training jets, device {} ({}), {} threads; results "
      "in {}",
      job.job, job.jobs, job.combinations.size(), data.train.size(), device.device, device.reason,
      threads, resultsDir.string());
  std::shared_ptr<SuccessiveHalving> halving;
  if (options.halving) {
    halving = std::make_shared<SuccessiveHalving>();
    if (fs::is_directory(resultsDir)) {
      for (const auto& c : job.combinations) {
        if (auto r = readScanResult(resultsDir, c.id)) halving->record(r->validationLoss);
      }
    }
  }
  ScanRunOptions runOptions;
  runOptions.retryFailed = options.retryFailed;
  // The job's record (results/ holds only result files, so collect can read every .json).
  const fs::path runDir = runRecordDir(resultsDir, job.job);
  fs::create_directories(runDir);
  writeResolvedConfig(runDir, {{"job", fs::absolute(jobPath).string()},
                               {"results", resultsDir.string()},
                               {"data", jets.string()},
                               {"device", device.device},
                               {"threads", threads},
                               {"halving", options.halving},
                               {"retry_failed", options.retryFailed}});
  auto manifest = startManifest("scan run", job.training.seed);
  manifest.device = device.device;
  manifest.threads = threads;
  manifest.libraries.merge(torchLibraryVersions());
  writeManifest(runDir, manifest);
  ScanRunSummary summary;
  try {
    summary = runScanJob(job, resultsDir, makeTaggerScanTrainer(data, device.device, halving),
                         runOptions);
  } catch (const Interrupted&) {
    finishManifest(runDir, manifest, "interrupted");
    throw;
  } catch (const std::exception&) {
    finishManifest(runDir, manifest, "failed");
    throw;
  }
  manifest.extra = {{"trained", summary.trained},
                    {"pruned", summary.pruned},
                    {"failed", summary.failed},
                    {"skipped", summary.skipped},
                    {"wall_seconds", summary.wallSeconds}};
  finishManifest(runDir, manifest, "completed");
  log::info(
      "scan job {} done: {} trained, {} pruned, {} failed, {} skipped (already finished) in {:.0f} "
      "s",
      job.job, summary.trained, summary.pruned, summary.failed, summary.skipped,
      summary.wallSeconds);
  return {{"job", job.job},
          {"results", resultsDir.string()},
          {"trained", summary.trained},
          {"pruned", summary.pruned},
          {"failed", summary.failed},
          {"skipped", summary.skipped},
          {"wall_seconds", summary.wallSeconds}};
}

nlohmann::json retrainScanCombinations(const ScanRetrainRequest& options) {
  const WorkDir dir = resolveWorkDir(options.workdir);
  const ScanLayout layout = scanLayout(dir, options.scanDir);
  const auto plan = readScanPlanFile(layout);
  const auto collection = collectScanResults(plan.combinations, {layout.results()});
  std::vector<std::pair<std::string, ScanCombination>> chosen;
  for (const auto& w : options.which)
    chosen.emplace_back(w, selectByRank(collection, w).combination);
  for (const auto& id : options.ids) {
    const auto it = std::find_if(plan.combinations.begin(), plan.combinations.end(),
                                 [&](const ScanCombination& c) { return c.id == id; });
    if (it == plan.combinations.end())
      throw InputError(fmt::format("--ids: '{}' is not in the plan", id));
    chosen.emplace_back(id, *it);
  }
  if (chosen.empty()) throw InputError("nothing to retrain: give best, medium, worst and/or --ids");
  // Full training: the epochs and patience of tagger.json (the scan trains briefly).
  const fs::path configPath = dir.configFile(options.config, "tagger.json");
  const auto base = configPath.empty() ? TaggerRunConfig{}
                                       : taggerRunConfigFromJson(readJsonFile(configPath.string()));
  const auto device = resolveDevice(options.device);
  configureCpuThreads(options.threads);
  const fs::path jets = jetFile(dir, options.data);
  const auto data = loadTaggerData(jets, true);
  std::vector<TaggerPerformance> performances;
  nlohmann::json summary = nlohmann::json::array();
  const fs::path retrainDir = layout.retrain();
  for (const auto& [label, combination] : chosen) {
    auto training = plan.space.training;
    training.epochs = base.network.epochs;
    training.patience = base.network.patience;
    const auto config = taggerConfigFor(combination, training, device.device);
    const fs::path out = retrainDir / fmt::format("{}_{}", label, combination.id);
    log::info("retraining {} ({}): layers [{}] lr {} batch {} {}", label, combination.id,
              fmt::join(combination.layers, ", "), combination.learningRate, combination.batchSize,
              combination.activation);
    const auto result = runTaggerTraining(config, data, out);
    writeResolvedConfig(out, toJson(config));
    const auto name =
        fmt::format("{} [{}] {} lr {} bs {}", label, fmt::join(combination.layers, "-"),
                    combination.activation, combination.learningRate, combination.batchSize);
    performances.push_back(evaluateMulticlass(name, readScoreFile(out / "scores.h5"), options.fc));
    const auto& wp = workingPointAt(performances.back(), kFcScanEfficiency);
    summary.push_back({{"label", label},
                       {"id", combination.id},
                       {"model", out.string()},
                       {"history", toJson(result.history)},
                       {"working_point_77", bolo::toJson(wp)}});
    log::info(
        "{}: light rejection {:.1f} +- {:.1f}, c rejection {:.2f} +- {:.2f} at 77% (f_c = {})",
        label, wp.lightRejection.value, wp.lightRejection.uncertainty, wp.cRejection.value,
        wp.cRejection.uncertainty, options.fc);
  }
  const fs::path bdt = bdtDir(dir, options.bdt);
  std::optional<TaggerPerformance> bdtPerformance;
  if (fs::exists(bdt / "scores.h5")) {
    bdtPerformance = evaluateSingleScore("BDT (MV2-like)", readScoreFile(bdt / "scores.h5"));
  } else {
    log::warn("no BDT scores in {}: plots without the BDT star (run 'bolo tagger bdt')",
              bdt.string());
  }
  nlohmann::json result = {{"f_c", options.fc}, {"retrained", summary}};
  if (bdtPerformance)
    result["bdt_working_point_77"] =
        bolo::toJson(workingPointAt(*bdtPerformance, kFcScanEfficiency));
  writeFileAtomically(retrainDir / "summary.json", result.dump(2) + "\n");
  drawPerformancePlots(retrainDir / "plots", performances, bdtPerformance);
  log::info("retraining summary and plots in {}", retrainDir.string());
  return result;
}

}  // namespace bolo::nn
