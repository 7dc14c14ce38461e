#include <gtest/gtest.h>

#include "batch/Broker.hpp"
#include "common/Error.hpp"

namespace bolo::batch {

namespace {

SiteSpec site() {
  const auto json = nlohmann::json::parse(R"({"sites": {"centre": {"backend": "slurm", "queues": {
    "v100": {"resource": "gpu", "gpu_model": "V100", "gpu_memory_gb": 16, "time_limit_minutes": 720},
    "a100": {"resource": "gpu", "gpu_model": "A100", "gpu_memory_gb": 80, "gpus_per_slot": 4,
             "multi_gpu": true, "time_limit_minutes": 2880},
    "amd": {"resource": "gpu", "label": "amd-gpu", "gpu_model": "MI250", "gpu_memory_gb": 64},
    "cpu": {"resource": "cpu", "time_limit_minutes": 60, "memory_mb": 4000}}}}})");
  return siteCatalogueFromJson(json).sites.front();
}

ResourceRequest gpu(int n = 1) {
  ResourceRequest r;
  r.gpus = n;
  return r;
}

std::string brokerError(const SiteSpec& s, const std::string& queue, const ResourceRequest& r) {
  try {
    brokerJob(s, queue, r);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST(Broker, GpuJobGoesToTheSmallestMatchingNvidiaQueue) {
  const auto s = site();
  EXPECT_EQ(brokerJob(s, "", gpu()).queue->name, "v100");  // least GPU memory that fits
  auto r = gpu();
  r.gpuMemoryGb = 40;
  EXPECT_EQ(brokerJob(s, "", r).queue->name, "a100");
  r = gpu();
  r.gpuModel = "a100";  // model names compare without case
  EXPECT_EQ(brokerJob(s, "", r).queue->name, "a100");
}

TEST(Broker, CpuJobNeverLandsOnAGpuQueue) {
  const auto s = site();
  ResourceRequest cpu;
  EXPECT_EQ(brokerJob(s, "", cpu).queue->name, "cpu");
  EXPECT_NE(brokerError(s, "v100", cpu).find("GPU queue: CPU jobs are kept off GPU slots"),
            std::string::npos);
  cpu.timeMinutes = 600;  // longer than the CPU queue allows: still not sent to a GPU queue
  const std::string error = brokerError(s, "", cpu);
  EXPECT_NE(error.find("no queue of site centre can run a CPU job"), std::string::npos);
  EXPECT_NE(error.find("cpu: time limit 60 min is shorter than the requested 600 min"),
            std::string::npos);
  EXPECT_NE(error.find("v100: GPU queue"), std::string::npos);
}

TEST(Broker, NoMatchExplainsEveryQueue) {
  const auto s = site();
  auto r = gpu();
  r.gpuModel = "H100";
  const std::string error = brokerError(s, "", r);
  EXPECT_NE(error.find("a100: GPU model A100 is not the requested H100"), std::string::npos)
      << error;
  EXPECT_NE(error.find("v100: GPU model V100 is not the requested H100"), std::string::npos)
      << error;
  EXPECT_NE(error.find("amd: GPU label 'amd-gpu' is not the requested 'nvidia-gpu'"),
            std::string::npos)
      << error;
  EXPECT_NE(error.find("cpu: CPU queue: the job needs 1 GPU(s)"), std::string::npos) << error;
}

TEST(Broker, OneGpuPerSlotUnlessTheQueueAllowsMore) {
  const auto s = site();
  EXPECT_NE(brokerError(s, "v100", gpu(2)).find("one GPU per job only (requested 2)"),
            std::string::npos);
  EXPECT_EQ(brokerJob(s, "", gpu(4)).queue->name, "a100");
  EXPECT_NE(brokerError(s, "a100", gpu(8)).find("4 GPU(s) per slot, requested 8"),
            std::string::npos);
}

TEST(Broker, MemoryAndTimeLimitsAreChecked) {
  const auto s = site();
  auto r = gpu();
  r.gpuMemoryGb = 100;
  EXPECT_NE(brokerError(s, "a100", r).find("GPU memory 80 GB is less than the requested 100 GB"),
            std::string::npos);
  r = gpu();
  r.timeMinutes = 1000;
  EXPECT_EQ(brokerJob(s, "", r).queue->name, "a100");  // the V100 queue is too short
  ResourceRequest cpu;
  cpu.memoryMb = 8000;
  EXPECT_NE(brokerError(s, "cpu", cpu).find("memory 4000 MB is less than the requested 8000 MB"),
            std::string::npos);
}

TEST(Broker, UnknownQueueListsTheSitesQueues) {
  EXPECT_NE(brokerError(site(), "h100", gpu()).find("site centre has no queue 'h100'"),
            std::string::npos);
}

TEST(Broker, UndeclaredModelOrMemoryIsNotAssumed) {
  QueueSpec q;
  q.name = "anygpu";
  q.resource = "gpu";
  q.label = "nvidia-gpu";
  q.gpusPerSlot = 1;
  EXPECT_FALSE(rejectionReason(q, gpu()).has_value());
  auto r = gpu();
  r.gpuModel = "A100";
  EXPECT_EQ(rejectionReason(q, r).value_or(""), "GPU model not declared (requested A100)");
  r = gpu();
  r.gpuMemoryGb = 8;
  EXPECT_EQ(rejectionReason(q, r).value_or(""), "GPU memory not declared (requested 8 GB)");
}

}  // namespace bolo::batch
