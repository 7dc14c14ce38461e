#pragma once
// Electromagnetic showers (photons, and the pi0 sub-showers of hadron showers) after GFlash
// (Grindhammer & Peters, hep-ex/0001020) with its sampling-calorimeter parameters, as coded
// in Geant4's GFlashSamplingShowerParameterisation: a Gamma-distributed longitudinal profile
// with correlated per-shower fluctuations of ln T and ln alpha, a two-component radial profile
// whose core and tail radii and core weight depend on the relative depth, a number of energy
// spots that sets the lateral fluctuations, and sampling fluctuations per layer.

#include "calo/ShowerModelCommon.hpp"
#include "common/Rng.hpp"

namespace bolo {

/// One shower's sampled longitudinal parameters (depths in radiation lengths).
struct GFlashLongitudinal {
  double energyGeV = 0;
  double tmax = 1;       ///< depth of the maximum, (alpha - 1) / beta
  double alpha = 2;      ///< Gamma shape
  double beta = 1;       ///< Gamma rate, 1/X0
  double meanAlpha = 2;  ///< exp(<ln alpha>), for GFlash's relative depth tau
};

/// Draw a shower's longitudinal parameters for an electron or photon of `energyMeV`.
GFlashLongitudinal sampleGFlashLongitudinal(double energyMeV, const SamplingMedium& medium,
                                            ShowerRng& rng);

/// GFlash's radial profile at `depthX0` behind the shower start, in mm (`moliereMm` per unit).
RadialProfile gflashRadialProfile(const GFlashLongitudinal& shower, double depthX0,
                                  double moliereMm, const SamplingMedium& medium);

/// Where and how an electromagnetic shower deposits.
struct EmDeposit {
  double startX0 = 0;   ///< calorimeter depth of the shower start
  double x = 0, y = 0;  ///< transverse position of its axis, mm
  bool onAxis = true;   ///< centred deposit (exact spot statistics) or explicit spots at (x, y)
  double scale = 1;     ///< calibration factor applied to the visible energy
};

/// Deposit an electromagnetic shower of `energyMeV` into `depositor`.
void depositEmShower(double energyMeV, const EmDeposit& where, ShowerRng& rng,
                     VoxelDepositor& depositor);

/// Photons: conversion depth exponential with mean 9/7 X0, then a GFlash shower on the axis,
/// with a 0.7% constant term applied per shower.
class EmShowerModel {
 public:
  void simulate(double energyMeV, ShowerRng& rng, VoxelDepositor& depositor) const;

  static constexpr double kConstantTerm = 0.007;
};

}  // namespace bolo
