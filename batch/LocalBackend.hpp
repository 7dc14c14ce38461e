#pragma once
// The local back-end: jobs run on this machine under a detached supervisor process that
// survives the submitting bolo. Each job (or array task) takes one slot of its queue, a
// lock file under <workdir>/jobs/slots/; in a GPU queue slot k is GPU k
// (CUDA_VISIBLE_DEVICES=k), in a CPU queue CUDA_VISIBLE_DEVICES is empty so CPU jobs never
// touch a GPU. The supervisor waits for dependencies, enforces the time limit (TERM, then
// KILL after a grace period), reruns tasks that exit 75 and writes each task's state to
// <jobDir>/task.<i>.json, which is what `bolo status` reads.

#include <string>
#include <vector>

#include "batch/Backend.hpp"

namespace bolo::batch {

class LocalBackend : public Backend {
 public:
  void submit(const JobRequest& request, const SiteSpec& site, const QueueSpec& queue,
              JobRecord& record) override;
  void refresh(JobRecord& record) override;
  void cancel(JobRecord& record) override;
};

/// What the supervisor needs to run a job (also saved as <jobDir>/plan.json).
struct LocalPlan {
  std::vector<std::string> command;
  int arraySize = 0;
  std::vector<int> tasks;  ///< the task indices to run ({0} for a plain job)
  int arrayLimit = 1;
  int slots = 1;
  bool gpu = false;
  std::string queue;
  std::string logName;  ///< log file stem, e.g. "train-<id>"
  std::filesystem::path workdir;
  std::filesystem::path logDir;
  std::filesystem::path jobDir;
  std::filesystem::path slotDir;
  int timeLimitSeconds = 0;  ///< 0 = none
  int killGraceSeconds = 10;
  int maxRequeues = 3;
  std::vector<std::filesystem::path> dependencyDirs;  ///< job dirs that must complete first
};

/// Start the detached supervisor for `plan`; returns once it has recorded its pid.
void startLocalSupervisor(const LocalPlan& plan);

/// The pid of the job's supervisor if it is still running (checked against pid reuse), else 0.
long liveSupervisorPid(const std::filesystem::path& jobDir);

/// Task states as the supervisor last wrote them (pending where it wrote nothing yet);
/// tasks left unfinished by a supervisor that is gone become UNKNOWN.
std::vector<TaskRecord> readLocalTasks(const std::filesystem::path& jobDir,
                                       const std::vector<int>& indices);

}  // namespace bolo::batch
