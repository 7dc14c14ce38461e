// bolo gpu-check: is this node (or container) fit for GPU work? Inventory, a real
// computation per GPU, a verdict with what to fix, a JSON report, and an exit code per
// verdict (README) so a batch system or a site test can act on it.

#include <fmt/format.h>

#include <cstdlib>

#include "apps/bolo/SharedOptions.hpp"
#include "apps/bolo/Verbs.hpp"
#include "common/AtomicFile.hpp"
#include "common/Error.hpp"
#include "common/Log.hpp"
#include "common/Manifest.hpp"
#include "common/Version.hpp"
#include "gpu/GpuVerdict.hpp"
#include "gpu/nn/GpuCompute.hpp"

namespace bolo::app {

namespace {

struct GpuCheckOptions {
  std::string site;
  std::string out;
  bool requireGpu = false;
  bool noCompute = false;
  bool json = false;
};

nlohmann::json makeReport(const GpuCheckOptions& options, const GpuInventory& inventory,
                          const FrameworkGpuFacts& framework,
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
  return {{"site", options.site},
          {"host", hostName()},
          {"time", utcNow()},
          {"bolo_version", version()},
          {"commit", gitCommit()},
          {"verdict", verdictName(outcome.verdict)},
          {"reason", outcome.reason},
          {"fix", outcome.fix},
          {"exit_code", gpuCheckExitCode(outcome.verdict, options.requireGpu)},
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
}

void runGpuCheck(const GpuCheckOptions& options) {
  const auto inventory = probeGpuInventory(GpuProbeSettings::fromEnvironment());
  const auto framework = nn::frameworkGpuFacts();
  std::vector<GpuComputeResult> computations;
  if (!options.noCompute && framework.builtWithCuda) {
    for (int d = 0; d < framework.visibleDevices; ++d) {
      log::info("gpu-check: computing on GPU {}", d);
      computations.push_back(nn::runGpuComputation(d));
    }
  }
  const auto outcome = classifyGpuNode(inventory, framework, computations);
  const auto report = makeReport(options, inventory, framework, computations, outcome);
  if (!options.out.empty()) writeFileAtomically(options.out, report.dump(2) + "\n");
  if (options.json) printJson(report);

  const int code = gpuCheckExitCode(outcome.verdict, options.requireGpu);
  const std::string line = fmt::format("gpu-check {}: {}; fix: {}", verdictName(outcome.verdict),
                                       outcome.reason, outcome.fix);
  if (code != 0) throw Error(static_cast<ExitCode>(code), line);
  if (outcome.verdict == GpuVerdict::kNoGpu)
    log::warn("{}", line);
  else
    log::info("{}", line);
}

}  // namespace

void setupGpuCheck(CLI::App& app) {
  auto options = std::make_shared<GpuCheckOptions>();
  auto* verb = app.add_subcommand("gpu-check",
                                  "Check that this node's GPUs are present, usable and correct");
  const char* site = std::getenv("BOLO_SITE");
  options->site = site && *site ? site : "unknown";
  verb->add_option("--site", options->site,
                   "Site name recorded in the report (default: $BOLO_SITE)");
  verb->add_option("--out", options->out, "Write the JSON report to this file");
  verb->add_flag("--require-gpu", options->requireGpu, "Fail (exit 10) when no GPU is present");
  verb->add_flag("--no-compute", options->noCompute,
                 "Inventory only: skip the computation on the GPUs");
  verb->add_flag("--json", options->json, "Print the report as JSON on stdout");
  verb->footer(
      "Exit codes: 0 ok (or no GPU without --require-gpu), 10 no GPU, 11 GPU present but not "
      "usable "
      "from here, 12 driver too old for the CUDA runtime, 13 wrong result.\n"
      "Inputs for tests and site probes: BOLO_GPU_DEV_ROOT, BOLO_GPU_PROC_VERSION, "
      "BOLO_NVML_LIBRARY, "
      "BOLO_CUDA_RUNTIME_VERSION.");
  verb->callback([options] { runGpuCheck(*options); });
}

}  // namespace bolo::app
