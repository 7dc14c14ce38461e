#pragma once
// The life of a job as bolo reports it, the same words for every back-end (SLURM's names).

#include <string>

namespace bolo::batch {

enum class JobState {
  kPending,  ///< waiting for resources or dependencies
  kRunning,
  kRequeued,     ///< stopped after saving state (exit 75 or pre-emption), will run again
  kCompleted,    ///< exit code 0
  kFailed,       ///< non-zero exit code
  kTimeout,      ///< killed at its time limit
  kCancelled,    ///< cancelled by a user or because a dependency failed
  kOutOfMemory,  ///< killed for exceeding its memory
  kUnknown,      ///< the back-end no longer knows the job and it left no exit record
};

std::string toString(JobState state);
/// The name toString gives; InputError otherwise.
JobState jobStateFromString(const std::string& text);
/// Whether the job will not change state any more.
bool isFinal(JobState state);

/// State of a finished job from its exit status (0 completed, 137 = SIGKILL, ...).
JobState stateFromExitCode(int exitCode);

}  // namespace bolo::batch
