#pragma once
// The entry points of the batch verbs, each on the job service of one work directory
// (its site catalogue, its job records in <workdir>/jobs/, its logs):
//   bolo submit   submitJobs()     one bolo verb as a job, or a ready workflow
//   bolo status   jobStatus()      refresh (and cancel) jobs; formatJobTable() for people
//   bolo wait     waitForJobs()    block until jobs end
//   bolo logs     jobLogFiles()    the log files of a job (lastLines() for --tail)
// They return what happened; printing it is the verb's business.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "batch/JobRecord.hpp"
#include "batch/Workflow.hpp"

namespace bolo::batch {

/// `bolo submit`: a bolo verb with its arguments (`command`), or a workflow.
struct Submission {
  std::string workdir;
  std::string catalogue;  ///< empty: <workdir>/configs/sites.json, else built in
  std::string site;
  std::string queue;
  std::string name;
  std::string time = "60";
  std::string mem = "2000M";
  int gpus = 0;
  int cpus = 1;
  std::string gpuModel;
  double gpuMemory = 0;
  int array = 0;
  int arrayLimit = 0;
  int maxRequeues = 3;
  int checkpointWarning = 60;
  std::vector<std::string> after;
  std::vector<std::string> inputs;
  std::vector<std::string> outputs;
  std::string workflow;        ///< "calo" or "scan" instead of a command
  std::string workflowConfig;  ///< empty: <workdir>/configs/workflows.json, else the defaults
  int retries = -1;            ///< workflow: >= 0 overrides the config's retries
  double poll = 10;
  std::vector<std::string> command;
};

/// What a submission did: the job it submitted, or the workflow it ran (its summary is also
/// written to <workdir>/output/workflows/<workflow>-<id>/).
struct SubmissionOutcome {
  std::optional<JobRecord> job;
  std::optional<WorkflowSummary> workflow;
};

/// Submit `submission.command` (whose first word must be one of `verbs`) or run the workflow.
SubmissionOutcome submitJobs(const Submission& submission, const std::vector<std::string>& verbs);
/// RuntimeFailure when the workflow did not complete.
void requireCompleted(const WorkflowSummary& summary);

struct JobQuery {
  std::string workdir;
  std::string catalogue;         ///< empty: <workdir>/configs/sites.json, else built in
  std::vector<std::string> ids;  ///< empty: every job of the work directory
};

/// `bolo status`: cancel `cancel` first, then the refreshed records.
std::vector<JobRecord> jobStatus(const JobQuery& query, const std::vector<std::string>& cancel);
/// The human-readable table of `bolo status`.
std::string formatJobTable(const std::vector<JobRecord>& records);

struct WaitOutcome {
  std::vector<JobRecord> records;
  std::vector<std::string> problems;  ///< one per job that did not complete
};
/// `bolo wait`: wait for each job in turn; `timeoutSeconds` (0: none) bounds them all.
WaitOutcome waitForJobs(const JobQuery& query, double timeoutSeconds, double pollSeconds);
/// RuntimeFailure naming the problems, if any.
void requireCompleted(const WaitOutcome& outcome);

/// `bolo logs`: the log files of job `query.ids[0]` (only array task `task` if >= 0);
/// InputError when there are none yet.
std::vector<std::filesystem::path> jobLogFiles(const JobQuery& query, int task);
/// The last `lines` lines of `text` (all of it for lines <= 0).
std::string lastLines(const std::string& text, int lines);

}  // namespace bolo::batch
