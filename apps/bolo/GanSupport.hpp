#pragma once
// What the GAN verbs (train, generate, bestiter) share: the train.json config and the layout
// of a run's GANs in the working directory:
//   <workdir>/checkpoints/<run>/<gan>/iter_*.pt|json   gan: "all" (pions) or "low"/"high" (photons)
//   <workdir>/output/<run>/<gan>/metrics.jsonl, loss.{png,pdf,svg}
//   <workdir>/output/<run>/bestiter/...                best iteration (bolo bestiter)

#include <filesystem>
#include <string>
#include <vector>

#include "calo/Particle.hpp"
#include "calo/TrainingConfig.hpp"
#include "common/WorkDir.hpp"

namespace bolo::app {

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

std::filesystem::path runCheckpointDir(const WorkDir& dir, const std::string& run,
                                       const std::string& gan);
std::filesystem::path runOutputDir(const WorkDir& dir, const std::string& run);
/// The default run name of a particle ("pions", "photons").
std::string defaultRunName(Particle particle, const std::string& option);

/// <workdir>/data/<particle>_reference.h5 unless `option` names a file.
std::filesystem::path referenceFile(const WorkDir& dir, Particle particle,
                                    const std::string& option);

/// Parse "256,1024,4096" (MeV); InputError on anything else.
std::vector<double> parseEnergyList(const std::string& text);
/// The 15 CaloChallenge dataset-1 energy points 2^8 ... 2^22 MeV.
std::vector<double> calochallengeEnergyPoints();

}  // namespace bolo::app

namespace bolo::app {

/// The checkpoints `bolo generate` uses when none is given: those marked best by
/// `bolo bestiter` (<workdir>/output/<run>/bestiter/best.json) if present, else the latest
/// valid checkpoint of each GAN of the run. `source` says which.
std::vector<std::filesystem::path> defaultCheckpoints(const WorkDir& dir, const std::string& run,
                                                      Particle particle,
                                                      std::string* source = nullptr);
/// Path of the best-iteration record of a run.
std::filesystem::path bestCheckpointRecord(const WorkDir& dir, const std::string& run);

}  // namespace bolo::app
