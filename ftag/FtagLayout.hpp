#pragma once
// Where the flavour-tagging runs live under the work directory. The verbs and the batch
// workflows take their paths from here:
//   <workdir>/data/jets.h5                         bolo jets (train/validation/test splits)
//   <workdir>/output/jets/                         its config.json and manifest.json
//   <workdir>/output/tagger/<run>/                 bolo tagger train|roc (default run dl1)
//   <workdir>/output/tagger/bdt/                   bolo tagger bdt
//   <workdir>/output/scan/                         bolo scan (see ScanLayout)

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "common/WorkDir.hpp"
#include "ftag/ScanSpace.hpp"

namespace bolo {

/// <workdir>/data/jets.h5 unless `option` names a file.
std::filesystem::path jetFile(const WorkDir& dir, const std::string& option);
/// <workdir>/output/jets: the records of `bolo jets`.
std::filesystem::path jetRecordsDir(const WorkDir& dir);
/// <workdir>/output/tagger: one folder per tagger run, and bdt/.
std::filesystem::path taggerDir(const WorkDir& dir);
/// <workdir>/output/tagger/bdt unless `option` names another folder.
std::filesystem::path bdtDir(const WorkDir& dir, const std::string& option);

/// The folders of a hyper-parameter scan:
///   plan.json, jobs/job_NNN.json, results/<id>.json, runs/job_NNN/ (config, manifest),
///   scan_results.{csv,json}, report.json, plots/, retrain/.
struct ScanLayout {
  std::filesystem::path dir;

  std::filesystem::path plan() const { return dir / "plan.json"; }
  std::filesystem::path jobs() const { return dir / "jobs"; }
  std::filesystem::path results() const { return dir / "results"; }
  std::filesystem::path plots() const { return dir / "plots"; }
  std::filesystem::path retrain() const { return dir / "retrain"; }
  /// jobs/job_NNN.json
  std::filesystem::path jobFile(std::size_t job) const;
  /// jobs/job_{task:03}.json: the job file of a batch array task ({task} is replaced).
  std::filesystem::path jobFileTemplate() const;
};

/// `option` (--scan-dir) if given, else <workdir>/output/scan.
ScanLayout scanLayout(const WorkDir& dir, const std::string& option);
/// The results folder of a job file: results/ beside its jobs/ folder.
std::filesystem::path resultsDirOfJob(const std::filesystem::path& jobFile);
/// The record folder (config, manifest) of one job's run: runs/job_NNN beside results/.
std::filesystem::path runRecordDir(const std::filesystem::path& resultsDir, std::size_t job);

/// A scan's plan.json: the space and its combinations.
struct ScanPlanFile {
  ScanSpace space;
  std::vector<ScanCombination> combinations;
};
/// Read <scan dir>/plan.json; InputError if missing or not a plan.
ScanPlanFile readScanPlanFile(const ScanLayout& layout);

}  // namespace bolo
