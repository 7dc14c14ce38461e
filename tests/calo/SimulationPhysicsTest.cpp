// The building blocks of the reference simulator: seeding, the incomplete gamma function,
// depth conversion, the GFlash profiles and the voxel depositor.

#include <gtest/gtest.h>

#include <cmath>

#include "calo/EmShowerModel.hpp"
#include "calo/HadronShowerModel.hpp"
#include "calo/ShowerModelCommon.hpp"
#include "common/Rng.hpp"

namespace bolo {
namespace {

TEST(SimulationPhysics, Splitmix64MatchesTheReferenceOutput) {
  // First output of the reference splitmix64 generator seeded with 0 (Vigna's splitmix64.c).
  EXPECT_EQ(splitmix64(0), 0xe220a8397b1dcdafULL);
  EXPECT_NE(showerSeed(1, 0, 1), showerSeed(1, 1, 0));
  EXPECT_NE(showerSeed(1, 0, 0), showerSeed(2, 0, 0));
}

TEST(SimulationPhysics, IncompleteGammaMatchesClosedForms) {
  // P(1, x) = 1 - e^-x and P(2, x) = 1 - (1 + x) e^-x; both branches (series below a + 1,
  // continued fraction above) are exercised. 1e-12 is far above double rounding.
  for (double x : {0.01, 0.5, 1.9, 2.5, 7.0, 30.0}) {
    EXPECT_NEAR(regularizedGammaP(1.0, x), 1 - std::exp(-x), 1e-12) << x;
    EXPECT_NEAR(regularizedGammaP(2.0, x), 1 - (1 + x) * std::exp(-x), 1e-12) << x;
  }
  EXPECT_EQ(regularizedGammaP(3.0, 0.0), 0.0);
  EXPECT_NEAR(regularizedGammaP(4.2, 1e3), 1.0, 1e-15);
}

TEST(SimulationPhysics, DepthConversionFollowsTheLayerTable) {
  for (const auto& layer : referenceLayers()) {
    EXPECT_NEAR(x0AtLambda(layer.lambdaBegin), layer.x0Begin, 1e-9) << layer.id;
    EXPECT_NEAR(x0AtLambda(layer.lambdaEnd), layer.x0End, 1e-9) << layer.id;
  }
  EXPECT_EQ(x0AtLambda(0), 0);
  EXPECT_GT(x0AtLambda(12.0), x0AtLambda(9.0));
}

TEST(SimulationPhysics, RadialProfileSamplesFollowItsCdf) {
  const RadialProfile profile{0.7, 10.0, 50.0};
  ShowerRng rng(3);
  const int n = 200000;
  int inside = 0;
  for (int i = 0; i < n; ++i) inside += profile.sample(rng) < 30.0;
  // Binomial error sqrt(p(1-p)/n) = 0.001; 0.005 is five of them.
  EXPECT_NEAR(static_cast<double>(inside) / n, profile.cdf(30.0), 0.005);
}

TEST(SimulationPhysics, GFlashShowerMaximumFollowsLnY) {
  // Mean ln T for 10 GeV: ln(ln(10000/10.3) - 0.812 - 0.55/3.07 - 0.69 * 0.31) = ln(5.68).
  ShowerRng rng(11);
  double sumLogT = 0;
  const int n = 20000;
  for (int i = 0; i < n; ++i)
    sumLogT += std::log(sampleGFlashLongitudinal(10000, kLArLead, rng).tmax);
  // sigma(ln T) = 1/(-2.5 + 1.25 * 6.88) = 0.16, so the mean of 20000 is known to 0.0011.
  EXPECT_NEAR(sumLogT / n, std::log(5.68), 0.01);
}

TEST(SimulationPhysics, CentredDepositKeepsTheContainedEnergy) {
  const auto geometry = ShowerGeometry::forParticle(Particle::kPhotons);
  VoxelDepositor depositor(geometry);
  ShowerRng rng(5);
  const RadialSlice slice{1.0, {0.8, 15.0, 60.0}};
  for (double spots : {0.3, 5.0, 1e5}) {
    depositor.clear();
    depositor.depositCentred(2, 1000.0, spots, &slice, 1, rng);
    double total = 0;
    for (double e : depositor.energies()) total += e;
    // Everything inside the outer edge (400 mm) stays; the rest is lost as in the dataset.
    EXPECT_NEAR(total, 1000.0 * slice.profile.cdf(400.0), 1e-9) << spots;
  }
  depositor.clear();
  depositor.depositCentred(13, 1000.0, 10, &slice, 1, rng);  // no layer 13 for photons
  for (double e : depositor.energies()) EXPECT_EQ(e, 0.0);
}

TEST(SimulationPhysics, OffAxisSpotsLandOnTheirSide) {
  const auto geometry = ShowerGeometry::forParticle(Particle::kPions);
  VoxelDepositor depositor(geometry);
  ShowerRng rng(9);
  const RadialSlice slice{1.0, {1.0, 2.0, 2.0}};
  // A narrow sub-shower 100 mm out along +x: alpha near 0, i.e. the two middle alpha bins of
  // [-pi, pi), radial bin [80, 130) mm of layer 2.
  depositor.depositSpots(2, 500.0, 100, 100.0, 0.0, &slice, 1, rng);
  const std::size_t layer = static_cast<std::size_t>(depositor.layerIndex(2));
  double onSide = 0;
  for (int alpha : {4, 5}) onSide += depositor.energies()[geometry.voxelIndex(layer, alpha, 6)];
  EXPECT_GT(onSide, 0.95 * 500.0);
}

}  // namespace
}  // namespace bolo
