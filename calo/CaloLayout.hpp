#pragma once
// Where the calorimeter runs live under the work directory, and the train.json they read.
// The verbs, the benchmarks and the batch workflows all take their paths from here:
//   <workdir>/data/<particle>_reference.h5              bolo simulate (the reference)
//   <workdir>/checkpoints/<run>/<gan>/iter_*.pt|json    gan: "all" (pions) or "low"/"high"
//   (photons) <workdir>/output/<run>/<gan>/metrics.jsonl, loss.{png,pdf,svg}
//   <workdir>/output/<run>/bestiter/...                 best iteration (bolo bestiter)
//   <workdir>/output/<run>/generated.h5                 bolo generate
//   <workdir>/output/evaluation[-<particle>]/           bolo evaluate
// <run> is the particle's name unless --run names another.

#include <filesystem>
#include <string>
#include <vector>

#include "calo/Particle.hpp"
#include "calo/TrainingConfig.hpp"
#include "common/WorkDir.hpp"

namespace bolo {

/// --config if given, else <workdir>/configs/train.json if it exists, else the defaults.
/// `source` receives where it came from.
TrainConfig loadTrainConfig(const std::string& option, const WorkDir& dir,
                            std::string* source = nullptr);

/// One GAN of a particle: its name, config and the slice lo < E_inc <= hi it covers.
struct GanSlice {
  std::string name;
  GanConfig config;
  double loMeV = 0;
  double hiMeV = 0;
};
/// pions: one slice "all"; photons: "low" (E_inc <= split) and "high".
std::vector<GanSlice> ganSlices(Particle particle, const TrainConfig& config);
/// The GAN names of a particle, in training order: {"all"} or {"low", "high"}.
std::vector<std::string> ganNames(Particle particle);

std::filesystem::path runCheckpointDir(const WorkDir& dir, const std::string& run,
                                       const std::string& gan);
std::filesystem::path runOutputDir(const WorkDir& dir, const std::string& run);
/// The default run name of a particle ("pions", "photons"); InputError for a name with '/'.
std::string defaultRunName(Particle particle, const std::string& option);
/// Path of the best-iteration record of a run (output/<run>/bestiter/best.json).
std::filesystem::path bestCheckpointRecord(const WorkDir& dir, const std::string& run);

/// <workdir>/data/<particle>_reference.h5, whether or not it exists.
std::filesystem::path referencePath(const WorkDir& dir, Particle particle);
/// referencePath() unless `option` names a file; InputError if the default is missing, which
/// tells how to make it or to pass `optionName` (the verb's own option: --input, --reference).
std::filesystem::path referenceFile(const WorkDir& dir, Particle particle,
                                    const std::string& option, const std::string& optionName);

/// Parse "256,1024,4096" (MeV); InputError on anything else.
std::vector<double> parseEnergyList(const std::string& text);
/// The 15 CaloChallenge dataset-1 energy points 2^8 ... 2^22 MeV.
std::vector<double> calochallengeEnergyPoints();

}  // namespace bolo
