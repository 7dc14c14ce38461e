// bolo scan plan|run|collect|retrain: the hyper-parameter scan of the flavour tagger.
//   plan     space -> combinations with stable ids -> N small JSON job files
//   run      train every combination of one job file, one result JSON each (resumable)
//   collect  gather results: table (CSV/JSON), report, parallel-coordinates plot
//   retrain  retrain best/medium/worst (or chosen ids) fully; ROC and f_c-scan plots with
//            the BDT baseline as a star
// Layout under --scan-dir (default <workdir>/output/scan): ftag/FtagLayout.hpp (ScanLayout).
// Library entry points: planScanJobs, collectScan (ftag/ScanSteps.hpp); nn::runScanJobFile,
// nn::retrainScanCombinations (ftag/nn/ScanTraining.hpp).

#include "apps/bolo/SharedOptions.hpp"
#include "apps/bolo/Verbs.hpp"
#include "ftag/ScanSteps.hpp"
#include "ftag/nn/ScanTraining.hpp"

namespace bolo::app {

void setupScan(CLI::App& app) {
  auto* verb = app.add_subcommand(
      "scan", "Hyper-parameter scan of the flavour tagger: plan, run, collect, retrain");
  verb->require_subcommand(1);

  auto plan = std::make_shared<VerbOptions<ScanPlanRequest>>();
  auto* p = verb->add_subcommand(
      "plan", "Sample the space and write the job files (default 800 combinations, 10 jobs)");
  addWorkDirOption(p, plan->request.workdir);
  p->add_option("--space", plan->request.space,
                "Space JSON (default: <workdir>/configs/scan_space.json or built-in)");
  p->add_option("--jobs", plan->request.jobs, "Number of job files")->check(positiveInteger<int>());
  p->add_option("--scan-dir", plan->request.scanDir,
                "Scan directory (default <workdir>/output/scan)");
  addJsonFlag(p, plan->json);
  callOnRun(p, plan, planScanJobs);

  auto run = std::make_shared<VerbOptions<nn::ScanRunRequest>>();
  auto* r =
      verb->add_subcommand("run", "Train every combination of a job file (skips finished ones)");
  addWorkDirOption(r, run->request.workdir);
  r->add_option("job", run->request.job, "Job file (jobs/job_NNN.json)")->required();
  r->add_option("--results", run->request.results,
                "Result directory (default: results/ beside jobs/)");
  r->add_option("--data", run->request.data, "Jet file (default <workdir>/data/jets.h5)");
  addDeviceOption(r, run->request.device, "auto, cpu, cuda or cuda:N");
  addThreadsOption(r, run->request.threads, "CPU threads (default 1; 0: all cores)");
  r->add_flag("--retry-failed", run->request.retryFailed, "Train failed combinations again");
  r->add_flag("--halving", run->request.halving,
              "Stop hopeless combinations early (asynchronous successive halving)");
  addJsonFlag(r, run->json);
  callOnRun(r, run, nn::runScanJobFile);

  auto collect = std::make_shared<VerbOptions<ScanCollectRequest>>();
  auto* c = verb->add_subcommand(
      "collect", "Gather results into a table, report gaps, draw parallel coordinates");
  addWorkDirOption(c, collect->request.workdir);
  c->add_option("--scan-dir", collect->request.scanDir,
                "Scan directory (default <workdir>/output/scan)");
  c->add_option("--results", collect->request.results,
                "Result directories (default <scan-dir>/results); repeatable");
  c->add_flag("--no-plots", collect->request.noPlots, "Skip the plot");
  addJsonFlag(c, collect->json, "Print the report as JSON on stdout");
  callOnRun(c, collect, collectScan);

  auto retrain = std::make_shared<VerbOptions<nn::ScanRetrainRequest>>();
  auto* t = verb->add_subcommand(
      "retrain", "Retrain best/medium/worst (or --ids) fully and draw their ROC curves");
  addWorkDirOption(t, retrain->request.workdir);
  t->add_option("which", retrain->request.which, "best, medium and/or worst")
      ->check(CLI::IsMember({"best", "medium", "worst"}));
  t->add_option("--ids", retrain->request.ids, "Combination ids to retrain")->delimiter(',');
  t->add_option("--scan-dir", retrain->request.scanDir,
                "Scan directory (default <workdir>/output/scan)");
  addConfigOption(t, retrain->request.config,
                  "Tagger config for epochs/patience (default tagger.json)");
  t->add_option("--data", retrain->request.data, "Jet file (default <workdir>/data/jets.h5)");
  t->add_option("--bdt", retrain->request.bdt,
                "BDT directory (default <workdir>/output/tagger/bdt)");
  addDeviceOption(t, retrain->request.device, "auto, cpu, cuda or cuda:N");
  addThreadsOption(t, retrain->request.threads, "CPU threads (default 1; 0: all cores)");
  t->add_option("--fc", retrain->request.fc, "f_c of D_b (default 0.08)")
      ->check(numberIn(0.0, 1.0));
  addJsonFlag(t, retrain->json, "Print the summary as JSON on stdout");
  callOnRun(t, retrain, nn::retrainScanCombinations);
}

}  // namespace bolo::app
