#include "batch/Broker.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "common/Error.hpp"

namespace bolo::batch {

namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

/// A limit of 0 means unlimited or not declared.
bool exceeds(int wanted, int limit) {
  return limit > 0 && wanted > limit;
}

}  // namespace

std::optional<std::string> rejectionReason(const QueueSpec& queue, const ResourceRequest& r) {
  if (r.gpus == 0) {
    if (queue.isGpu()) return "GPU queue: CPU jobs are kept off GPU slots";
  } else {
    if (!queue.isGpu()) return fmt::format("CPU queue: the job needs {} GPU(s)", r.gpus);
    if (lower(queue.label) != lower(r.gpuLabel)) {
      return fmt::format("GPU label '{}' is not the requested '{}'", queue.label, r.gpuLabel);
    }
    if (!r.gpuModel.empty()) {
      if (queue.gpuModel.empty())
        return fmt::format("GPU model not declared (requested {})", r.gpuModel);
      if (lower(queue.gpuModel) != lower(r.gpuModel)) {
        return fmt::format("GPU model {} is not the requested {}", queue.gpuModel, r.gpuModel);
      }
    }
    if (r.gpuMemoryGb > 0) {
      if (queue.gpuMemoryGb <= 0) {
        return fmt::format("GPU memory not declared (requested {} GB)", r.gpuMemoryGb);
      }
      if (queue.gpuMemoryGb < r.gpuMemoryGb) {
        return fmt::format("GPU memory {} GB is less than the requested {} GB", queue.gpuMemoryGb,
                           r.gpuMemoryGb);
      }
    }
    if (r.gpus > 1 && !queue.multiGpu) {
      return fmt::format("one GPU per job only (requested {})", r.gpus);
    }
    if (r.gpus > queue.gpusPerSlot) {
      return fmt::format("{} GPU(s) per slot, requested {}", queue.gpusPerSlot, r.gpus);
    }
  }
  if (exceeds(r.timeMinutes, queue.timeLimitMinutes)) {
    return fmt::format("time limit {} min is shorter than the requested {} min",
                       queue.timeLimitMinutes, r.timeMinutes);
  }
  if (exceeds(r.memoryMb, queue.memoryMb)) {
    return fmt::format("memory {} MB is less than the requested {} MB", queue.memoryMb, r.memoryMb);
  }
  return std::nullopt;
}

BrokerDecision brokerJob(const SiteSpec& site, const std::string& queueName,
                         const ResourceRequest& r) {
  if (!queueName.empty()) {
    const QueueSpec* queue = site.findQueue(queueName);
    if (!queue) {
      std::string names;
      for (const auto& q : site.queues)
        names += (names.empty() ? std::string() : std::string(", ")) + q.name;
      throw InputError(
          fmt::format("site {} has no queue '{}': its queues are {}", site.name, queueName, names));
    }
    if (const auto reason = rejectionReason(*queue, r)) {
      throw InputError(
          fmt::format("queue {}/{} cannot run this job: {}", site.name, queueName, *reason));
    }
    return {&site, queue};
  }
  std::vector<const QueueSpec*> accepting;
  std::string rejected;
  for (const auto& q : site.queues) {
    if (const auto reason = rejectionReason(q, r)) {
      rejected += fmt::format("{}{}: {}", rejected.empty() ? "" : "; ", q.name, *reason);
    } else {
      accepting.push_back(&q);
    }
  }
  if (accepting.empty()) {
    const std::string need =
        r.gpus > 0 ? fmt::format("a job needing {} GPU(s)", r.gpus) : "a CPU job";
    throw InputError(fmt::format("no queue of site {} can run {}: {}", site.name, need, rejected));
  }
  const auto limitOrder = [](int limit) { return limit == 0 ? INT32_MAX : limit; };
  const auto best =
      std::min_element(accepting.begin(), accepting.end(), [&](const auto* a, const auto* b) {
        if (a->gpuMemoryGb != b->gpuMemoryGb) return a->gpuMemoryGb < b->gpuMemoryGb;
        if (a->timeLimitMinutes != b->timeLimitMinutes) {
          return limitOrder(a->timeLimitMinutes) < limitOrder(b->timeLimitMinutes);
        }
        return a->name < b->name;
      });
  return {&site, *best};
}

}  // namespace bolo::batch
