#include "gpu/GpuInventory.hpp"

#include <dlfcn.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <regex>

#include "common/ParseNumber.hpp"

namespace bolo {

namespace fs = std::filesystem;

namespace {

constexpr unsigned kNvidiaDeviceMajor = 195;

// The few NVML entry points used, declared from NVML's stable C ABI (nvml.h is not packaged
// in Debian main); the library itself is only ever loaded at run time.
using NvmlReturn = int;
using NvmlDevice = void*;
struct NvmlMemory {
  unsigned long long total, free, used;
};

class NvmlLibrary {
 public:
  explicit NvmlLibrary(const std::string& path)
      : m_handle(::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL)) {
    if (!m_handle) m_error = fmt::format("cannot load {}: {}", path, ::dlerror());
  }
  ~NvmlLibrary() {
    if (m_handle) {
      if (m_initialised) call<NvmlReturn (*)()>("nvmlShutdown")();
      ::dlclose(m_handle);
    }
  }
  NvmlLibrary(const NvmlLibrary&) = delete;
  NvmlLibrary& operator=(const NvmlLibrary&) = delete;

  bool loaded() const { return m_handle != nullptr; }
  const std::string& error() const { return m_error; }

  template <typename Fn>
  Fn call(const char* name) {
    auto* symbol = ::dlsym(m_handle, name);
    if (!symbol) throw std::runtime_error(fmt::format("NVML has no {}", name));
    return reinterpret_cast<Fn>(symbol);
  }

  std::string describe(NvmlReturn code) {
    try {
      return call<const char* (*)(NvmlReturn)>("nvmlErrorString")(code);
    } catch (const std::exception&) {
      return fmt::format("NVML error {}", code);
    }
  }

  void markInitialised() { m_initialised = true; }

 private:
  void* m_handle;
  bool m_initialised = false;
  std::string m_error;
};

void probeNvml(const std::string& library, GpuInventory& inventory) {
  NvmlLibrary nvml(library);
  if (!nvml.loaded()) {
    inventory.nvmlError = nvml.error();
    return;
  }
  try {
    if (const auto rc = nvml.call<NvmlReturn (*)()>("nvmlInit_v2")(); rc != 0) {
      inventory.nvmlError = fmt::format("nvmlInit failed: {}", nvml.describe(rc));
      return;
    }
    nvml.markInitialised();
    inventory.nvmlLoaded = true;
    char text[96] = {};
    if (nvml.call<NvmlReturn (*)(char*, unsigned)>("nvmlSystemGetDriverVersion")(
            text, sizeof(text)) == 0) {
      inventory.nvmlDriverVersion = text;
    }
    int cuda = 0;
    if (nvml.call<NvmlReturn (*)(int*)>("nvmlSystemGetCudaDriverVersion_v2")(&cuda) == 0) {
      inventory.cudaDriverVersion = cuda;
    }
    unsigned count = 0;
    if (const auto rc = nvml.call<NvmlReturn (*)(unsigned*)>("nvmlDeviceGetCount_v2")(&count);
        rc != 0) {
      inventory.nvmlError = fmt::format("nvmlDeviceGetCount failed: {}", nvml.describe(rc));
      return;
    }
    for (unsigned i = 0; i < count; ++i) {
      NvmlDevice device = nullptr;
      if (nvml.call<NvmlReturn (*)(unsigned, NvmlDevice*)>("nvmlDeviceGetHandleByIndex_v2")(
              i, &device) != 0) {
        continue;
      }
      GpuDevice gpu;
      gpu.index = static_cast<int>(i);
      char name[96] = {};
      if (nvml.call<NvmlReturn (*)(NvmlDevice, char*, unsigned)>("nvmlDeviceGetName")(
              device, name, sizeof(name)) == 0) {
        gpu.model = name;
      }
      NvmlMemory memory{};
      if (nvml.call<NvmlReturn (*)(NvmlDevice, NvmlMemory*)>("nvmlDeviceGetMemoryInfo")(
              device, &memory) == 0) {
        gpu.memoryGiB = static_cast<double>(memory.total) / (1024.0 * 1024.0 * 1024.0);
      }
      int major = 0, minor = 0;
      if (nvml.call<NvmlReturn (*)(NvmlDevice, int*, int*)>("nvmlDeviceGetCudaComputeCapability")(
              device, &major, &minor) == 0) {
        gpu.computeCapability = fmt::format("{}.{}", major, minor);
      }
      inventory.gpus.push_back(gpu);
    }
  } catch (const std::exception& e) {
    inventory.nvmlError = e.what();
  }
}

}  // namespace

