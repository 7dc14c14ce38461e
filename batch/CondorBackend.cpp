#include "batch/CondorBackend.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "batch/CondorSubmit.hpp"
#include "batch/ShellQuote.hpp"
#include "common/AtomicFile.hpp"
#include "common/Error.hpp"
#include "common/Manifest.hpp"

namespace bolo::batch {

namespace fs = std::filesystem;

void CondorBackend::submit(const JobRequest& request, const SiteSpec& site, const QueueSpec& queue,
                           JobRecord& record) {
  const fs::path file = record.jobDir / "job.sub";
  writeFileAtomically(file, renderCondorSubmit(request, site, queue));
  std::error_code ec;
  fs::create_directories(request.logDir, ec);
  const auto result = m_runner.run({"condor_submit", "-terse", file.string()});
  if (result.exitCode != 0) {
    throw RuntimeFailure(fmt::format("condor_submit refused the job: {}", result.firstErrorLine()));
  }
  record.backendId = parseCondorSubmitCluster(result.out);
  record.tasks = initialTasks(request);
  record.state = JobState::kPending;
}

void CondorBackend::refresh(JobRecord& record) {
  if (isFinal(record.state)) return;
  std::vector<CondorJobInfo> ads;
  for (const char* program : {"condor_q", "condor_history"}) {
    const auto result = m_runner.run({program, record.backendId, "-json"});
    if (result.exitCode != 0) {
      throw RuntimeFailure(
          fmt::format("{} {} failed: {}", program, record.backendId, result.firstErrorLine()));
    }
    for (const auto& ad : parseCondorJobAds(result.out)) {
      // condor_q wins: a job still in the queue may also have an older history entry.
      const bool seen =
          std::any_of(ads.begin(), ads.end(), [&](const auto& a) { return a.proc == ad.proc; });
      if (!seen) ads.push_back(ad);
    }
  }
  for (auto& task : record.tasks) {
    const auto it =
        std::find_if(ads.begin(), ads.end(), [&](const auto& a) { return a.proc == task.index; });
    if (it == ads.end()) {
      task.state = JobState::kUnknown;
      task.reason = "HTCondor knows no such job (history expired?)";
      continue;
    }
    task.state = it->state;
    task.exitCode = it->exitCode;
    task.reason = it->reason;
  }
  summariseTasks(record);
  if (isFinal(record.state) && record.finished.empty()) record.finished = utcNow();
}

void CondorBackend::cancel(JobRecord& record) {
  const auto result = m_runner.run({"condor_rm", record.backendId});
  if (result.exitCode != 0) {
    throw RuntimeFailure(
        fmt::format("condor_rm {} failed: {}", record.backendId, result.firstErrorLine()));
  }
}

std::vector<fs::path> CondorBackend::logFiles(const JobRecord& record) const {
  std::vector<fs::path> files;
  std::error_code ec;
  if (record.logDir.empty() || !fs::is_directory(record.logDir, ec)) return files;
  const std::string prefix = sanitizeJobName(record.name) + "." + record.backendId + ".";
  for (const auto& entry : fs::directory_iterator(record.logDir, ec)) {
    if (entry.path().filename().string().rfind(prefix, 0) == 0) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace bolo::batch
