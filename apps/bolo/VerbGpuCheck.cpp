// bolo gpu-check: is this node (or container) fit for GPU work? Inventory, a real
// computation per GPU, a verdict with what to fix, a JSON report, and an exit code per
// verdict (README) so a batch system or a site test can act on it.
// Library entry point: nn::checkGpuNode (gpu/nn/GpuCheck.hpp).

#include <cstdlib>

#include "apps/bolo/SharedOptions.hpp"
#include "apps/bolo/Verbs.hpp"
#include "gpu/nn/GpuCheck.hpp"

namespace bolo::app {

void setupGpuCheck(CLI::App& app) {
  auto o = std::make_shared<VerbOptions<nn::GpuCheckRequest>>();
  auto& r = o->request;
  auto* verb = app.add_subcommand("gpu-check",
                                  "Check that this node's GPUs are present, usable and correct");
  const char* site = std::getenv("BOLO_SITE");
  r.site = site && *site ? site : "unknown";
  verb->add_option("--site", r.site, "Site name recorded in the report (default: $BOLO_SITE)");
  verb->add_option("--out", r.out, "Write the JSON report to this file");
  verb->add_flag("--require-gpu", r.requireGpu, "Fail (exit 10) when no GPU is present");
  verb->add_flag("--no-compute", r.noCompute, "Inventory only: skip the computation on the GPUs");
  addJsonFlag(verb, o->json, "Print the report as JSON on stdout");
  verb->footer(
      "Exit codes: 0 ok (or no GPU without --require-gpu), 10 no GPU, 11 GPU present but not "
      "usable "
      "from here, 12 driver too old for the CUDA runtime, 13 wrong result.\n"
      "Inputs for tests and site probes: BOLO_GPU_DEV_ROOT, BOLO_GPU_PROC_VERSION, "
      "BOLO_NVML_LIBRARY, "
      "BOLO_CUDA_RUNTIME_VERSION.");
  verb->callback([o] {
    const auto check = nn::checkGpuNode(o->request);
    if (o->json) printJson(check.report);
    check.conclude();
  });
}

}  // namespace bolo::app
