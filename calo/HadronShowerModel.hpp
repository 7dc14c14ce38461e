#pragma once
// Charged pions: a minimum-ionising track up to an exponentially distributed first
// interaction, then a hadron shower whose electromagnetic fraction (pi0 -> gamma gamma)
// follows f_em = 1 - (E/E0)^(k-1) on average with a wide Beta-distributed spread. The
// electromagnetic part showers as GFlash sub-showers around off-axis pi0 directions; the rest
// follows a Gamma-distributed longitudinal profile in interaction lengths (depth of maximum
// and attenuation from the PDG calorimetry review) with a wide core+halo lateral profile, and
// is seen with the non-compensating response h/e = 1/1.35. docs/simulation.md has the sources.

#include "calo/ShowerModelCommon.hpp"
#include "common/Rng.hpp"

namespace bolo {

class HadronShowerModel {
 public:
  void simulate(double energyMeV, ShowerRng& rng, VoxelDepositor& depositor) const;

  static constexpr double kInteractionLength = 1.2;        ///< pion lambda in nuclear lambda_I
  static constexpr double kE0GeV = 1.0, kFemPower = 0.82;  ///< f_em = 1 - (E/E0)^(k-1)
  static constexpr double kFemConcentration =
      20.0;                                         ///< Beta(m nu, (1-m) nu): sigma 0.11 at m = 0.5
  static constexpr double kEOverH = 1.35;           ///< non-compensation of LAr and tile
  static constexpr double kHadronSpotsPerGeV = 20;  ///< hadronic deposits are few and clumpy
  static constexpr int kMaxSubShowers = 6;
};

/// The lateral profile of the non-electromagnetic part `depthLambda` after the first interaction.
RadialProfile hadronRadialProfile(double depthLambda);

}  // namespace bolo
