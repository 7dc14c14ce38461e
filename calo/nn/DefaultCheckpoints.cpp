#include "calo/nn/DefaultCheckpoints.hpp"

#include <fmt/format.h>

#include "calo/CaloLayout.hpp"
#include "calo/nn/Checkpoint.hpp"
#include "common/ConfigReader.hpp"
#include "common/Error.hpp"

namespace bolo::nn {

namespace fs = std::filesystem;

std::vector<fs::path> defaultCheckpoints(const WorkDir& dir, const std::string& run,
                                         Particle particle, std::string* source) {
  const fs::path best = bestCheckpointRecord(dir, run);
  std::vector<fs::path> out;
  if (fs::exists(best)) {
    const auto record = readJsonFile(best.string());
    try {
      for (const auto& [gan, path] : record.at("checkpoints").items())
        out.emplace_back(path.get<std::string>());
    } catch (const nlohmann::json::exception& e) {
      throw InputError(
          fmt::format("{}: malformed best-iteration record: {}", best.string(), e.what()));
    }
    if (source) *source = fmt::format("best iteration from {}", best.string());
    return out;
  }
  for (const auto& gan : ganNames(particle)) {
    const fs::path ganDir = runCheckpointDir(dir, run, gan);
    const auto latest = latestCheckpoint(ganDir);
    if (!latest) {
      throw InputError(fmt::format(
          "no valid checkpoint in {}: train first ('bolo train {}') or pass --checkpoint",
          ganDir.string(), particleName(particle)));
    }
    out.push_back(latest->sidecar);
  }
  if (source) *source = "latest checkpoint of each GAN (no bestiter record yet)";
  return out;
}

}  // namespace bolo::nn
