#pragma once
// What the reference shower models share: the depth of every layer of the ATLAS-like
// calorimeter of CaloChallenge dataset 1 (in radiation and interaction lengths), the
// lateral profile shape of GFlash, and the depositor that turns (layer energy, number of
// energy spots, lateral profile) into voxel energies. docs/simulation.md gives the sources.

#include <array>
#include <cmath>
#include <cstddef>
#include <vector>

#include "calo/ShowerGeometry.hpp"
#include "common/Rng.hpp"

namespace bolo {

/// One longitudinal sampling of the reference calorimeter, depths measured from the front of
/// the material in front of the presampler along the particle direction.
struct ReferenceLayer {
  int id = 0;                             ///< CaloChallenge layer id
  double x0Begin = 0, x0End = 0;          ///< depth in radiation lengths
  double lambdaBegin = 0, lambdaEnd = 0;  ///< depth in interaction lengths
  double emSamplingTerm = 0;      ///< a in sigma/E = a / sqrt(E/GeV) for electromagnetic energy
  double hadronSamplingTerm = 0;  ///< same for the non-electromagnetic part of hadron showers
  double moliereRadiusMm = 0;     ///< lateral unit of electromagnetic showers in this medium
  double mipMeVPerLambda = 0;     ///< most probable energy of a minimum-ionising pion, EM scale
  int slices = 1;                 ///< depth slices used to follow the lateral profile's change
};

/// The seven layers of dataset 1 (0 presampler, 1-3 LAr barrel, 12-14 tile barrel).
const std::array<ReferenceLayer, 7>& referenceLayers();

/// Effective GFlash quantities of the ATLAS lead/liquid-argon accordion (|eta| < 0.8):
/// 1.53 mm Pb + 0.4 mm steel absorber, 4.2 mm liquid argon, mixed with the formulas of
/// Grindhammer & Peters (hep-ex/0001020) as Geant4's GFlashSamplingShowerParameterisation does.
struct SamplingMedium {
  double zEff = 61.1;  ///< mass-weighted atomic number
  double criticalEnergyMeV = 10.3;
  double x0Mm = 18.8;  ///< radiation length
  double moliereRadiusMm = 38.8;
  double lambdaMm = 384.0;          ///< nuclear interaction length
  double samplingFrequency = 3.07;  ///< F_S = X0 / (d_active + d_passive)
  double eOverMip = 0.69;           ///< e-hat = 1 / (1 + 0.007 (Z_passive - Z_active))
};
inline constexpr SamplingMedium kLArLead{};

/// Radiation lengths in front of the point `lambda` interaction lengths deep (piecewise linear
/// through the layer boundaries, so either unit can place a shower start).
double x0AtLambda(double lambda);

/// P(a, x): the regularised lower incomplete gamma function, the cumulative distribution of
/// a Gamma(a, 1) variable; a > 0, x >= 0.
double regularizedGammaP(double a, double x);

/// GFlash's lateral shape: p f(r; Rc) + (1 - p) f(r; Rt), f(r; R) = 2 r R^2 / (r^2 + R^2)^2,
/// radii in mm. Its cumulative distribution has the closed form r^2 / (r^2 + R^2).
struct RadialProfile {
  double coreWeight = 1;
  double coreRadius = 1;
  double tailRadius = 1;

  double cdf(double r) const {
    const double r2 = r * r;
    return coreWeight * r2 / (r2 + coreRadius * coreRadius) +
           (1 - coreWeight) * r2 / (r2 + tailRadius * tailRadius);
  }
  double sample(ShowerRng& rng) const {
    const double radius = rng.uniform() < coreWeight ? coreRadius : tailRadius;
    const double u = rng.uniform();
    return radius * std::sqrt(u / (1 - u));
  }
};

/// A share of a layer's energy with its own lateral profile (one depth slice).
struct RadialSlice {
  double weight = 0;
  RadialProfile profile;
};

/// Accumulates one shower's voxel energies. Energies go to a layer either centred on the
/// shower axis (expected voxel fractions from the profile, then Poisson-distributed spot
/// counts: exact spot statistics at any energy for the cost of one draw per voxel) or as
/// explicit spots around an offset axis (for sub-showers off the axis).
class VoxelDepositor {
 public:
  explicit VoxelDepositor(const ShowerGeometry& geometry);

  void clear();
  /// Geometry layer index of a calorimeter layer id, or -1 if the geometry has no voxels there
  /// (the energy is then not recorded, as in the dataset).
  int layerIndex(int layerId) const;

  /// Deposit `energy` MeV in layer `layerId` as `spots` spots (Poisson-fluctuated per voxel)
  /// drawn from the weighted mixture of `slices`. Energy beyond the last radial edge is lost.
  void depositCentred(int layerId, double energy, double spots, const RadialSlice* slices,
                      std::size_t sliceCount, ShowerRng& rng);
  /// Deposit `energy` MeV as `spots` equal spots around an axis at (x, y) mm, radii drawn from
  /// `slices` (chosen by weight). At most `kMaxExplicitSpots` spots are drawn.
  void depositSpots(int layerId, double energy, double spots, double x, double y,
                    const RadialSlice* slices, std::size_t sliceCount, ShowerRng& rng);

  /// Copy the accumulated energies into a row of `geometry.voxelCount()` floats.
  void write(float* row) const;
  const std::vector<double>& energies() const { return m_energies; }

  static constexpr int kMaxExplicitSpots = 128;

 private:
  const ShowerGeometry* m_geometry;
  std::array<int, 24> m_layerIndex{};
  std::vector<double> m_energies;
  std::vector<double> m_radialFractions;  // scratch, one per radial bin
  std::vector<long long> m_counts;        // scratch, one per voxel of a layer
};

}  // namespace bolo
