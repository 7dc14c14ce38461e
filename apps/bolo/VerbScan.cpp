// bolo scan plan|run|collect|retrain: the hyper-parameter scan of the flavour tagger.
//   plan     space -> combinations with stable ids -> N small JSON job files
//   run      train every combination of one job file, one result JSON each (resumable)
//   collect  gather results: table (CSV/JSON), report, parallel-coordinates plot
//   retrain  retrain best/medium/worst (or chosen ids) fully; ROC and f_c-scan plots with
//            the BDT baseline as a star
// Layout under --scan-dir (default <workdir>/output/scan): plan.json, jobs/job_NNN.json,
// results/<id>.json, scan_results.{csv,json}, report.json, plots/, retrain/.

#include <fmt/format.h>

#include <filesystem>

#include "apps/bolo/SharedOptions.hpp"
#include "apps/bolo/Verbs.hpp"
#include "common/AtomicFile.hpp"
#include "common/ConfigReader.hpp"
#include "common/Error.hpp"
#include "common/Log.hpp"
#include "common/Manifest.hpp"
#include "common/WorkDir.hpp"
#include "common/nn/TorchRuntime.hpp"
#include "ftag/FlavourPerformance.hpp"
#include "ftag/ScanResults.hpp"
#include "ftag/ScanRunner.hpp"
#include "ftag/ScanSpace.hpp"
#include "ftag/nn/TaggerRun.hpp"
#include "ftag/nn/TaggerScan.hpp"

