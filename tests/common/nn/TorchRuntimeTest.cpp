// CPU thread set-up: the matrix products get the requested threads, LibTorch's own pool
// stays out of their way when OpenBLAS (pthreads) runs them.

#include <dlfcn.h>
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <thread>

#include "common/nn/TorchRuntime.hpp"

namespace bolo::nn {
namespace {

using IntGetter = int (*)();

IntGetter openblasFunction(const char* name) {
  return reinterpret_cast<IntGetter>(::dlsym(RTLD_DEFAULT, name));
}

TEST(TorchRuntime, OpenBlasGetsTheThreadsAndTorchStepsAside) {
  const auto parallel = openblasFunction("openblas_get_parallel");
  const auto threadsOf = openblasFunction("openblas_get_num_threads");
  if (parallel == nullptr || threadsOf == nullptr || parallel() != 1) {
    GTEST_SKIP() << "libblas is not the pthreads OpenBLAS that scripts/install-deps.sh installs";
  }
  const CpuThreads set = configureCpuThreads(3);
  EXPECT_EQ(set.matrix, 3);
  EXPECT_EQ(threadsOf(), 3);
  EXPECT_EQ(set.elementwise, 1);
  EXPECT_EQ(torch::get_num_threads(), 1);
}

TEST(TorchRuntime, ZeroThreadsMeansAllCores) {
  const CpuThreads set = configureCpuThreads(0);
  EXPECT_EQ(set.matrix, static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
  EXPECT_GE(set.elementwise, 1);
  EXPECT_EQ(torch::get_num_threads(), set.elementwise);
}

}  // namespace
}  // namespace bolo::nn
