#pragma once
// `bolo export`: the generators of a run as ONNX models (docs/export.md). By default the
// checkpoints `bolo bestiter` marked best; one model per GAN (photons: low and high), named
// <particle>_<gan>.onnx, each with a JSON description beside it (<particle>_<gan>.json).
// Every file is written atomically, and a failure removes the files this call wrote, so no
// partial export is left behind.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace bolo::nn {

struct ExportRequest {
  std::string particle;                  ///< pions or photons
  std::string workdir;                   ///< --workdir (see resolveWorkDir)
  std::string run;                       ///< empty: the particle
  std::vector<std::string> checkpoints;  ///< empty: those of the run's bestiter record
  std::string out;                       ///< output directory (created if missing)
  std::string geometry;                  ///< binning XML; empty: the shipped one
};

/// Export, verify with the ONNX checker, write; returns the summary (models, descriptions).
/// InputError without a checkpoint or bestiter record, for another particle's checkpoint or a
/// geometry of another voxel count; RuntimeFailure if the output cannot be written.
nlohmann::json exportOnnx(const ExportRequest& request);

}  // namespace bolo::nn
