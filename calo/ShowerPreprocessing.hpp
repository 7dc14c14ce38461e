#pragma once
// How showers become GAN inputs and back (FastCaloGAN convention, see docs/training.md):
// the condition is the incident energy scaled into [0, 1] (logarithmically by default) over
// the energy range the GAN was trained on; the targets are the voxel energies divided by the
// incident energy. The same parameters travel in every checkpoint so generation inverts
// exactly what training did.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "calo/ShowerFile.hpp"

namespace bolo {

struct ShowerPreprocessing {
  std::string conditioning = "log";  ///< log, linear or max (E / E_max)
  /// incident: voxel / E_inc; none: voxel / 1 GeV; sample_max: voxel / maxVoxelMeV
  std::string voxelScaling = "incident";
  double minEnergyMeV = 1;  ///< E_inc mapped to condition 0 (log, linear)
  double maxEnergyMeV = 1;  ///< E_inc mapped to condition 1
  double maxVoxelMeV = 1;   ///< the largest voxel of the training sample (sample_max)

  /// The condition value for an incident energy (may fall outside [0, 1] when extrapolating).
  double condition(double incidentMeV) const;
  /// Factor that turns a voxel energy in MeV into a network target (and back by division).
  double targetScale(double incidentMeV) const;
};

/// Preprocessing for the incident energies present in `energies` (their min and max);
/// `maxVoxelMeV` is the largest voxel of the sample, needed by sample_max only.
ShowerPreprocessing preprocessingFor(const std::vector<double>& energies,
                                     const std::string& conditioning,
                                     const std::string& voxelScaling, double maxVoxelMeV = 1);

nlohmann::json toJson(const ShowerPreprocessing& p);
/// InputError naming `origin` if a field is missing or invalid.
ShowerPreprocessing preprocessingFromJson(const nlohmann::json& json, const std::string& origin);

/// The showers of `batch` with lo < E_inc <= hi (MeV), in file order.
ShowerBatch selectEnergyRange(const ShowerBatch& batch, double loExclusiveMeV,
                              double hiInclusiveMeV);

/// The distinct incident energies of a file in increasing order with their counts.
struct EnergyPoint {
  double energyMeV = 0;
  std::size_t count = 0;
};
std::vector<EnergyPoint> distinctEnergies(const std::vector<double>& energies);

}  // namespace bolo
