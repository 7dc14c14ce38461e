#pragma once
// The checkpoints a run's generator uses when none is given (`bolo generate`, the batch
// workflows): those marked best by `bolo bestiter` if present, else the latest valid
// checkpoint of each GAN of the run.

#include <filesystem>
#include <string>
#include <vector>

#include "calo/Particle.hpp"
#include "common/WorkDir.hpp"

namespace bolo::nn {

/// The best iteration's checkpoints (<workdir>/output/<run>/bestiter/best.json) if that record
/// exists, else the latest valid checkpoint of each GAN; InputError when a GAN has none.
/// `source` says which.
std::vector<std::filesystem::path> defaultCheckpoints(const WorkDir& dir, const std::string& run,
                                                      Particle particle,
                                                      std::string* source = nullptr);

}  // namespace bolo::nn
