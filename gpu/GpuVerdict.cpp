#include "gpu/GpuVerdict.hpp"

#include <fmt/format.h>

namespace bolo {

namespace {

bool visibleDevicesHidesAll(const std::string& value) {
  // An empty list, -1 or NoDevFiles (HTCondor) means the job was given no GPU.
  return value.empty() || value == "-1" || value == "NoDevFiles";
}

}  // namespace

GpuCheckOutcome classifyGpuNode(const GpuInventory& inv, const FrameworkGpuFacts& fw,
                                const std::vector<GpuComputeResult>& computations) {
  const bool nodesPresent = !inv.deviceNodes.empty();
  const bool driverPresent = !inv.kernelDriverVersion.empty();
  const bool nvmlSeesGpus = inv.nvmlLoaded && !inv.gpus.empty();

  if (!nodesPresent && !driverPresent && !nvmlSeesGpus) {
    return {GpuVerdict::kNoGpu,
            "no NVIDIA device nodes, kernel driver or NVML devices on this node",
            "run GPU work on a GPU queue; CPU work may run here"};
  }
  if (!inv.nvmlLoaded) {
    return {GpuVerdict::kNotUsable,
            fmt::format("GPU present ({} device node(s){}) but the driver libraries are not usable "
                        "from here: {}",
                        inv.deviceNodes.size(),
                        driverPresent ? ", kernel driver " + inv.kernelDriverVersion : "",
                        inv.nvmlError.empty() ? "NVML not loaded" : inv.nvmlError),
            "bind the host driver libraries into the container (apptainer --nv, docker --gpus all "
            "with the NVIDIA container toolkit) or install the driver user-space libraries"};
  }
  if (!nodesPresent && nvmlSeesGpus) {
    return {GpuVerdict::kNotUsable, "NVML reports GPUs but no /dev/nvidiaN device node is visible",
            "bind /dev/nvidia* into the container (apptainer --nv does this)"};
  }
  if (inv.cudaVisibleDevices != "<unset>" && visibleDevicesHidesAll(inv.cudaVisibleDevices)) {
    return {GpuVerdict::kNotUsable,
            fmt::format("CUDA_VISIBLE_DEVICES='{}' hides every GPU", inv.cudaVisibleDevices),
            "request a GPU from the batch system (e.g. --gres=gpu:1, request_gpus = 1)"};
  }
  if (fw.cudaRuntimeVersion > 0 && inv.cudaDriverVersion > 0 &&
      inv.cudaDriverVersion < fw.cudaRuntimeVersion) {
    return {GpuVerdict::kDriverTooOld,
            fmt::format("driver {} supports CUDA up to {}, but {} needs the CUDA {} runtime",
                        inv.nvmlDriverVersion, formatCudaVersion(inv.cudaDriverVersion), fw.name,
                        formatCudaVersion(fw.cudaRuntimeVersion)),
            "update the NVIDIA driver, or use an image built for an older CUDA"};
  }
  if (!fw.builtWithCuda) {
    return {GpuVerdict::kNotUsable,
            fmt::format("GPU present but this bolo links {} {} without CUDA: work would silently "
                        "run on the CPU",
                        fw.name, fw.version),
            "use the CUDA build or image of bolo (docs/gpu.md, containers/)"};
  }
  if (fw.visibleDevices == 0) {
    return {GpuVerdict::kNotUsable,
            fmt::format("{} has CUDA but sees no device (CUDA_VISIBLE_DEVICES='{}')", fw.name,
                        inv.cudaVisibleDevices),
            "check the driver installation and the GPU the batch system assigned"};
  }
  for (const auto& c : computations) {
    if (!c.ran) {
      return {GpuVerdict::kNotUsable,
              fmt::format("computation on GPU {} failed: {}", c.device, c.error),
              "check the GPU's health (nvidia-smi -q) and driver logs"};
    }
    if (!(c.maxRelativeError <= kMaxMatmulRelativeError)) {
      return {GpuVerdict::kWrongResult,
              fmt::format("GPU {} matrix product differs from the CPU by {:.3g} (relative)",
                          c.device, c.maxRelativeError),
              "take the node out of production and report the GPU to the site (ECC errors?)"};
    }
  }
  if (computations.empty()) {
    return {GpuVerdict::kNotUsable, "no computation could be run on the GPUs",
            "run bolo gpu-check without --no-compute to test the GPUs"};
  }
  return {GpuVerdict::kOk,
          fmt::format("{} GPU(s) usable; computations agree with the CPU", computations.size()),
          "nothing to fix"};
}

std::string verdictName(GpuVerdict verdict) {
  switch (verdict) {
    case GpuVerdict::kOk:
      return "ok";
    case GpuVerdict::kNoGpu:
      return "no-gpu";
    case GpuVerdict::kNotUsable:
      return "not-usable";
    case GpuVerdict::kDriverTooOld:
      return "driver-too-old";
    case GpuVerdict::kWrongResult:
      return "wrong-result";
  }
  return "unknown";
}

int gpuCheckExitCode(GpuVerdict verdict, bool requireGpu) {
  switch (verdict) {
    case GpuVerdict::kOk:
      return 0;
    case GpuVerdict::kNoGpu:
      return requireGpu ? 10 : 0;
    case GpuVerdict::kNotUsable:
      return 11;
    case GpuVerdict::kDriverTooOld:
      return 12;
    case GpuVerdict::kWrongResult:
      return 13;
  }
  return 1;
}

}  // namespace bolo
