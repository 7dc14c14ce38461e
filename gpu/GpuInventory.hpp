#pragma once
// What a node offers in GPUs, found without any GPU framework: device nodes, the kernel
// driver, NVML and the CUDA driver library loaded at run time (they are bound into a
// container only when the site does it right, e.g. `apptainer --nv`), and the environment.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace bolo {

struct GpuDevice {
  int index = 0;
  std::string vendor = "NVIDIA";
  std::string model;
  double memoryGiB = 0;
  std::string computeCapability;  ///< e.g. "9.0"
};

struct GpuInventory {
  std::vector<std::string> deviceNodes;  ///< /dev/nvidia0 ... (character devices, major 195)
  bool controlNodePresent = false;       ///< /dev/nvidiactl
  std::string kernelDriverVersion;       ///< from /proc/driver/nvidia/version; empty if no module
  bool nvmlLoaded = false;
  std::string nvmlError;  ///< why NVML could not be used
  std::string nvmlDriverVersion;
  int cudaDriverVersion = 0;       ///< highest CUDA the driver supports, e.g. 13000
  std::string cudaVisibleDevices;  ///< as set in the environment ("<unset>" if absent)
  std::vector<GpuDevice> gpus;     ///< from NVML
};

/// Where to look; tests point these at fake device trees and a fake NVML library.
struct GpuProbeSettings {
  std::filesystem::path devRoot = "/dev";
  std::filesystem::path procDriverVersion = "/proc/driver/nvidia/version";
  std::string nvmlLibrary = "libnvidia-ml.so.1";

  /// Defaults, overridden by BOLO_GPU_DEV_ROOT, BOLO_GPU_PROC_VERSION, BOLO_NVML_LIBRARY.
  static GpuProbeSettings fromEnvironment();
};

GpuInventory probeGpuInventory(const GpuProbeSettings& settings);

/// "13.0" for 13000.
std::string formatCudaVersion(int version);
/// Parse "12.4" or "12040" into 12040; 0 if not a version.
int parseCudaVersion(const std::string& text);

nlohmann::json toJson(const GpuInventory& inventory);

}  // namespace bolo
