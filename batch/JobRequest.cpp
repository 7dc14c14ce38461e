#include "batch/JobRequest.hpp"

#include <fmt/format.h>

#include "core/Error.hpp"

namespace bolo::batch {

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
  if (request.checkpointWarningSeconds < 0 || request.maxRequeues < 0) {
    throw InputError("checkpoint warning and requeue limit must be >= 0");
  }
}

}  // namespace bolo::batch
