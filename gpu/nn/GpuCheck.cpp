#include "gpu/nn/GpuCheck.hpp"

#include "common/AtomicFile.hpp"
#include "common/Log.hpp"
#include "gpu/GpuInventory.hpp"
#include "gpu/nn/GpuCompute.hpp"

namespace bolo::nn {

GpuCheckResult checkGpuNode(const GpuCheckRequest& request) {
  const auto inventory = probeGpuInventory(GpuProbeSettings::fromEnvironment());
  const auto framework = frameworkGpuFacts();
  std::vector<GpuComputeResult> computations;
  if (!request.noCompute && framework.builtWithCuda) {
    for (int d = 0; d < framework.visibleDevices; ++d) {
      log::info("gpu-check: computing on GPU {}", d);
      computations.push_back(runGpuComputation(d));
    }
  }
  const auto outcome = classifyGpuNode(inventory, framework, computations);
  auto result =
      gpuCheckResult(request.site, request.requireGpu, inventory, framework, computations, outcome);
  if (!request.out.empty()) writeFileAtomically(request.out, result.report.dump(2) + "\n");
  return result;
}

}  // namespace bolo::nn
