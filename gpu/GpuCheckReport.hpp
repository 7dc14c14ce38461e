#pragma once
// The report of `bolo gpu-check` (its JSON, written with --out and printed with --json) and
// how a verdict ends the command: an exit code per verdict (README), with one line saying
// what was found and what to fix. Pure apart from logging; no torch.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "gpu/GpuInventory.hpp"
#include "gpu/GpuVerdict.hpp"

namespace bolo {

struct GpuCheckResult {
  GpuCheckOutcome outcome;
  nlohmann::json report;
  int exitCode = 0;  ///< gpuCheckExitCode(verdict, requireGpu)
  std::string line;  ///< "gpu-check <verdict>: <reason>; fix: <fix>"

  /// Log the line (a warning for no GPU), or throw an Error with the exit code when it is
  /// not 0.
  void conclude() const;
};

/// Build the report and the result of a check.
GpuCheckResult gpuCheckResult(const std::string& site, bool requireGpu,
                              const GpuInventory& inventory, const FrameworkGpuFacts& framework,
                              const std::vector<GpuComputeResult>& computations,
                              const GpuCheckOutcome& outcome);

}  // namespace bolo
