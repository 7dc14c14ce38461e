#pragma once
// The sidecar of a GAN checkpoint (`iter_<N>.json`, see calo/nn/Checkpoint.hpp), read strictly
// and without torch: a resumed training, bestiter and generate trust these fields, and a file
// on disk may be torn, edited or hostile. Kept here, outside nn/, so it can be fuzzed and
// tested without LibTorch.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "calo/ShowerPreprocessing.hpp"
#include "calo/TrainingConfig.hpp"

namespace bolo {

inline constexpr const char* kCheckpointFormat = "bolo-gan-checkpoint-1";

struct CheckpointRecord {
  long long iteration = 0;
  std::string archive;  ///< file name of the archive, in the sidecar's directory
  std::uintmax_t bytes = 0;
  std::uint32_t crc32 = 0;
  double trainingSeconds = 0;  ///< 0 when not recorded
  nlohmann::json meta;         ///< the whole sidecar
};

/// Parse a sidecar's text. InputError with a short reason (never the values themselves) when
/// it is not a complete bolo checkpoint record: wrong format tag, missing or mistyped
/// iteration/bytes/crc32, an archive name that is not a plain `.pt` file name beside the
/// sidecar, or a mistyped optional field that a consumer reads (training_seconds, voxels,
/// energy_range_mev, gan, particle, architecture, config, preprocessing).
CheckpointRecord parseCheckpointSidecar(const std::string& text);

/// What a generator is rebuilt from: the record's config, voxel count, preprocessing, energy
/// range and the voxels per layer.
struct CheckpointModel {
  GanConfig config;
  int voxels = 0;
  ShowerPreprocessing preprocessing;
  double loMeV = 0, hiMeV = 0;
  std::vector<int64_t> layerVoxels;
  std::string gan, particle;
};

/// Strictly read the model facts of a sidecar's `meta`; InputError prefixed with `origin`.
CheckpointModel checkpointModelFromMeta(const nlohmann::json& meta, const std::string& origin);

}  // namespace bolo
