#include "common/Manifest.hpp"

#include <H5public.h>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spdlog/version.h>
#include <unistd.h>

#include <chrono>
#include <pugixml.hpp>

#include "common/AtomicFile.hpp"
#include "common/Version.hpp"

namespace bolo {

std::string utcNow() {
  const auto now = std::chrono::system_clock::now();
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}Z", std::chrono::floor<std::chrono::seconds>(now));
}

std::string hostName() {
  char buffer[256] = {};
  if (::gethostname(buffer, sizeof(buffer) - 1) != 0) return "unknown";
  return buffer;
}

std::map<std::string, std::string> coreLibraryVersions() {
  return {
      {"hdf5", fmt::format("{}.{}.{}", H5_VERS_MAJOR, H5_VERS_MINOR, H5_VERS_RELEASE)},
      {"fmt",
       fmt::format("{}.{}.{}", FMT_VERSION / 10000, FMT_VERSION / 100 % 100, FMT_VERSION % 100)},
      {"spdlog", fmt::format("{}.{}.{}", SPDLOG_VER_MAJOR, SPDLOG_VER_MINOR, SPDLOG_VER_PATCH)},
      {"nlohmann_json", fmt::format("{}.{}.{}", NLOHMANN_JSON_VERSION_MAJOR,
                                    NLOHMANN_JSON_VERSION_MINOR, NLOHMANN_JSON_VERSION_PATCH)},
      {"pugixml", fmt::format("{}.{}", PUGIXML_VERSION / 1000, PUGIXML_VERSION % 1000 / 10)},
  };
}

RunManifest startManifest(const std::string& command, std::uint64_t seed) {
  RunManifest m;
  m.command = command;
  m.seed = seed;
  m.libraries = coreLibraryVersions();
  m.startTime = utcNow();
  return m;
}

nlohmann::json toJson(const RunManifest& m) {
  return {
      {"tool", "bolo"},
      {"version", version()},
      {"commit", gitCommit()},
      {"build_type", buildType()},
      {"command", m.command},
      {"seed", m.seed},
      {"host", hostName()},
      {"device", m.device},
      {"threads", m.threads},
      {"libraries", m.libraries},
      {"start_time", m.startTime},
      {"end_time", m.endTime.empty() ? nlohmann::json(nullptr) : nlohmann::json(m.endTime)},
      {"status", m.status},
      {"extra", m.extra},
  };
}

void writeManifest(const std::filesystem::path& dir, const RunManifest& manifest) {
  writeFileAtomically(dir / "manifest.json", toJson(manifest).dump(2) + "\n");
}

void finishManifest(const std::filesystem::path& dir, RunManifest& manifest,
                    const std::string& status) {
  manifest.endTime = utcNow();
  manifest.status = status;
  writeManifest(dir, manifest);
}

void writeResolvedConfig(const std::filesystem::path& dir, const nlohmann::json& config) {
  writeFileAtomically(dir / "config.json", config.dump(2) + "\n");
}

}  // namespace bolo
