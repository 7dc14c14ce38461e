#include "gpu/GpuCheckReport.hpp"

#include <fmt/format.h>

#include "common/Error.hpp"
#include "common/Log.hpp"
#include "common/Manifest.hpp"
#include "common/Version.hpp"

namespace bolo {

void GpuCheckResult::conclude() const {
  if (exitCode != 0) throw Error(static_cast<ExitCode>(exitCode), line);
  if (outcome.verdict == GpuVerdict::kNoGpu)
    log::warn("{}", line);
  else
    log::info("{}", line);
}

GpuCheckResult gpuCheckResult(const std::string& site, bool requireGpu,
                              const GpuInventory& inventory, const FrameworkGpuFacts& framework,
                              const std::vector<GpuComputeResult>& computations,
                              const GpuCheckOutcome& outcome) {
  nlohmann::json measurements = nlohmann::json::array();
  for (const auto& c : computations) {
    measurements.push_back({{"device", c.device},
                            {"ran", c.ran},
                            {"error", c.error},
                            {"max_relative_error", c.maxRelativeError},
                            {"matmul_fp32_tflops", c.tflops},
                            {"copy_bandwidth_gb_s", c.bandwidthGBs}});
  }
  const auto* first = inventory.gpus.empty() ? nullptr : &inventory.gpus.front();
  GpuCheckResult result;
  result.outcome = outcome;
  result.exitCode = gpuCheckExitCode(outcome.verdict, requireGpu);
  result.report = {{"site", site},
                   {"host", hostName()},
                   {"time", utcNow()},
                   {"bolo_version", version()},
                   {"commit", gitCommit()},
                   {"verdict", verdictName(outcome.verdict)},
                   {"reason", outcome.reason},
                   {"fix", outcome.fix},
                   {"exit_code", result.exitCode},
                   {"vendor", first ? first->vendor : ""},
                   {"model", first ? first->model : ""},
                   {"memory_gib", first ? first->memoryGiB : 0.0},
                   {"count", inventory.gpus.size()},
                   {"driver", inventory.nvmlDriverVersion.empty() ? inventory.kernelDriverVersion
                                                                  : inventory.nvmlDriverVersion},
                   {"cuda_driver", formatCudaVersion(inventory.cudaDriverVersion)},
                   {"cuda_runtime", formatCudaVersion(framework.cudaRuntimeVersion)},
                   {"framework",
                    {{"name", framework.name},
                     {"version", framework.version},
                     {"cuda", framework.builtWithCuda},
                     {"visible_devices", framework.visibleDevices}}},
                   {"inventory", toJson(inventory)},
                   {"measurements", measurements}};
  result.line = fmt::format("gpu-check {}: {}; fix: {}", verdictName(outcome.verdict),
                            outcome.reason, outcome.fix);
  return result;
}

}  // namespace bolo
