#include "batch/JobRequest.hpp"

#include <fmt/format.h>

#include "common/Error.hpp"
#include "common/ParseNumber.hpp"

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

namespace {

/// The whole of `text` as a non-negative integer, or -1.
long long wholeNumber(const std::string& text) {
  // Digits only (no sign, no spaces); nine of them keep every product in minutes or MB in range.
  if (text.find_first_not_of("0123456789") != std::string::npos) return -1;
  return toInteger(text, 0, 999'999'999).value_or(-1);
}

}  // namespace

std::string substituteTask(const std::string& arg,
                           const std::function<std::string(int width)>& value) {
  std::string out;
  std::size_t from = 0;
  for (auto pos = arg.find("{task"); pos != std::string::npos; pos = arg.find("{task", from)) {
    out += arg.substr(from, pos - from);
    if (arg.compare(pos, 6, "{task}") == 0) {
      out += value(0);
      from = pos + 6;
    } else if (arg.size() >= pos + 10 && arg.compare(pos + 5, 2, ":0") == 0 &&
               arg[pos + 7] >= '2' && arg[pos + 7] <= '6' && arg[pos + 8] == '}') {
      out += value(arg[pos + 7] - '0');
      from = pos + 9;
    } else {
      out += "{task";
      from = pos + 5;
    }
  }
  return out + arg.substr(from);
}

int parseMinutes(const std::string& text) {
  const auto bad = [&] {
    return InputError(fmt::format("--time '{}': expected minutes (90), 90m, 2h or H:MM:SS", text));
  };
  long long minutes = -1;
  if (const auto colon = text.find(':'); colon != std::string::npos) {
    std::vector<long long> parts;
    std::size_t from = 0;
    for (;;) {
      const auto next = text.find(':', from);
      parts.push_back(wholeNumber(text.substr(from, next - from)));
      if (next == std::string::npos) break;
      from = next + 1;
    }
    if (parts.size() != 3 || parts[0] < 0 || parts[1] < 0 || parts[2] < 0) throw bad();
    minutes = parts[0] * 60 + parts[1] + (parts[2] + 59) / 60;
  } else if (!text.empty() && (text.back() == 'm' || text.back() == 'h')) {
    const long long n = wholeNumber(text.substr(0, text.size() - 1));
    if (n >= 0) minutes = text.back() == 'h' ? n * 60 : n;
  } else {
    minutes = wholeNumber(text);
  }
  if (minutes <= 0 || minutes > 525600) throw bad();
  return static_cast<int>(minutes);
}

int parseMegabytes(const std::string& text) {
  long long mb = -1;
  if (!text.empty() && (text.back() == 'M' || text.back() == 'G')) {
    const long long n = wholeNumber(text.substr(0, text.size() - 1));
    if (n >= 0) mb = text.back() == 'G' ? n * 1024 : n;
  } else {
    mb = wholeNumber(text);
  }
  if (mb <= 0 || mb > 100000000) {
    throw InputError(fmt::format("--mem '{}': expected megabytes (2000), 2000M or 16G", text));
  }
  return static_cast<int>(mb);
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
