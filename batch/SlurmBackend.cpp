#include "batch/SlurmBackend.hpp"

#include <fmt/format.h>

#include <fstream>

#include "batch/SlurmScript.hpp"
#include "common/AtomicFile.hpp"
#include "common/Error.hpp"
#include "common/Manifest.hpp"

namespace bolo::batch {

namespace fs = std::filesystem;

namespace {

TaskRecord* findTask(JobRecord& record, int index) {
  for (auto& t : record.tasks) {
    if (t.index == index) return &t;
  }
  return nullptr;
}

}  // namespace

void SlurmBackend::submit(const JobRequest& request, const SiteSpec& /*site*/,
                          const QueueSpec& queue, JobRecord& record) {
  const fs::path script = record.jobDir / "job.sbatch";
  writeFileAtomically(script, renderSbatchScript(request, queue));
  std::error_code ec;
  fs::create_directories(request.logDir, ec);
  const auto result = m_runner.run(sbatchArguments(request, script));
  if (result.exitCode != 0) {
    throw RuntimeFailure(fmt::format("sbatch refused the job: {}", result.firstErrorLine()));
  }
  record.backendId = parseSbatchJobId(result.out);
  record.tasks = initialTasks(request);
  record.state = JobState::kPending;
}

void applySlurmInfo(const std::vector<SlurmJobInfo>& infos, JobRecord& record) {
  for (const auto& info : infos) {
    std::vector<int> indices = {0};
    if (!info.arrayJobId.empty() && !info.arrayTaskId.empty())
      indices = expandTaskRange(info.arrayTaskId);
    for (const int index : indices) {
      TaskRecord* task = findTask(record, index);
      if (!task) continue;
      task->state = info.state;
      task->restarts = info.restarts;
      task->exitCode = info.exitSignal != 0 ? 128 + info.exitSignal : info.exitCode;
      task->reason = info.reason == "None" ? std::string() : info.reason;
      if (info.state == JobState::kUnknown) task->reason = "SLURM state " + info.rawState;
    }
  }
}

void applyExitRecords(JobRecord& record) {
  for (auto& task : record.tasks) {
    if (isFinal(task.state) && task.state != JobState::kUnknown) continue;
    const fs::path file = record.jobDir / fmt::format("exit.{}", task.index);
    std::ifstream in(file);
    int code = 0;
    if (in >> code) {
      task.exitCode = code;
      task.state = stateFromExitCode(code);
      task.reason = code == 0 ? "" : fmt::format("exit code {}", code);
    } else {
      task.state = JobState::kUnknown;
      task.reason =
          "SLURM no longer knows the job and it left no exit record (killed or cancelled?)";
    }
  }
}

void SlurmBackend::refresh(JobRecord& record) {
  if (isFinal(record.state)) return;
  const auto result = m_runner.run({"scontrol", "show", "job", "-o", record.backendId});
  if (result.exitCode == 0) {
    applySlurmInfo(parseScontrolShowJob(result.out), record);
  } else if (result.err.find("Invalid job id") != std::string::npos) {
    applyExitRecords(record);
  } else {
    throw RuntimeFailure(
        fmt::format("scontrol show job {} failed: {}", record.backendId, result.firstErrorLine()));
  }
  summariseTasks(record);
  if (isFinal(record.state) && record.finished.empty()) record.finished = utcNow();
}

void SlurmBackend::cancel(JobRecord& record) {
  const auto result = m_runner.run({"scancel", record.backendId});
  if (result.exitCode != 0) {
    throw RuntimeFailure(
        fmt::format("scancel {} failed: {}", record.backendId, result.firstErrorLine()));
  }
}

}  // namespace bolo::batch
