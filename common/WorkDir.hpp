#pragma once
// The working directory layout every verb shares (made by `bolo init`):
//   configs/      default configs, edited by users
//   data/         simulated showers and jets
//   checkpoints/  model checkpoints per run
//   logs/         batch and run logs
//   output/       results, plots, reports
// Where each subject's runs live inside it: calo/CaloLayout.hpp, ftag/FtagLayout.hpp.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace bolo {

struct WorkDir {
  std::filesystem::path root;

  std::filesystem::path configs() const { return root / "configs"; }
  std::filesystem::path data() const { return root / "data"; }
  std::filesystem::path checkpoints() const { return root / "checkpoints"; }
  std::filesystem::path logs() const { return root / "logs"; }
  std::filesystem::path output() const { return root / "output"; }

  /// The config a verb reads: `option` (--config) if given, else configs/<name> if it
  /// exists, else empty (the built-in defaults).
  std::filesystem::path configFile(const std::string& option, const std::string& name) const;
};

/// --workdir if given, else $BOLO_WORKDIR, else ./bolo-work.
WorkDir resolveWorkDir(const std::string& option);

/// `bolo init`: create the five folders (EnvironmentError if one cannot be made) and write
/// each (file name, content) config into configs/ unless the file exists (users' edits
/// survive). Returns {"workdir", "configs_written", "configs_kept"}.
nlohmann::json initWorkDir(const WorkDir& dir,
                           const std::vector<std::pair<std::string, nlohmann::json>>& configs);

}  // namespace bolo
