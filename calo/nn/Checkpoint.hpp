#pragma once
// Checkpoint files of a GAN run: `iter_<N>.pt` (a LibTorch archive) plus `iter_<N>.json`, a
// sidecar with the iteration, size and crc32 of the archive and everything needed to rebuild
// the network (config, preprocessing, voxel count). The archive is written to a temporary
// name, fsynced and renamed first; the sidecar follows. A checkpoint counts only when its
// sidecar exists and the archive's size and crc32 match, so a kill at any moment leaves
// either a complete checkpoint or one that is skipped with a warning.
// This header is free of torch; saving and loading the archives lives in GanModel.cpp.

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace bolo::nn {

struct CheckpointInfo {
  std::filesystem::path archive;  ///< .../iter_000010000.pt
  std::filesystem::path sidecar;  ///< .../iter_000010000.json
  long long iteration = 0;
  nlohmann::json meta;  ///< the sidecar's content
};

/// "iter_000010000" (zero-padded so that names sort by iteration).
std::string checkpointStem(long long iteration);

/// crc32 (zlib) of a whole file.
std::uint32_t fileCrc32(const std::filesystem::path& path);

/// Why a checkpoint is not usable, or empty if it is (sidecar readable, archive present,
/// size and crc32 as recorded).
std::string checkpointProblem(const std::filesystem::path& sidecar, nlohmann::json* meta = nullptr);

/// All valid checkpoints in `dir`, by increasing iteration; invalid ones are skipped with a
/// warning (once per path per process). A missing directory gives an empty list.
std::vector<CheckpointInfo> listCheckpoints(const std::filesystem::path& dir);
/// The valid checkpoint with the highest iteration.
std::optional<CheckpointInfo> latestCheckpoint(const std::filesystem::path& dir);

/// A checkpoint given on the command line: a sidecar (.json), an archive (.pt) or a directory
/// (its latest valid checkpoint). InputError naming the problem if it is not usable.
CheckpointInfo resolveCheckpoint(const std::filesystem::path& path);

/// Remove the temporary files of checkpoint writes whose process is gone (a run killed while
/// writing leaves `.iter_<N>.pt.tmp.<pid>.<n>`); returns how many. Those of live processes
/// stay: another run may be writing.
std::size_t removeStaleTemporaries(const std::filesystem::path& dir);

/// Write the sidecar for an archive already in place (atomically), filling iteration, size
/// and crc32 into `meta`.
void writeCheckpointSidecar(const std::filesystem::path& archive, long long iteration,
                            nlohmann::json meta);

}  // namespace bolo::nn
