#include "gpu/nn/GpuCompute.hpp"

#include <fmt/format.h>
#include <torch/torch.h>

#include <chrono>
#include <cstdlib>

#include "common/Error.hpp"
#include "common/nn/TorchRuntime.hpp"

#ifdef BOLO_CUDA
#include <cuda_runtime_api.h>
#endif

namespace bolo::nn {

FrameworkGpuFacts frameworkGpuFacts() {
  FrameworkGpuFacts facts;
  facts.version = torchVersion();
  facts.builtWithCuda = at::hasCUDA();
  facts.visibleDevices = cudaDeviceCount();
#ifdef BOLO_CUDA
  int runtime = 0;
  if (cudaRuntimeGetVersion(&runtime) == cudaSuccess) facts.cudaRuntimeVersion = runtime;
#endif
  if (const char* v = std::getenv("BOLO_CUDA_RUNTIME_VERSION"); v && *v) {
    facts.cudaRuntimeVersion = parseCudaVersion(v);
    // An override that says nothing would silently test against "unknown": name it instead.
    if (facts.cudaRuntimeVersion == 0) {
      throw InputError(fmt::format(
          "BOLO_CUDA_RUNTIME_VERSION: '{}' is not a CUDA version (expected e.g. 12.4 or 12040)",
          std::string(v).substr(0, 40)));
    }
  }
  return facts;
}

namespace {

double secondsOf(const std::function<void()>& work, const torch::Device& device, int repeats) {
  work();  // warm-up (kernel selection, allocation)
  torch::cuda::synchronize(device.index());
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < repeats; ++i) work();
  torch::cuda::synchronize(device.index());
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / repeats;
}

}  // namespace

GpuComputeResult runGpuComputation(int deviceIndex) {
  GpuComputeResult result;
  result.device = deviceIndex;
  try {
    const torch::Device device(torch::kCUDA, static_cast<c10::DeviceIndex>(deviceIndex));
    // Exact fp32 so that the comparison with the CPU measures faults, not TF32 rounding.
    at::globalContext().setAllowTF32CuBLAS(false);
    torch::manual_seed(7);
    const auto a = torch::randn({2048, 2048});
    const auto b = torch::randn({2048, 2048});
    const auto cpu = torch::matmul(a, b);
    const auto gpu = torch::matmul(a.to(device), b.to(device)).to(torch::kCPU);
    result.maxRelativeError =
        ((gpu - cpu).abs().max() / cpu.abs().max().clamp_min(1e-30)).item<double>();

    const int n = 8192;
    const auto x = torch::randn({n, n}, torch::TensorOptions().device(device));
    const auto y = torch::randn({n, n}, torch::TensorOptions().device(device));
    const double matmulSeconds = secondsOf([&] { (void)torch::matmul(x, y); }, device, 5);
    result.tflops = 2.0 * n * static_cast<double>(n) * n / matmulSeconds / 1e12;

    const auto source = torch::empty({256 * 1024 * 1024}, torch::TensorOptions().device(device));
    auto target = torch::empty_like(source);
    const double copySeconds = secondsOf([&] { target.copy_(source); }, device, 10);
    const double bytes = static_cast<double>(source.numel()) * 4.0;
    result.bandwidthGBs = 2.0 * bytes / copySeconds / 1e9;  // read + write
    result.ran = true;
  } catch (const std::exception& e) {
    result.ran = false;
    result.error = e.what();
    const auto newline = result.error.find('\n');
    if (newline != std::string::npos) result.error.resize(newline);
  }
  return result;
}

}  // namespace bolo::nn