GpuProbeSettings GpuProbeSettings::fromEnvironment() {
  GpuProbeSettings s;
  if (const char* v = std::getenv("BOLO_GPU_DEV_ROOT"); v && *v) s.devRoot = v;
  if (const char* v = std::getenv("BOLO_GPU_PROC_VERSION"); v && *v) s.procDriverVersion = v;
  if (const char* v = std::getenv("BOLO_NVML_LIBRARY"); v && *v) s.nvmlLibrary = v;
  return s;
}

GpuInventory probeGpuInventory(const GpuProbeSettings& settings) {
  GpuInventory inventory;
  static const std::regex numbered("nvidia[0-9]+");
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(settings.devRoot, ec)) {
    const auto name = entry.path().filename().string();
    struct stat info {};
    if (::stat(entry.path().c_str(), &info) != 0 || !S_ISCHR(info.st_mode) ||
        major(info.st_rdev) != kNvidiaDeviceMajor) {
      continue;
    }
    if (std::regex_match(name, numbered)) inventory.deviceNodes.push_back(entry.path().string());
    if (name == "nvidiactl") inventory.controlNodePresent = true;
  }
  std::sort(inventory.deviceNodes.begin(), inventory.deviceNodes.end());

  std::ifstream version(settings.procDriverVersion);
  std::string line;
  static const std::regex kernelModule("Kernel Module\\s+([0-9][0-9.]*)");
  while (std::getline(version, line)) {
    std::smatch m;
    if (std::regex_search(line, m, kernelModule)) inventory.kernelDriverVersion = m[1];
  }
  const char* visible = std::getenv("CUDA_VISIBLE_DEVICES");
  inventory.cudaVisibleDevices = visible ? visible : "<unset>";
  probeNvml(settings.nvmlLibrary, inventory);
  return inventory;
}

std::string formatCudaVersion(int version) {
  if (version <= 0) return "unknown";
  return fmt::format("{}.{}", version / 1000, version % 1000 / 10);
}

int parseCudaVersion(const std::string& text) {
  static const std::regex dotted("([0-9]+)\\.([0-9]+)(\\.[0-9]+)?");
  static const std::regex plain("[0-9]{4,6}");
  std::smatch m;
  // Bounded so that major * 1000 + minor * 10 stays an int: 99999.99 is not a CUDA version.
  if (std::regex_match(text, m, dotted)) {
    const auto major = toInteger(m[1].str(), 0, 99999), minor = toInteger(m[2].str(), 0, 99);
    return major && minor ? static_cast<int>(*major * 1000 + *minor * 10) : 0;
  }
  if (std::regex_match(text, plain))
    return static_cast<int>(toInteger(text, 0, 999999).value_or(0));
  return 0;
}

nlohmann::json toJson(const GpuInventory& inv) {
  nlohmann::json gpus = nlohmann::json::array();
  for (const auto& g : inv.gpus) {
    gpus.push_back({{"index", g.index},
                    {"vendor", g.vendor},
                    {"model", g.model},
                    {"memory_gib", g.memoryGiB},
                    {"compute_capability", g.computeCapability}});
  }
  return {{"device_nodes", inv.deviceNodes},
          {"control_node", inv.controlNodePresent},
          {"kernel_driver_version", inv.kernelDriverVersion},
          {"nvml_loaded", inv.nvmlLoaded},
          {"nvml_error", inv.nvmlError},
          {"nvml_driver_version", inv.nvmlDriverVersion},
          {"cuda_driver_version", formatCudaVersion(inv.cudaDriverVersion)},
          {"cuda_visible_devices", inv.cudaVisibleDevices},
          {"gpus", gpus}};
}

}  // namespace bolo
