#include "common/MachineInfo.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "common/Manifest.hpp"

namespace bolo {

namespace {

std::string firstMatch(const std::string& file, const std::string& key) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) == 0) {
      const auto colon = line.find_first_of(":=");
      if (colon == std::string::npos) continue;
      auto value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(" \t\""));
      while (!value.empty() && (value.back() == '"' || value.back() == ' ')) value.pop_back();
      return value;
    }
  }
  return "unknown";
}

}  // namespace

MachineInfo describeMachine() {
  MachineInfo info;
  info.host = hostName();
  info.cpuModel = firstMatch("/proc/cpuinfo", "model name");
  info.logicalCores = static_cast<int>(std::thread::hardware_concurrency());
  const long pages = ::sysconf(_SC_PHYS_PAGES), pageSize = ::sysconf(_SC_PAGESIZE);
  info.memoryGiB =
      static_cast<double>(pages) * static_cast<double>(pageSize) / (1024.0 * 1024 * 1024);
  std::error_code ec;
  const auto blas = std::filesystem::canonical("/usr/lib/x86_64-linux-gnu/libblas.so.3", ec);
  info.blas = ec ? "unknown" : blas.string();
  info.os = firstMatch("/etc/os-release", "PRETTY_NAME");
  return info;
}

nlohmann::json toJson(const MachineInfo& info) {
  return {{"host", info.host},
          {"cpu", info.cpuModel},
          {"logical_cores", info.logicalCores},
          {"memory_gib", info.memoryGiB},
          {"blas", info.blas},
          {"os", info.os}};
}

int resolveThreads(int option) {
  if (option > 0) return option;
  const unsigned n = std::thread::hardware_concurrency();
  return n ? static_cast<int>(n) : 1;
}

}  // namespace bolo
