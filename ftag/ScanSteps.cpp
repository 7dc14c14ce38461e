#include "ftag/ScanSteps.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <filesystem>

#include "common/AtomicFile.hpp"
#include "common/ConfigReader.hpp"
#include "common/Log.hpp"
#include "ftag/FtagLayout.hpp"
#include "ftag/ScanResults.hpp"
#include "ftag/ScanSpace.hpp"

namespace bolo {

namespace fs = std::filesystem;

nlohmann::json planScanJobs(const ScanPlanRequest& options) {
  const WorkDir dir = resolveWorkDir(options.workdir);
  const fs::path spacePath = dir.configFile(options.space, "scan_space.json");
  const auto space =
      spacePath.empty() ? ScanSpace{} : scanSpaceFromJson(readJsonFile(spacePath.string()));
  const auto plan = planScan(space);
  const auto jobs = splitIntoJobs(plan.combinations, options.jobs, space.seed);
  const ScanLayout layout = scanLayout(dir, options.scanDir);
  const fs::path jobDir = layout.jobs();
  fs::create_directories(jobDir);
  for (const auto& entry : fs::directory_iterator(jobDir)) {  // jobs of an earlier plan
    if (entry.path().extension() == ".json") fs::remove(entry.path());
  }
  nlohmann::json combinations = nlohmann::json::array(), jobFiles = nlohmann::json::array();
  for (const auto& c : plan.combinations) combinations.push_back(toJson(c));
  for (std::size_t j = 0; j < jobs.size(); ++j) {
    const fs::path file = layout.jobFile(j);
    writeFileAtomically(file, scanJobJson(j, jobs.size(), space, jobs[j]).dump(1) + "\n");
    jobFiles.push_back(file.filename().string());
  }
  const nlohmann::json planJson = {{"space", toJson(space)},
                                   {"combinations", combinations},
                                   {"jobs", jobFiles},
                                   {"duplicates_dropped", plan.duplicatesDropped}};
  writeFileAtomically(layout.plan(), planJson.dump(1) + "\n");
  log::info("planned {} combinations ({} sampling) in {} jobs under {}", plan.combinations.size(),
            space.method, jobs.size(), layout.dir.string());
  if (plan.duplicatesDropped)
    log::info("{} repeated Latin-hypercube samples dropped", plan.duplicatesDropped);
  return {{"scan_dir", layout.dir.string()},
          {"combinations", plan.combinations.size()},
          {"jobs", jobFiles},
          {"duplicates_dropped", plan.duplicatesDropped}};
}

nlohmann::json collectScan(const ScanCollectRequest& options) {
  const WorkDir dir = resolveWorkDir(options.workdir);
  const ScanLayout layout = scanLayout(dir, options.scanDir);
  const auto plan = readScanPlanFile(layout);
  std::vector<fs::path> resultDirs;
  for (const auto& r : options.results) resultDirs.emplace_back(r);
  if (resultDirs.empty()) resultDirs.push_back(layout.results());
  if (!fs::exists(layout.results()) && options.results.empty())
    fs::create_directories(layout.results());
  const auto collection = collectScanResults(plan.combinations, resultDirs);
  writeFileAtomically(layout.dir / "scan_results.csv", scanTableCsv(collection));
  writeFileAtomically(layout.dir / "scan_results.json", scanTableJson(collection).dump(1) + "\n");
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
  writeFileAtomically(layout.dir / "report.json", report.dump(2) + "\n");
  if (!options.noPlots)
    drawParallelCoordinates(layout.plots() / "parallel_coordinates", collection, plan.space);
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
  return report;
}

}  // namespace bolo
