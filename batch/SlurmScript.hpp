#pragma once
// SLURM: rendering sbatch scripts and reading scontrol's answers. Pure functions; the
// SlurmBackend runs the programs.
//
// The script carries only plain tokens in its #SBATCH lines (sanitised name, validated
// partition, numbers); paths go to sbatch as separate arguments. The payload is a bash array
// of single-quoted words run as "${payload[@]}", so no value is ever parsed as shell code.
// The script forwards USR1/TERM to the payload (bolo saves its state and exits 75) and then
// requeues the job itself, up to JobRequest::maxRequeues times.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "batch/JobRequest.hpp"
#include "batch/JobState.hpp"
#include "batch/SiteCatalogue.hpp"

namespace bolo::batch {

/// The batch script for `request` on `queue` (command already wrapped in any container).
std::string renderSbatchScript(const JobRequest& request, const QueueSpec& queue);

/// The sbatch argument vector that submits `scriptPath` (run without a shell).
std::vector<std::string> sbatchArguments(const JobRequest& request,
                                         const std::filesystem::path& scriptPath);

/// The SLURM log file pattern for `request` (%j, or %A_%a for arrays; '%' in paths escaped).
std::string slurmLogPattern(const JobRequest& request);

/// The job id printed by `sbatch --parsable` ("123" or "123;cluster"); RuntimeFailure if none.
std::string parseSbatchJobId(const std::string& output);

/// One job (or array task, or block of still-pending array tasks) from `scontrol show job -o`.
struct SlurmJobInfo {
  std::string jobId;
  std::string arrayJobId;   ///< empty for a plain job
  std::string arrayTaskId;  ///< "3", or a pending range such as "4-9%2"
  std::string rawState;     ///< SLURM's JobState, e.g. "OUT_OF_MEMORY"
  std::string reason;
  int exitCode = 0;  ///< from ExitCode=code:signal
  int exitSignal = 0;
  int restarts = 0;
  JobState state = JobState::kUnknown;
};

/// Parse the one-line-per-job output of `scontrol show job -o ID`.
std::vector<SlurmJobInfo> parseScontrolShowJob(const std::string& output);

/// Bolo's state for SLURM's JobState word (e.g. "COMPLETING" -> running, "NODE_FAIL" -> failed).
JobState jobStateFromSlurm(const std::string& slurmState);

/// Task indices of an ArrayTaskId such as "3", "0-9%2", "1,4-6".
std::vector<int> expandTaskRange(const std::string& text);

}  // namespace bolo::batch
