#pragma once
// What a user asks to run, independent of where it runs: the command, the resources it
// needs, an optional array of tasks, its input/output files and its dependencies.

#include <filesystem>
#include <string>
#include <vector>

namespace bolo::batch {

/// The literal a command argument may contain to receive the array task index.
inline constexpr const char* kTaskPlaceholder = "{task}";

struct ResourceRequest {
  int gpus = 0;                         ///< 0 = a CPU job
  std::string gpuLabel = "nvidia-gpu";  ///< vendor label the GPU queue must carry
  std::string gpuModel;                 ///< empty = any model
  double gpuMemoryGb = 0;               ///< least memory per GPU; 0 = any
  int timeMinutes = 60;                 ///< wall-clock limit
  int memoryMb = 2000;                  ///< memory of the job
  int cpus = 1;
};

struct JobRequest {
  std::string name;                  ///< shown in the queue (sanitised before use)
  std::vector<std::string> command;  ///< argv of the payload; "{task}" -> task index
  ResourceRequest resources;
  int arraySize = 0;                     ///< 0 = one job; N = tasks 0..N-1
  int arrayLimit = 0;                    ///< tasks at once; 0 = the queue's array_limit
  std::vector<int> arrayTasks;           ///< only these tasks (a retry); empty = 0..arraySize-1
  std::vector<std::string> inputFiles;   ///< small JSON inputs (transferred where needed)
  std::vector<std::string> outputFiles;  ///< small JSON outputs (transferred back)
  std::filesystem::path workdir;         ///< where the job runs (BOLO_WORKDIR)
  std::filesystem::path logDir;          ///< where its stdout/stderr go
  std::filesystem::path statusDir;       ///< where the job writes exit.<task>; empty = none
  std::vector<std::string> afterOk;      ///< back-end ids that must complete successfully first
  int checkpointWarningSeconds = 60;     ///< SIGUSR1 this long before the time limit
  int maxRequeues = 3;                   ///< requeues after exit 75 before giving up

  bool isArray() const { return arraySize > 0; }
  /// The task indices this job runs: {0} for a plain job.
  std::vector<int> taskIndices() const;
  /// The indices in SLURM's --array syntax: "0-79" or "3,17,42".
  std::string arraySpec() const;
};

/// A wall-clock limit in minutes from "90", "90m", "2h", "1:30:00" (rounded up); InputError.
int parseMinutes(const std::string& text);
/// Memory in MB from "2000", "2000M", "16G"; InputError otherwise.
int parseMegabytes(const std::string& text);

/// InputError if the request cannot be sent anywhere (empty command, negative sizes, ...).
void validateJobRequest(const JobRequest& request);

}  // namespace bolo::batch
