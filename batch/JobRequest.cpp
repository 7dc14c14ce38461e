#include "batch/JobRequest.hpp"

#include <fmt/format.h>

#include "core/Error.hpp"

namespace bolo::batch {

std::vector<int> JobRequest::taskIndices() const {
  if (!isArray()) return {0};
  if (!arrayTasks.empty()) return arrayTasks;
  std::vector<int> all(static_cast<std::size_t>(arraySize));
  for (int i = 0; i < arraySize; ++i) all[static_cast<std::size_t>(i)] = i;
  return all;
}

std::string JobRequest::arraySpec() const {
  if (arrayTasks.empty()) return fmt::format("0-{}", arraySize - 1);
  std::string spec;
  for (const int t : arrayTasks) {
    if (!spec.empty()) spec += ',';
    spec += std::to_string(t);
  }
  return spec;
}

void validateJobRequest(const JobRequest& request) {
  if (request.command.empty()) throw InputError("the job has no command to run");
  for (const auto& arg : request.command) {
    if (arg.find('\0') != std::string::npos)
      throw InputError("a job argument contains a NUL character");
  }
  const auto& r = request.resources;
  if (r.gpus < 0) throw InputError(fmt::format("--gpus must be >= 0, got {}", r.gpus));
  if (r.gpuMemoryGb < 0)
    throw InputError(fmt::format("--gpu-memory must be >= 0, got {}", r.gpuMemoryGb));
  if (r.timeMinutes <= 0)
    throw InputError(fmt::format("--time must be positive, got {} min", r.timeMinutes));
  if (r.memoryMb <= 0)
    throw InputError(fmt::format("--mem must be positive, got {} MB", r.memoryMb));
  if (r.cpus <= 0) throw InputError(fmt::format("--cpus must be positive, got {}", r.cpus));
  if (request.arraySize < 0)
    throw InputError(fmt::format("array size must be >= 0, got {}", request.arraySize));
  if (request.arrayLimit < 0)
    throw InputError(fmt::format("array limit must be >= 0, got {}", request.arrayLimit));
  for (const int t : request.arrayTasks) {
    if (t < 0 || t >= request.arraySize) {
      throw InputError(fmt::format("array task {} is outside 0..{}", t, request.arraySize - 1));
    }
  }
  if (request.checkpointWarningSeconds < 0 || request.maxRequeues < 0) {
    throw InputError("checkpoint warning and requeue limit must be >= 0");
  }
}

}  // namespace bolo::batch
