#include "batch/JobState.hpp"

#include <fmt/format.h>

#include <array>
#include <utility>

#include "common/Error.hpp"

namespace bolo::batch {

namespace {

constexpr std::array<std::pair<JobState, const char*>, 9> kNames{{
    {JobState::kPending, "PENDING"},
    {JobState::kRunning, "RUNNING"},
    {JobState::kRequeued, "REQUEUED"},
    {JobState::kCompleted, "COMPLETED"},
    {JobState::kFailed, "FAILED"},
    {JobState::kTimeout, "TIMEOUT"},
    {JobState::kCancelled, "CANCELLED"},
    {JobState::kOutOfMemory, "OUT_OF_MEMORY"},
    {JobState::kUnknown, "UNKNOWN"},
}};

}  // namespace

std::string toString(JobState state) {
  for (const auto& [s, name] : kNames) {
    if (s == state) return name;
  }
  return "UNKNOWN";
}

JobState jobStateFromString(const std::string& text) {
  for (const auto& [s, name] : kNames) {
    if (text == name) return s;
  }
  throw InputError(fmt::format("unknown job state '{}'", text));
}

bool isFinal(JobState state) {
  switch (state) {
    case JobState::kCompleted:
    case JobState::kFailed:
    case JobState::kTimeout:
    case JobState::kCancelled:
    case JobState::kOutOfMemory:
    case JobState::kUnknown:
      return true;
    default:
      return false;
  }
}

JobState stateFromExitCode(int exitCode) {
  if (exitCode == 0) return JobState::kCompleted;
  return JobState::kFailed;
}

}  // namespace bolo::batch
