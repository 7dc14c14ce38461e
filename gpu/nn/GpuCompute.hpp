#pragma once
// The framework side of `bolo gpu-check`: what LibTorch can do with CUDA, and a real
// computation on each GPU checked against the CPU. Header free of torch.

#include "gpu/GpuVerdict.hpp"

namespace bolo::nn {

/// LibTorch's CUDA facts. BOLO_CUDA_RUNTIME_VERSION ("12.4") overrides the runtime version
/// (set by container images that ship their own runtime).
FrameworkGpuFacts frameworkGpuFacts();

/// Multiply random matrices on GPU `device` and on the CPU and compare; time an fp32
/// matrix product (TF32 off) and a device-to-device copy. Never throws: failures go into
/// the result.
GpuComputeResult runGpuComputation(int device);

}  // namespace bolo::nn
