#pragma once
// Brokering: which queue of a site may run a job. GPU jobs go only to queues whose vendor
// label, GPU model and GPU memory match; CPU jobs never go to GPU queues, so scarce GPU
// slots stay free for GPU work (the grid's rule). Pure functions, no side effects.

#include <optional>
#include <string>
#include <vector>

#include "batch/JobRequest.hpp"
#include "batch/SiteCatalogue.hpp"

namespace bolo::batch {

/// Why `queue` cannot run a job needing `resources`; nullopt if it can.
std::optional<std::string> rejectionReason(const QueueSpec& queue,
                                           const ResourceRequest& resources);

struct BrokerDecision {
  const SiteSpec* site = nullptr;
  const QueueSpec* queue = nullptr;
};

/// The queue of `site` for the job: `queueName` if given (and it must accept the job), else
/// among accepting queues the one with the least GPU memory, then the shortest time limit,
/// then the name (so big GPUs and long queues stay free). No accepting queue: InputError
/// (exit 2) listing each queue with the reason it was rejected.
BrokerDecision brokerJob(const SiteSpec& site, const std::string& queueName,
                         const ResourceRequest& resources);

}  // namespace bolo::batch
