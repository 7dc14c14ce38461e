#pragma once
// Device selection and LibTorch runtime settings. The header stays free of torch so that
// apps/ and batch/ can include it; the device is passed around as its string name.

#include <map>
#include <string>

namespace bolo::nn {

/// The outcome of `--device auto|cpu|cuda|cuda:N`.
struct DeviceChoice {
  std::string device;  ///< "cpu" or "cuda:N"
  std::string reason;  ///< why this device (printed loudly for `auto`)
};

/// Resolve a device request. `cuda`/`cuda:N` that cannot be used throws EnvironmentError
/// (exit 3) with the reason: LibTorch built without CUDA, no device, index out of range.
/// `auto` picks cuda:0 when usable, else the CPU, and says why. Anything else is an
/// InputError listing the valid forms.
DeviceChoice resolveDevice(const std::string& request);

/// True if this LibTorch was built with CUDA support.
bool torchHasCuda();
/// Number of CUDA devices LibTorch can see (0 without CUDA).
int cudaDeviceCount();

/// The CPU threads a run uses: for matrix products (OpenBLAS) and for LibTorch's own
/// element-wise operations.
struct CpuThreads {
  int matrix;
  int elementwise;
};

/// Give `threads` (<= 0: all cores) to the matrix products and set LibTorch's intra-op
/// thread count: 1 when libblas is the pthreads OpenBLAS (its pool and LibTorch's would
/// fight over the cores), else `threads`.
CpuThreads configureCpuThreads(int threads);

/// "1.13.1" etc.
std::string torchVersion();
/// Library versions for run manifests (torch, plus CUDA/cuDNN where present).
std::map<std::string, std::string> torchLibraryVersions();

}  // namespace bolo::nn
