#pragma once
// Facts about the machine a benchmark ran on, recorded in every benchmark's JSON, and the
// thread count CPU work uses.

#include <nlohmann/json.hpp>
#include <string>

namespace bolo {

struct MachineInfo {
  std::string host;
  std::string cpuModel;
  int logicalCores = 0;
  double memoryGiB = 0;
  std::string blas;  ///< the library libblas.so.3 resolves to (matters for Debian's LibTorch)
  std::string os;
};

MachineInfo describeMachine();
nlohmann::json toJson(const MachineInfo& info);

/// Threads for CPU work: `option` if positive, else all cores.
int resolveThreads(int option);

}  // namespace bolo
