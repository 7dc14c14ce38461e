#pragma once
// `bolo gpu-check`: is this node (or container) fit for GPU work? Inventory, a real
// computation per GPU, a verdict with what to fix and a JSON report (gpu/GpuCheckReport.hpp).

#include <string>

#include "gpu/GpuCheckReport.hpp"

namespace bolo::nn {

struct GpuCheckRequest {
  std::string site;  ///< recorded in the report
  std::string out;   ///< non-empty: also write the report to this file
  bool requireGpu = false;
  bool noCompute = false;  ///< inventory only
};

/// Probe, compute, judge; writes the report to `out`. The caller prints it and then calls
/// result.conclude().
GpuCheckResult checkGpuNode(const GpuCheckRequest& request);

}  // namespace bolo::nn
