#pragma once
// The working directory layout every verb shares (made by `bolo init`):
//   configs/      default configs, edited by users
//   data/         simulated showers and jets
//   checkpoints/  model checkpoints per run
//   logs/         batch and run logs
//   output/       results, plots, reports

#include <filesystem>
#include <optional>
#include <string>

namespace bolo {

struct WorkDir {
  std::filesystem::path root;

  std::filesystem::path configs() const { return root / "configs"; }
  std::filesystem::path data() const { return root / "data"; }
  std::filesystem::path checkpoints() const { return root / "checkpoints"; }
  std::filesystem::path logs() const { return root / "logs"; }
  std::filesystem::path output() const { return root / "output"; }
};

/// --workdir if given, else $BOLO_WORKDIR, else ./bolo-work.
WorkDir resolveWorkDir(const std::string& option);

}  // namespace bolo
