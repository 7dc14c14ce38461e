#pragma once
// The record every run writes beside its outputs: what ran, where, with which libraries,
// from when to when. Written as manifest.json (atomically) at start and again at the end.

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace bolo {

struct RunManifest {
  std::string command;  ///< e.g. "simulate pions"
  std::uint64_t seed = 0;
  std::string device = "cpu";
  int threads = 1;
  std::map<std::string, std::string> libraries;     ///< name -> version
  std::string startTime;                            ///< ISO-8601 UTC
  std::string endTime;                              ///< empty while running
  std::string status = "running";                   ///< running, completed, failed, interrupted
  nlohmann::json extra = nlohmann::json::object();  ///< verb-specific facts
};

/// A manifest with version, commit, host, start time and the core library versions filled.
RunManifest startManifest(const std::string& command, std::uint64_t seed);
/// Versions of the libraries core links (HDF5, fmt, spdlog, nlohmann-json, pugixml).
std::map<std::string, std::string> coreLibraryVersions();
/// The current time as ISO-8601 UTC with seconds, e.g. 2026-11-25T18:51:11Z.
std::string utcNow();
std::string hostName();

nlohmann::json toJson(const RunManifest& manifest);
/// Write `dir/manifest.json` atomically.
void writeManifest(const std::filesystem::path& dir, const RunManifest& manifest);
/// Set end time and status, then write.
void finishManifest(const std::filesystem::path& dir, RunManifest& manifest,
                    const std::string& status);

/// Write `dir/config.json`: the resolved config a run actually used.
void writeResolvedConfig(const std::filesystem::path& dir, const nlohmann::json& config);

}  // namespace bolo
