#pragma once
// Version and build facts, filled in by CMake at configure time.

#include <string>

namespace bolo {

std::string version();    ///< e.g. "0.1.0"
std::string gitCommit();  ///< short commit hash at configure time, or "unknown"
std::string buildType();  ///< CMake build type
/// Data directory holding geometry/ (BOLO_DATA_DIR overrides; then build tree, install prefix).
std::string dataDirectory();
/// Folder of the benchmark peer scripts (bench/peers/ in the source tree, installed to
/// share/bolo/peers): beside the running program's bin/ (an installed or relocated bolo),
/// then the configured install prefix, then the source tree.
std::string peerDirectory();

}  // namespace bolo
