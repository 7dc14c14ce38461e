#pragma once
// The two workloads as ready workflows, and the runner that drives any workflow:
//   calo: train pions, photons-low and photons-high in parallel, then bestiter for pions and
//         for photons (which scores both photon GANs, so it waits for both trainings);
//   scan: plan, the scan jobs as one array, then collect, then retrain best, medium and worst.
// Steps depend on each other (SLURM afterok, the local supervisor's equivalent). Failed
// jobs are retried up to `retries` times (only the failed tasks of an array); steps that
// waited on a retried step are resubmitted after it. A summary is written at the end.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "batch/JobRequest.hpp"
#include "batch/JobService.hpp"
#include "common/WorkDir.hpp"

namespace bolo::batch {

struct WorkflowStep {
  std::string name;                  ///< e.g. "train-pions"
  std::vector<std::string> command;  ///< full argument vector ("{task}" for array tasks)
  int arraySize = 0;
  int arrayLimit = 0;
  ResourceRequest resources;
  std::vector<std::string> after;  ///< names of steps that must complete first
};

/// Resources of one kind of step.
struct StepResources {
  int gpus = 1;
  int timeMinutes = 720;
  int memoryMb = 8000;
};

/// `train photons --gan <name> --resume` for the photon GAN `index` of the run layout
/// (calo/CaloLayout.hpp: 0 low, 1 high).
std::vector<std::string> photonTrainCommand(std::size_t index);
/// The job file of scan array task {task}, relative to the work directory, as the scan
/// layout names it (ftag/FtagLayout.hpp): output/scan/jobs/job_{task:03}.json.
std::string scanJobFileArgument();

/// The verbs each workflow runs (bolo arguments without the program name) and resources.
/// Defaults follow the workloads' verbs; `bolo init` writes them to configs/workflows.json.
struct WorkflowConfig {
  int retries = 2;  ///< resubmissions of a failed step (its failed tasks only)
  // Trainings resume from their latest checkpoint when a job runs again after a requeue.
  std::vector<std::string> trainPions = {"train", "pions", "--resume"};
  std::vector<std::string> trainPhotonsLow = photonTrainCommand(0);
  std::vector<std::string> trainPhotonsHigh = photonTrainCommand(1);
  std::vector<std::string> bestiterPions = {"bestiter", "pions"};
  std::vector<std::string> bestiterPhotons = {"bestiter", "photons"};  ///< both photon GANs
  StepResources train{1, 1440, 16000};
  StepResources bestiter{1, 240, 8000};
  int scanJobs = 10;  ///< job files of the plan (`scan plan --jobs N`) = tasks of the array
  int scanArrayLimit = 10;
  std::vector<std::string> scanPlan = {"scan", "plan"};  ///< "--jobs N" is appended
  std::vector<std::string> scanRun = {"scan", "run", scanJobFileArgument()};
  std::vector<std::string> scanCollect = {"scan", "collect"};
  std::vector<std::string> scanRetrain = {"scan", "retrain", "best", "medium", "worst"};
  StepResources scanJob{1, 60, 4000};
  StepResources collect{0, 30, 4000};  ///< also used by the plan step
  StepResources retrain{1, 240, 8000};
};

WorkflowConfig workflowConfigFromJson(const nlohmann::json& json);
nlohmann::json toJson(const WorkflowConfig& config);
/// --workflow-config FILE if given, else <workdir>/configs/workflows.json if present, else
/// the defaults.
WorkflowConfig loadWorkflowConfig(const std::string& option, const WorkDir& dir);

/// The steps of a workflow; `bolo` is the program as the jobs see it.
std::vector<WorkflowStep> planCaloWorkflow(const WorkflowConfig& config, const std::string& bolo);
std::vector<WorkflowStep> planScanWorkflow(const WorkflowConfig& config, const std::string& bolo);

struct WorkflowOptions {
  std::string name = "workflow";
  std::string site;
  std::string queue;  ///< empty: the broker picks per step (GPU vs CPU steps differ)
  int retries = 2;
  double pollSeconds = 5;
  double timeoutSeconds = 0;  ///< 0 = wait as long as it takes
};

struct StepOutcome {
  std::string name;
  std::string state;  ///< COMPLETED, FAILED or NOT_RUN
  std::vector<std::string> jobs;
  int retries = 0;
  int tasksDone = 0;
  int tasksTotal = 0;
  std::string reason;
};

struct WorkflowSummary {
  std::string name;
  bool completed = false;
  std::string started;
  std::string finished;
  std::vector<StepOutcome> steps;
};

nlohmann::json toJson(const WorkflowSummary& summary);

/// Submit, follow, retry and summarise. Throws only for bad input and environment errors;
/// failed steps are reported in the summary.
WorkflowSummary runWorkflow(JobService& service, const std::vector<WorkflowStep>& steps,
                            const WorkflowOptions& options);

}  // namespace bolo::batch
