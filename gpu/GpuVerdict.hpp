#pragma once
// The verdict of `bolo gpu-check`: from the inventory, what the ML framework can do, and the
// result of a real computation, decide whether this node's GPUs can be trusted — and say what
// to fix. Pure: every verdict is testable without a GPU.

#include <string>
#include <vector>

#include "gpu/GpuInventory.hpp"

namespace bolo {

/// What the linked ML framework (LibTorch) reports.
struct FrameworkGpuFacts {
  std::string name = "libtorch";
  std::string version;
  bool builtWithCuda = false;
  int cudaRuntimeVersion = 0;  ///< CUDA runtime the framework needs, e.g. 12080; 0 if none
  int visibleDevices = 0;      ///< devices the framework can use
};

/// One real computation on one GPU.
struct GpuComputeResult {
  int device = 0;
  bool ran = false;
  std::string error;            ///< why it could not run
  double maxRelativeError = 0;  ///< GPU matmul vs CPU reference
  double tflops = 0;            ///< fp32 matmul throughput
  double bandwidthGBs = 0;      ///< device-to-device copy bandwidth
};

enum class GpuVerdict { kOk, kNoGpu, kNotUsable, kDriverTooOld, kWrongResult };

struct GpuCheckOutcome {
  GpuVerdict verdict = GpuVerdict::kNoGpu;
  std::string reason;  ///< what was found
  std::string fix;     ///< what to do about it
};

/// Relative error above which a GPU matmul counts as wrong (fp32 with TF32 off over K=2048
/// accumulates ~1e-5 relative error; 1e-3 leaves margin while catching real faults).
inline constexpr double kMaxMatmulRelativeError = 1e-3;

GpuCheckOutcome classifyGpuNode(const GpuInventory& inventory, const FrameworkGpuFacts& framework,
                                const std::vector<GpuComputeResult>& computations);

/// "ok", "no-gpu", "not-usable", "driver-too-old", "wrong-result".
std::string verdictName(GpuVerdict verdict);
/// Exit code of `bolo gpu-check` (README table): 0 ok; 10 no GPU (0 unless --require-gpu);
/// 11 not usable; 12 driver too old; 13 wrong result.
int gpuCheckExitCode(GpuVerdict verdict, bool requireGpu);

}  // namespace bolo
