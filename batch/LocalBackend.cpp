#include "batch/LocalBackend.hpp"

#include <fmt/format.h>
#include <signal.h>

#include "batch/ShellQuote.hpp"
#include "common/AtomicFile.hpp"
#include "common/ConfigReader.hpp"
#include "common/Error.hpp"
#include "common/Log.hpp"
#include "common/Manifest.hpp"

namespace bolo::batch {

namespace fs = std::filesystem;

void LocalBackend::submit(const JobRequest& request, const SiteSpec& site, const QueueSpec& queue,
                          JobRecord& record) {
  validateJobRequest(request);
  if (request.resources.gpus > 1) {
    throw InputError(
        "the local back-end runs one GPU per job; use a SLURM site for multi-GPU jobs");
  }
  if (site.container.runtime != "none") {
    log::debug("local site {} runs its jobs in {} image {}", site.name, site.container.runtime,
               site.container.image);
  }
  LocalPlan plan;
  plan.command = request.command;
  plan.arraySize = request.arraySize;
  plan.tasks = request.taskIndices();
  plan.arrayLimit = request.arrayLimit > 0 ? request.arrayLimit : queue.arrayLimit;
  plan.slots = queue.slots;
  plan.gpu = queue.isGpu();
  plan.queue = queue.name;
  plan.logName = sanitizeJobName(request.name) + "-" + record.id;
  plan.workdir = fs::absolute(request.workdir);
  plan.logDir = fs::absolute(request.logDir);
  plan.jobDir = fs::absolute(record.jobDir);
  plan.slotDir = plan.jobDir.parent_path() / "slots";
  plan.timeLimitSeconds = request.resources.timeMinutes * 60;
  plan.maxRequeues = request.maxRequeues;
  for (const auto& id : request.afterOk)
    plan.dependencyDirs.push_back(plan.jobDir.parent_path() / id);
  std::error_code ec;
  fs::create_directories(plan.logDir, ec);
  fs::create_directories(plan.jobDir, ec);
  const nlohmann::json planJson = {{"command", plan.command},
                                   {"array_size", plan.arraySize},
                                   {"tasks", plan.tasks},
                                   {"array_limit", plan.arrayLimit},
                                   {"slots", plan.slots},
                                   {"gpu", plan.gpu},
                                   {"queue", plan.queue},
                                   {"time_limit_seconds", plan.timeLimitSeconds},
                                   {"max_requeues", plan.maxRequeues},
                                   {"depends_on", request.afterOk}};
  writeFileAtomically(plan.jobDir / "plan.json", planJson.dump(2) + "\n");
  record.backendId = record.id;
  record.tasks = initialTasks(request);
  record.state = JobState::kPending;
  startLocalSupervisor(plan);
}

void LocalBackend::refresh(JobRecord& record) {
  if (isFinal(record.state)) return;
  std::vector<int> indices;
  for (const auto& t : record.tasks) indices.push_back(t.index);
  record.tasks = readLocalTasks(record.jobDir, indices);
  summariseTasks(record);
  if (isFinal(record.state) && record.finished.empty()) record.finished = utcNow();
}

void LocalBackend::cancel(JobRecord& record) {
  const long pid = liveSupervisorPid(record.jobDir);
  if (pid == 0 || ::kill(static_cast<pid_t>(pid), SIGTERM) != 0) {
    log::warn("job {}: its supervisor is not running any more", record.id);
  }
}

}  // namespace bolo::batch