namespace bolo::app {

namespace fs = std::filesystem;

namespace {

fs::path scanDirOf(const std::string& option, const WorkDir& dir) {
  return option.empty() ? dir.output() / "scan" : fs::path(option);
}

struct PlanFile {
  ScanSpace space;
  std::vector<ScanCombination> combinations;
};

PlanFile readPlan(const fs::path& scanDir) {
  const auto path = scanDir / "plan.json";
  if (!fs::exists(path))
    throw InputError(fmt::format("{}: no plan (run 'bolo scan plan' first)", path.string()));
  const auto json = readJsonFile(path.string());
  PlanFile plan;
  if (!json.contains("space") || !json.contains("combinations") ||
      !json["combinations"].is_array()) {
    throw InputError(
        fmt::format("{}: not a scan plan (missing space or combinations)", path.string()));
  }
  plan.space = scanSpaceFromJson(json["space"]);
  for (std::size_t i = 0; i < json["combinations"].size(); ++i) {
    plan.combinations.push_back(scanCombinationFromJson(
        json["combinations"][i], fmt::format("{}: combinations[{}]", path.string(), i)));
  }
  return plan;
}

// ---------------------------------------------------------------- plan
struct PlanOptions {
  std::string workdir, space, scanDir;
  std::size_t jobs = 10;
  bool json = false;
};

void runPlan(const PlanOptions& options) {
  const WorkDir dir = resolveWorkDir(options.workdir);
  std::string spacePath = options.space;
  if (spacePath.empty() && fs::exists(dir.configs() / "scan_space.json")) {
    spacePath = (dir.configs() / "scan_space.json").string();
  }
  const auto space = spacePath.empty() ? ScanSpace{} : scanSpaceFromJson(readJsonFile(spacePath));
  const auto plan = planScan(space);
  const auto jobs = splitIntoJobs(plan.combinations, options.jobs, space.seed);
  const fs::path scanDir = scanDirOf(options.scanDir, dir);
  const fs::path jobDir = scanDir / "jobs";
  fs::create_directories(jobDir);
  for (const auto& entry : fs::directory_iterator(jobDir)) {  // jobs of an earlier plan
    if (entry.path().extension() == ".json") fs::remove(entry.path());
  }
  nlohmann::json combinations = nlohmann::json::array(), jobFiles = nlohmann::json::array();
  for (const auto& c : plan.combinations) combinations.push_back(toJson(c));
  for (std::size_t j = 0; j < jobs.size(); ++j) {
    const fs::path file = jobDir / fmt::format("job_{:03d}.json", j);
    writeFileAtomically(file, scanJobJson(j, jobs.size(), space, jobs[j]).dump(1) + "\n");
    jobFiles.push_back(file.filename().string());
  }
  const nlohmann::json planJson = {{"space", toJson(space)},
                                   {"combinations", combinations},
                                   {"jobs", jobFiles},
                                   {"duplicates_dropped", plan.duplicatesDropped}};
  writeFileAtomically(scanDir / "plan.json", planJson.dump(1) + "\n");
  log::info("planned {} combinations ({} sampling) in {} jobs under {}", plan.combinations.size(),
            space.method, jobs.size(), scanDir.string());
  if (plan.duplicatesDropped)
    log::info("{} repeated Latin-hypercube samples dropped", plan.duplicatesDropped);
  if (options.json) {
    printJson({{"scan_dir", scanDir.string()},
               {"combinations", plan.combinations.size()},
               {"jobs", jobFiles},
               {"duplicates_dropped", plan.duplicatesDropped}});
  }
}

// ---------------------------------------------------------------- run
struct RunOptions {
  std::string workdir, job, results, data, device = "auto";
  int threads = 1;
  bool retryFailed = false, halving = false, json = false;
};

void runRun(const RunOptions& options) {
  const WorkDir dir = resolveWorkDir(options.workdir);
  const fs::path jobPath = options.job;
  if (!fs::exists(jobPath))
    throw InputError(fmt::format("{}: job file not found", jobPath.string()));
  const auto job = scanJobFromJson(readJsonFile(jobPath.string()));
  const fs::path resultsDir = options.results.empty()
                                  ? fs::absolute(jobPath).parent_path().parent_path() / "results"
                                  : fs::path(options.results);
  const auto device = nn::resolveDevice(options.device);
  const int threads = nn::configureCpuThreads(options.threads).matrix;
  const fs::path jets = options.data.empty() ? dir.data() / "jets.h5" : fs::path(options.data);
  const auto data = nn::loadTaggerData(jets, false);
  log::info(
      "scan job {} of {}: {} combinations on {} training jets, device {} ({}), {} threads; results "
      "in {}",
      job.job, job.jobs, job.combinations.size(), data.train.size(), device.device, device.reason,
      threads, resultsDir.string());
  std::shared_ptr<nn::SuccessiveHalving> halving;
  if (options.halving) {
    halving = std::make_shared<nn::SuccessiveHalving>();
    if (fs::is_directory(resultsDir)) {
      for (const auto& c : job.combinations) {
        if (auto r = readScanResult(resultsDir, c.id)) halving->record(r->validationLoss);
      }
    }
  }
  ScanRunOptions runOptions;
  runOptions.retryFailed = options.retryFailed;
  // The job's record (results/ holds only result files, so collect can read every .json).
  const fs::path runDir = resultsDir.parent_path() / "runs" / fmt::format("job_{:03d}", job.job);
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
  manifest.libraries.merge(nn::torchLibraryVersions());
  writeManifest(runDir, manifest);
  ScanRunSummary summary;
  try {
    summary = runScanJob(job, resultsDir, nn::makeTaggerScanTrainer(data, device.device, halving),
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
  if (options.json) {
    printJson({{"job", job.job},
               {"results", resultsDir.string()},
               {"trained", summary.trained},
               {"pruned", summary.pruned},
               {"failed", summary.failed},
               {"skipped", summary.skipped},
               {"wall_seconds", summary.wallSeconds}});
  }
}

// ---------------------------------------------------------------- collect
struct CollectOptions {
  std::string workdir, scanDir;
  std::vector<std::string> results;
  bool json = false, noPlots = false;
};

void runCollect(const CollectOptions& options) {
  const WorkDir dir = resolveWorkDir(options.workdir);
  const fs::path scanDir = scanDirOf(options.scanDir, dir);
  const auto plan = readPlan(scanDir);
  std::vector<fs::path> resultDirs;
  for (const auto& r : options.results) resultDirs.emplace_back(r);
  if (resultDirs.empty()) resultDirs.push_back(scanDir / "results");
  if (!fs::exists(scanDir / "results") && options.results.empty())
    fs::create_directories(scanDir / "results");
  const auto collection = collectScanResults(plan.combinations, resultDirs);
  writeFileAtomically(scanDir / "scan_results.csv", scanTableCsv(collection));
  writeFileAtomically(scanDir / "scan_results.json", scanTableJson(collection).dump(1) + "\n");
  auto report = reportJson(collection);
  report["planned"] = plan.combinations.size();
  double epochs = 0, planned = 0, seconds = 0;
  for (const auto* list : {&collection.completed, &collection.pruned, &collection.failed}) {
    for (const auto& r : *list) {
      epochs += r.epochs;
      seconds += r.wallSeconds;
    }
  }
  planned = static_cast<double>(plan.space.training.epochs) *
            static_cast<double>(collection.completed.size() + collection.pruned.size() +
                                collection.failed.size());
  report["compute"] = {
      {"epochs_trained", epochs}, {"epochs_budget", planned}, {"wall_seconds", seconds}};
  writeFileAtomically(scanDir / "report.json", report.dump(2) + "\n");
  if (!options.noPlots)
    drawParallelCoordinates(scanDir / "plots" / "parallel_coordinates", collection, plan.space);
  log::info(
      "{} planned: {} completed, {} pruned, {} failed, {} missing, {} duplicated, {} corrupted, {} "
      "unknown",
      plan.combinations.size(), collection.completed.size(), collection.pruned.size(),
      collection.failed.size(), collection.missing.size(), collection.duplicates.size(),
      collection.corrupted.size(), collection.unknown.size());
  for (const auto& [file, reason] : collection.corrupted)
    log::warn("corrupted result {}: {}", file, reason);
  if (!collection.completed.empty()) {
    const auto& best = collection.completed.front();
    log::info("best: {} layers [{}] lr {} batch {} {} validation loss {:.4f}", best.combination.id,
              fmt::join(best.combination.layers, ", "), best.combination.learningRate,
              best.combination.batchSize, best.combination.activation, best.bestValidationLoss);
  }
  if (options.json) printJson(report);
}

// ---------------------------------------------------------------- retrain
struct RetrainOptions {
  std::string workdir, scanDir, data, device = "auto", config, bdt;
  std::vector<std::string> which;
  std::vector<std::string> ids;
  int threads = 1;
  double fc = kDl1Fc;
  bool json = false;
};

void runRetrain(const RetrainOptions& options) {
  const WorkDir dir = resolveWorkDir(options.workdir);
  const fs::path scanDir = scanDirOf(options.scanDir, dir);
  const auto plan = readPlan(scanDir);
  const auto collection = collectScanResults(plan.combinations, {scanDir / "results"});
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
  std::string configPath = options.config;
  if (configPath.empty() && fs::exists(dir.configs() / "tagger.json"))
    configPath = (dir.configs() / "tagger.json").string();
  const auto base = configPath.empty() ? nn::TaggerRunConfig{}
                                       : nn::taggerRunConfigFromJson(readJsonFile(configPath));
  const auto device = nn::resolveDevice(options.device);
  nn::configureCpuThreads(options.threads);
  const fs::path jets = options.data.empty() ? dir.data() / "jets.h5" : fs::path(options.data);
  const auto data = nn::loadTaggerData(jets, true);
  std::vector<TaggerPerformance> performances;
  nlohmann::json summary = nlohmann::json::array();
  const fs::path retrainDir = scanDir / "retrain";
  for (const auto& [label, combination] : chosen) {
    auto training = plan.space.training;
    training.epochs = base.network.epochs;
    training.patience = base.network.patience;
    const auto config = nn::taggerConfigFor(combination, training, device.device);
    const fs::path out = retrainDir / fmt::format("{}_{}", label, combination.id);
    log::info("retraining {} ({}): layers [{}] lr {} batch {} {}", label, combination.id,
              fmt::join(combination.layers, ", "), combination.learningRate, combination.batchSize,
              combination.activation);
    const auto result = nn::runTaggerTraining(config, data, out);
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
                       {"working_point_77", toJson(wp)}});
    log::info(
        "{}: light rejection {:.1f} +- {:.1f}, c rejection {:.2f} +- {:.2f} at 77% (f_c = {})",
        label, wp.lightRejection.value, wp.lightRejection.uncertainty, wp.cRejection.value,
        wp.cRejection.uncertainty, options.fc);
  }
  const fs::path bdtDir =
      options.bdt.empty() ? dir.output() / "tagger" / "bdt" : fs::path(options.bdt);
  std::optional<TaggerPerformance> bdt;
  if (fs::exists(bdtDir / "scores.h5")) {
    bdt = evaluateSingleScore("BDT (MV2-like)", readScoreFile(bdtDir / "scores.h5"));
  } else {
    log::warn("no BDT scores in {}: plots without the BDT star (run 'bolo tagger bdt')",
              bdtDir.string());
  }
  nlohmann::json result = {{"f_c", options.fc}, {"retrained", summary}};
  if (bdt) result["bdt_working_point_77"] = toJson(workingPointAt(*bdt, kFcScanEfficiency));
  writeFileAtomically(retrainDir / "summary.json", result.dump(2) + "\n");
  drawPerformancePlots(retrainDir / "plots", performances, bdt);
  log::info("retraining summary and plots in {}", retrainDir.string());
  if (options.json) printJson(result);
}

}  // namespace

void setupScan(CLI::App& app) {
  auto* verb = app.add_subcommand(
      "scan", "Hyper-parameter scan of the flavour tagger: plan, run, collect, retrain");
  verb->require_subcommand(1);

  auto plan = std::make_shared<PlanOptions>();
  auto* p = verb->add_subcommand(
      "plan", "Sample the space and write the job files (default 800 combinations, 10 jobs)");
  addWorkDirOption(p, plan->workdir);
  p->add_option("--space", plan->space,
                "Space JSON (default: <workdir>/configs/scan_space.json or built-in)");
  p->add_option("--jobs", plan->jobs, "Number of job files")->check(CLI::PositiveNumber);
  p->add_option("--scan-dir", plan->scanDir, "Scan directory (default <workdir>/output/scan)");
  p->add_flag("--json", plan->json, "Print a summary as JSON on stdout");
  p->callback([plan] { runPlan(*plan); });

  auto run = std::make_shared<RunOptions>();
  auto* r =
      verb->add_subcommand("run", "Train every combination of a job file (skips finished ones)");
  addWorkDirOption(r, run->workdir);
  r->add_option("job", run->job, "Job file (jobs/job_NNN.json)")->required();
  r->add_option("--results", run->results, "Result directory (default: results/ beside jobs/)");
  r->add_option("--data", run->data, "Jet file (default <workdir>/data/jets.h5)");
  r->add_option("--device", run->device, "auto, cpu, cuda or cuda:N");
  r->add_option("--threads", run->threads, "CPU threads (default 1; 0: all cores)")
      ->check(CLI::NonNegativeNumber);
  r->add_flag("--retry-failed", run->retryFailed, "Train failed combinations again");
  r->add_flag("--halving", run->halving,
              "Stop hopeless combinations early (asynchronous successive halving)");
  r->add_flag("--json", run->json, "Print a summary as JSON on stdout");
  r->callback([run] { runRun(*run); });

  auto collect = std::make_shared<CollectOptions>();
  auto* c = verb->add_subcommand(
      "collect", "Gather results into a table, report gaps, draw parallel coordinates");
  addWorkDirOption(c, collect->workdir);
  c->add_option("--scan-dir", collect->scanDir, "Scan directory (default <workdir>/output/scan)");
  c->add_option("--results", collect->results,
                "Result directories (default <scan-dir>/results); repeatable");
  c->add_flag("--no-plots", collect->noPlots, "Skip the plot");
  c->add_flag("--json", collect->json, "Print the report as JSON on stdout");
  c->callback([collect] { runCollect(*collect); });

  auto retrain = std::make_shared<RetrainOptions>();
  auto* t = verb->add_subcommand(
      "retrain", "Retrain best/medium/worst (or --ids) fully and draw their ROC curves");
  addWorkDirOption(t, retrain->workdir);
  t->add_option("which", retrain->which, "best, medium and/or worst")
      ->check(CLI::IsMember({"best", "medium", "worst"}));
  t->add_option("--ids", retrain->ids, "Combination ids to retrain")->delimiter(',');
  t->add_option("--scan-dir", retrain->scanDir, "Scan directory (default <workdir>/output/scan)");
  t->add_option("--config", retrain->config,
                "Tagger config for epochs/patience (default tagger.json)");
  t->add_option("--data", retrain->data, "Jet file (default <workdir>/data/jets.h5)");
  t->add_option("--bdt", retrain->bdt, "BDT directory (default <workdir>/output/tagger/bdt)");
  t->add_option("--device", retrain->device, "auto, cpu, cuda or cuda:N");
  t->add_option("--threads", retrain->threads, "CPU threads (default 1; 0: all cores)")
      ->check(CLI::NonNegativeNumber);
  t->add_option("--fc", retrain->fc, "f_c of D_b (default 0.08)")->check(CLI::Range(0.0, 1.0));
  t->add_flag("--json", retrain->json, "Print the summary as JSON on stdout");
  t->callback([retrain] { runRetrain(*retrain); });
}

}  // namespace bolo::app
