#include <gtest/gtest.h>

#include "gpu/GpuVerdict.hpp"

using namespace bolo;

namespace {

GpuInventory healthyNode() {
  GpuInventory inv;
  inv.deviceNodes = {"/dev/nvidia0"};
  inv.controlNodePresent = true;
  inv.kernelDriverVersion = "580.65.06";
  inv.nvmlLoaded = true;
  inv.nvmlDriverVersion = "580.65.06";
  inv.cudaDriverVersion = 13000;
  inv.cudaVisibleDevices = "<unset>";
  inv.gpus = {GpuDevice{0, "NVIDIA", "NVIDIA H100 80GB HBM3", 79.6, "9.0"}};
  return inv;
}

FrameworkGpuFacts cudaTorch() {
  return {"libtorch", "2.11.0", true, 12080, 1};
}

GpuComputeResult goodComputation() {
  return {0, true, "", 2e-6, 50.0, 2800.0};
}

}  // namespace

TEST(GpuVerdict, HealthyNodeIsOk) {
  const auto o = classifyGpuNode(healthyNode(), cudaTorch(), {goodComputation()});
  EXPECT_EQ(o.verdict, GpuVerdict::kOk) << o.reason;
  EXPECT_EQ(gpuCheckExitCode(o.verdict, true), 0);
}

TEST(GpuVerdict, NothingPresentIsNoGpu) {
  const auto o = classifyGpuNode(GpuInventory{}, cudaTorch(), {});
  EXPECT_EQ(o.verdict, GpuVerdict::kNoGpu);
  EXPECT_EQ(gpuCheckExitCode(o.verdict, false), 0);
  EXPECT_EQ(gpuCheckExitCode(o.verdict, true), 10);
}

TEST(GpuVerdict, DeviceNodesWithoutDriverLibrariesIsNotUsable) {
  auto inv = healthyNode();
  inv.nvmlLoaded = false;
  inv.gpus.clear();
  inv.nvmlError = "cannot load libnvidia-ml.so.1";
  const auto o = classifyGpuNode(inv, cudaTorch(), {});
  EXPECT_EQ(o.verdict, GpuVerdict::kNotUsable);
  EXPECT_NE(o.fix.find("--nv"), std::string::npos) << o.fix;
  EXPECT_EQ(gpuCheckExitCode(o.verdict, false), 11);
}

TEST(GpuVerdict, NvmlWithoutDeviceNodesIsNotUsable) {
  auto inv = healthyNode();
  inv.deviceNodes.clear();
  EXPECT_EQ(classifyGpuNode(inv, cudaTorch(), {}).verdict, GpuVerdict::kNotUsable);
}

TEST(GpuVerdict, HiddenByCudaVisibleDevices) {
  auto inv = healthyNode();
  inv.cudaVisibleDevices = "";
  const auto o = classifyGpuNode(inv, cudaTorch(), {goodComputation()});
  EXPECT_EQ(o.verdict, GpuVerdict::kNotUsable);
  EXPECT_NE(o.reason.find("CUDA_VISIBLE_DEVICES"), std::string::npos);
}

TEST(GpuVerdict, OldDriverForTheRuntime) {
  auto inv = healthyNode();
  inv.cudaDriverVersion = 11040;
  const auto o = classifyGpuNode(inv, cudaTorch(), {goodComputation()});
  EXPECT_EQ(o.verdict, GpuVerdict::kDriverTooOld);
  EXPECT_NE(o.reason.find("11.4"), std::string::npos) << o.reason;
  EXPECT_NE(o.reason.find("12.8"), std::string::npos) << o.reason;
  EXPECT_EQ(gpuCheckExitCode(o.verdict, false), 12);
}

TEST(GpuVerdict, CpuOnlyFrameworkWouldFallBackSilently) {
  const FrameworkGpuFacts cpuTorch{"libtorch", "1.13.1", false, 0, 0};
  const auto o = classifyGpuNode(healthyNode(), cpuTorch, {});
  EXPECT_EQ(o.verdict, GpuVerdict::kNotUsable);
  EXPECT_NE(o.reason.find("without CUDA"), std::string::npos) << o.reason;
}

TEST(GpuVerdict, WrongMatrixProduct) {
  auto bad = goodComputation();
  bad.maxRelativeError = 0.5;
  const auto o = classifyGpuNode(healthyNode(), cudaTorch(), {goodComputation(), bad});
  EXPECT_EQ(o.verdict, GpuVerdict::kWrongResult);
  EXPECT_EQ(gpuCheckExitCode(o.verdict, false), 13);
  bad.maxRelativeError = std::nan("");  // NaN must not pass as "small"
  EXPECT_EQ(classifyGpuNode(healthyNode(), cudaTorch(), {bad}).verdict, GpuVerdict::kWrongResult);
}

TEST(GpuVerdict, FailedComputationIsNotUsable) {
  GpuComputeResult failed{0, false, "CUDA error: out of memory", 0, 0, 0};
  EXPECT_EQ(classifyGpuNode(healthyNode(), cudaTorch(), {failed}).verdict, GpuVerdict::kNotUsable);
}

TEST(GpuInventory, CudaVersionsParseAndFormat) {
  EXPECT_EQ(parseCudaVersion("12.4"), 12040);
  EXPECT_EQ(parseCudaVersion("13000"), 13000);
  EXPECT_EQ(parseCudaVersion("banana"), 0);
  // Out of range is "not a version" too, never an exception (this ended gpu-check with
  // "internal error: stoi").
  EXPECT_EQ(parseCudaVersion("99999999999999999999.1"), 0);
  EXPECT_EQ(parseCudaVersion("12.99999999999"), 0);
  EXPECT_EQ(parseCudaVersion("99999.99"), 99999990);
  EXPECT_EQ(formatCudaVersion(12080), "12.8");
  EXPECT_EQ(formatCudaVersion(0), "unknown");
}
