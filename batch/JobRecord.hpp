#pragma once
// What bolo remembers about a submitted job, persisted as <workdir>/jobs/<id>.json (written
// atomically) so `bolo status` works after restarts and after a batch system has forgotten
// the job. Per-job files (scripts, exit records, local state) live in <workdir>/jobs/<id>/.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "batch/JobRequest.hpp"
#include "batch/JobState.hpp"
#include "batch/SiteCatalogue.hpp"

namespace bolo::batch {

struct TaskRecord {
  int index = 0;
  JobState state = JobState::kPending;
  int exitCode = 0;
  int restarts = 0;
  std::string reason;
};

struct JobRecord {
  std::string id;  ///< bolo's id, unique in the work directory
  std::string name;
  std::string site;
  std::string queue;
  BackendKind backend = BackendKind::kLocal;
  std::string backendId;  ///< SLURM job id, HTCondor cluster, PanDA task, or the local id
  std::vector<std::string> command;
  ResourceRequest resources;
  int arraySize = 0;
  std::vector<std::string> dependsOn;  ///< bolo ids of jobs that must complete first
  std::string workflow;                ///< workflow id when submitted by a workflow
  std::string retryOf;                 ///< the job this one retries
  JobState state = JobState::kPending;
  int exitCode = 0;
  std::string reason;
  std::vector<TaskRecord> tasks;  ///< one per array task (one entry for a plain job)
  std::string submitted;          ///< ISO-8601 UTC
  std::string finished;
  std::filesystem::path logDir;
  std::filesystem::path jobDir;  ///< <workdir>/jobs/<id>
};

nlohmann::json toJson(const JobRecord& record);
/// Strict reading of a stored record; InputError naming the bad key.
JobRecord jobRecordFromJson(const nlohmann::json& json);

/// Recompute the job's state from its tasks: running while any runs or waits, else
/// completed only if all completed, else the worst final state (OOM, timeout, failed,
/// cancelled, unknown), with the first failing task's exit code.
void summariseTasks(JobRecord& record);

/// The job records of one work directory.
class JobStore {
 public:
  explicit JobStore(std::filesystem::path jobsDir);

  const std::filesystem::path& dir() const { return m_dir; }
  /// A new unique id ("YYYYmmdd-HHMMSS-xxxx").
  std::string newId() const;
  std::filesystem::path jobDir(const std::string& id) const { return m_dir / id; }
  void save(const JobRecord& record) const;
  /// InputError if there is no such job.
  JobRecord load(const std::string& id) const;
  bool exists(const std::string& id) const;
  /// All records, oldest first.
  std::vector<JobRecord> list() const;

 private:
  std::filesystem::path m_dir;
};

}  // namespace bolo::batch
