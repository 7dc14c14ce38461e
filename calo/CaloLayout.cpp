#include "calo/CaloLayout.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <sstream>

#include "calo/ShowerFile.hpp"
#include "common/ConfigReader.hpp"
#include "common/Error.hpp"
#include "common/ParseNumber.hpp"

namespace bolo {

namespace fs = std::filesystem;

namespace {
/// Upper end of the last slice: above any incident energy a calorimeter sees (1 PeV).
constexpr double kOpenEndMeV = 1e9;
}  // namespace

TrainConfig loadTrainConfig(const std::string& option, const WorkDir& dir, std::string* source) {
  const fs::path path = dir.configFile(option, "train.json");
  if (source) *source = path.empty() ? "built-in defaults" : path.string();
  if (path.empty()) return defaultTrainConfig();
  return trainConfigFromJson(readJsonFile(path.string()));
}

std::vector<GanSlice> ganSlices(Particle particle, const TrainConfig& config) {
  if (particle == Particle::kPions) return {{"all", config.pions, 0, kOpenEndMeV}};
  return {{"low", config.photonsLow, 0, config.photonSplitMeV},
          {"high", config.photonsHigh, config.photonSplitMeV, kOpenEndMeV}};
}

std::vector<std::string> ganNames(Particle particle) {
  std::vector<std::string> names;
  for (const auto& slice : ganSlices(particle, TrainConfig{})) names.push_back(slice.name);
  return names;
}

fs::path runCheckpointDir(const WorkDir& dir, const std::string& run, const std::string& gan) {
  return dir.checkpoints() / run / gan;
}

fs::path runOutputDir(const WorkDir& dir, const std::string& run) {
  return dir.output() / run;
}

std::string defaultRunName(Particle particle, const std::string& option) {
  if (option.empty()) return particleName(particle);
  if (option.find('/') != std::string::npos || option == "." || option == "..") {
    throw InputError(fmt::format("--run '{}': a run name may not contain '/'", option));
  }
  return option;
}

fs::path bestCheckpointRecord(const WorkDir& dir, const std::string& run) {
  return runOutputDir(dir, run) / "bestiter" / "best.json";
}

fs::path referencePath(const WorkDir& dir, Particle particle) {
  return dir.data() / (particleName(particle) + "_reference.h5");
}

fs::path referenceFile(const WorkDir& dir, Particle particle, const std::string& option,
                       const std::string& optionName) {
  if (!option.empty()) return option;
  const fs::path path = referencePath(dir, particle);
  if (!fs::exists(path)) {
    throw InputError(fmt::format("{} not found: run 'bolo simulate {}' first or pass {} FILE",
                                 path.string(), particleName(particle), optionName));
  }
  return path;
}

std::vector<double> parseEnergyList(const std::string& text) {
  std::vector<double> out;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) {
    // Bounded as simulate's energies are: a value float32 cannot hold would be written as inf.
    const auto value =
        toNumber(trimSpaces(item), std::numeric_limits<double>::min(), kMaxIncidentEnergyMeV);
    if (!value) {
      throw InputError(fmt::format("--energies: '{}' is not a positive energy up to {:g} MeV",
                                   item.size() > 30 ? item.substr(0, 27) + "..." : item,
                                   kMaxIncidentEnergyMeV));
    }
    out.push_back(*value);
  }
  if (out.empty())
    throw InputError("--energies: expected a comma-separated list of energies in MeV");
  return out;
}

std::vector<double> calochallengeEnergyPoints() {
  std::vector<double> out;
  for (int k = 8; k <= 22; ++k) out.push_back(std::ldexp(1.0, k));
  return out;
}

}  // namespace bolo
