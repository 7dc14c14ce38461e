#pragma once
// A batch back-end: submits a brokered job, reads its state back, cancels it, finds its
// logs. One implementation per kind of site (local, slurm, htcondor, grid).

#include <filesystem>
#include <memory>
#include <vector>

#include "batch/CommandRunner.hpp"
#include "batch/JobRecord.hpp"
#include "batch/JobRequest.hpp"
#include "batch/SiteCatalogue.hpp"

namespace bolo::batch {

class Backend {
 public:
  virtual ~Backend() = default;
  /// Submit; fills record.backendId, record.tasks and record.state. request.afterOk holds
  /// back-end ids. Script files go to record.jobDir.
  virtual void submit(const JobRequest& request, const SiteSpec& site, const QueueSpec& queue,
                      JobRecord& record) = 0;
  /// Bring record.tasks and record.state up to date (no-op once final).
  virtual void refresh(JobRecord& record) = 0;
  virtual void cancel(JobRecord& record) = 0;
  /// The log files the job has written so far.
  virtual std::vector<std::filesystem::path> logFiles(const JobRecord& record) const;
};

/// The back-end for `kind`; `runner` must outlive it.
std::unique_ptr<Backend> makeBackend(BackendKind kind, CommandRunner& runner);

/// Tasks 0..n-1 (one for a plain job), all pending.
std::vector<TaskRecord> initialTasks(int arraySize);
/// Pending tasks for the indices the request runs.
std::vector<TaskRecord> initialTasks(const JobRequest& request);

}  // namespace bolo::batch
