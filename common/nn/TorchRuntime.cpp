#include "common/nn/TorchRuntime.hpp"

#include <dlfcn.h>
#include <fmt/format.h>
#include <torch/torch.h>
#include <torch/version.h>

#include <limits>
#include <regex>
#include <thread>

#include "common/Error.hpp"
#include "common/ParseNumber.hpp"

namespace bolo::nn {

bool torchHasCuda() {
  return torch::cuda::is_available() || at::hasCUDA();
}

int cudaDeviceCount() {
  return at::hasCUDA() ? static_cast<int>(torch::cuda::device_count()) : 0;
}

DeviceChoice resolveDevice(const std::string& request) {
  static const std::regex cudaIndex("cuda:([0-9]+)");
  std::smatch match;
  const bool wantsCuda = request == "cuda" || std::regex_match(request, match, cudaIndex);
  if (request == "cpu") return {"cpu", "requested"};
  if (request != "auto" && !wantsCuda) {
    throw InputError(
        fmt::format("unknown device '{}': valid devices are auto, cpu, cuda, cuda:N", request));
  }
  if (!at::hasCUDA()) {
    if (wantsCuda) {
      throw EnvironmentError(fmt::format(
          "device '{}' requested but this bolo was built with a LibTorch without CUDA "
          "(build the CUDA variant, see docs/gpu.md); refusing to run on the CPU instead",
          request));
    }
    return {"cpu", "auto: this LibTorch was built without CUDA"};
  }
  const int count = static_cast<int>(torch::cuda::device_count());
  if (count == 0) {
    if (wantsCuda) {
      throw EnvironmentError(fmt::format(
          "device '{}' requested but no CUDA device is usable (no GPU, driver not loaded, or "
          "CUDA_VISIBLE_DEVICES hides them; run 'bolo gpu-check')",
          request));
    }
    return {"cpu", "auto: LibTorch has CUDA but sees no usable GPU"};
  }
  if (request == "auto") return {"cuda:0", fmt::format("auto: {} CUDA device(s) visible", count)};
  // The regex admits any digits; beyond int they name no device either.
  const int index =
      request == "cuda"
          ? 0
          : static_cast<int>(toInteger(match[1].str(), 0, std::numeric_limits<int>::max())
                                 .value_or(std::numeric_limits<int>::max()));
  if (index >= count) {
    throw EnvironmentError(fmt::format(
        "device '{}' requested but only {} CUDA device(s) are visible", request, count));
  }
  return {fmt::format("cuda:{}", index), "requested"};
}

namespace {

/// OpenBLAS's threading model as openblas_get_parallel() reports it: 0 sequential,
/// 1 pthreads, 2 OpenMP; -1 when libblas is not OpenBLAS.
int openblasParallelism() {
  using GetParallel = int (*)();
  auto* get = reinterpret_cast<GetParallel>(::dlsym(RTLD_DEFAULT, "openblas_get_parallel"));
  return get ? get() : -1;
}

}  // namespace

CpuThreads configureCpuThreads(int threads) {
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  CpuThreads result{threads, threads};
  // Debian's LibTorch calls whatever libblas.so.3 provides; OpenBLAS keeps its own thread
  // pool (all cores by default) that torch::set_num_threads does not reach.
  using SetThreads = void (*)(int);
  if (auto* openblas =
          reinterpret_cast<SetThreads>(::dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) {
    openblas(threads);
  }
  // With the pthreads OpenBLAS two pools share the cores: LibTorch's OpenMP workers
  // busy-wait (libgomp's default active wait) right after each element-wise operation, on
  // the cores OpenBLAS's workers need for the next matrix product. On 2 cores that cost
  // GAN training and generation a factor 2.5-3 (docs/benchmarks.md). The matrix products
  // dominate every network here, so the element-wise work runs on the calling thread.
  if (openblasParallelism() == 1) result.elementwise = 1;
  torch::set_num_threads(result.elementwise);
  return result;
}

std::string torchVersion() {
  return TORCH_VERSION;
}

std::map<std::string, std::string> torchLibraryVersions() {
  std::map<std::string, std::string> out{{"libtorch", torchVersion()}};
  out["libtorch_cuda"] = at::hasCUDA() ? "yes" : "no";
  return out;
}

}  // namespace bolo::nn
