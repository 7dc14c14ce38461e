#include "calo/HadronShowerModel.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

#include "calo/EmShowerModel.hpp"

namespace bolo {

namespace {

constexpr double kMipRelativeWidth = 0.12;  // Landau width / most probable value, thick layers
constexpr RadialProfile kMipProfile{0.8, 2.0, 12.0};  // track core plus delta rays (mm)
constexpr double kMipSpots = 4;
constexpr double kContainmentRate = 1.57;

/// A stretch of the calorimeter in interaction lengths: a layer or dead material between.
struct Segment {
  double begin, end;
  double mipPerLambda;
  int layerId;  // -1 for dead material
};

std::array<Segment, 9> segments() {
  const auto& l = referenceLayers();
  const double larMip = l[1].mipMeVPerLambda;
  return {{{0.0, l[0].lambdaBegin, larMip, -1},
           {l[0].lambdaBegin, l[0].lambdaEnd, l[0].mipMeVPerLambda, l[0].id},
           {l[1].lambdaBegin, l[1].lambdaEnd, l[1].mipMeVPerLambda, l[1].id},
           {l[2].lambdaBegin, l[2].lambdaEnd, l[2].mipMeVPerLambda, l[2].id},
           {l[3].lambdaBegin, l[3].lambdaEnd, l[3].mipMeVPerLambda, l[3].id},
           {l[3].lambdaEnd, l[4].lambdaBegin, larMip, -1},
           {l[4].lambdaBegin, l[4].lambdaEnd, l[4].mipMeVPerLambda, l[4].id},
           {l[5].lambdaBegin, l[5].lambdaEnd, l[5].mipMeVPerLambda, l[5].id},
           {l[6].lambdaBegin, l[6].lambdaEnd, l[6].mipMeVPerLambda, l[6].id}}};
}

/// Ionisation along the track up to `stopLambda`; returns the energy left.
double depositTrack(double energyMeV, double stopLambda, ShowerRng& rng,
                    VoxelDepositor& depositor) {
  static const auto kSegments = segments();
  const RadialSlice slice{1.0, kMipProfile};
  for (const auto& segment : kSegments) {
    const double length = std::min(segment.end, stopLambda) - segment.begin;
    if (length <= 0 || energyMeV <= 0) break;
    const double mostProbable = segment.mipPerLambda * length;
    const double loss =
        std::min(energyMeV, std::max(0.0, mostProbable * (1 + kMipRelativeWidth * rng.moyal())));
    energyMeV -= loss;
    if (segment.layerId >= 0)
      depositor.depositCentred(segment.layerId, loss, kMipSpots, &slice, 1, rng);
  }
  return energyMeV;
}

}  // namespace

RadialProfile hadronRadialProfile(double depthLambda) {
  // About 95% of the energy within one interaction length of the axis; core and halo both
  // widen with depth (PDG calorimetry review; Wigmans, Calorimetry, ch. 2).
  RadialProfile profile;
  profile.coreWeight = 0.6 * std::exp(-0.15 * depthLambda);
  profile.coreRadius = 20.0 * (1 + 0.5 * depthLambda);
  profile.tailRadius = 90.0 * (1 + 0.5 * depthLambda);
  return profile;
}

void HadronShowerModel::simulate(double energyMeV, ShowerRng& rng,
                                 VoxelDepositor& depositor) const {
  const double start = rng.exponential(kInteractionLength);
  const double showerEnergy = depositTrack(energyMeV, start, rng, depositor);
  const auto& layers = referenceLayers();
  if (showerEnergy <= 0 || start >= layers.back().lambdaEnd) return;  // stopped or punched through

  const double eGeV = showerEnergy / 1000.0;
  // Electromagnetic fraction (Wigmans): mean 1 - (E/E0)^(k-1), spread by a Beta distribution.
  const double meanFem =
      std::clamp(1 - std::pow(std::max(eGeV, kE0GeV) / kE0GeV, kFemPower - 1), 0.05, 0.9);
  const double fem = rng.beta(meanFem * kFemConcentration, (1 - meanFem) * kFemConcentration);

  // pi0 sub-showers: the leading one near the axis from the first interaction, the others
  // later and further out; energies shared as a flat Dirichlet.
  const double emEnergy = fem * showerEnergy;
  const int subShowers = static_cast<int>(
      std::min<long long>(kMaxSubShowers, 1 + rng.poisson(0.8 * std::log1p(emEnergy / 1000.0))));
  std::array<double, kMaxSubShowers> shares{};
  double shareSum = 0;
  for (int i = 0; i < subShowers; ++i)
    shareSum += shares[static_cast<std::size_t>(i)] = rng.exponential(1.0);
  for (int i = 0; i < subShowers; ++i) {
    const double depth = start + (i == 0 ? 0.0 : rng.exponential(0.5));
    const double radius =
        i == 0 ? rng.exponential(5.0) : hadronRadialProfile(depth - start).sample(rng) * 0.5;
    const double phi = 2 * std::numbers::pi * rng.uniform();
    EmDeposit where;
    where.startX0 = x0AtLambda(depth);
    where.x = radius * std::cos(phi);
    where.y = radius * std::sin(phi);
    where.onAxis = false;
    depositEmShower(emEnergy * shares[static_cast<std::size_t>(i)] / shareSum, where, rng,
                    depositor);
  }

  // Non-electromagnetic part: Gamma profile in lambda from the first interaction with the
  // depth of maximum 0.2 ln(E/GeV) + 0.7 and 95% containment at that depth plus 2.5 (E/GeV)^0.13
  // (PDG); a rate of 1.57 / (E/GeV)^0.13 puts the 95% quantile there from 1 GeV to 4 TeV.
  const double hadronEnergy = (1 - fem) * showerEnergy;
  const double tmax =
      std::max(0.2 * std::log(std::max(eGeV, 0.3)) + 0.7, 0.3) * std::exp(0.15 * rng.normal());
  const double attenuation = std::pow(std::max(eGeV, 1.0), 0.13);
  const double alpha =
      std::max(1.05, (1 + kContainmentRate * tmax / attenuation) * std::exp(0.15 * rng.normal()));
  const double beta = (alpha - 1) / tmax;
  const double hadronSpotsPerMeV = kHadronSpotsPerGeV / 1000.0;
  std::array<RadialSlice, 8> slices{};
  for (const auto& layer : layers) {
    const double u0 = std::max(layer.lambdaBegin - start, 0.0), u1 = layer.lambdaEnd - start;
    if (u1 <= 0) continue;
    double previous = regularizedGammaP(alpha, beta * u0);
    if (previous > 1 - 1e-7) break;
    if (depositor.layerIndex(layer.id) < 0) continue;
    const int n = std::min<int>(std::max(1, layer.slices / 2), static_cast<int>(slices.size()));
    double fraction = 0;
    for (int i = 0; i < n; ++i) {
      const double a = u0 + (u1 - u0) * i / n, b = u0 + (u1 - u0) * (i + 1) / n;
      const double cdf = regularizedGammaP(alpha, beta * b);
      slices[static_cast<std::size_t>(i)] = {cdf - previous, hadronRadialProfile(0.5 * (a + b))};
      fraction += cdf - previous;
      previous = cdf;
    }
    const double deposited = hadronEnergy * fraction;
    if (!(deposited > 1e-6)) continue;
    // The visible share of non-electromagnetic energy (the rest goes into nuclear binding,
    // neutrons, recoils) has mean h/e = 1/1.35 and relative spread a / sqrt(E/GeV) from
    // intrinsic and sampling fluctuations; a Beta distribution keeps it within [0, 1].
    const double mean = 1 / kEOverH;
    const double sigma = mean * layer.hadronSamplingTerm / std::sqrt(deposited / 1000.0);
    const double concentration = std::max(0.5, mean * (1 - mean) / (sigma * sigma) - 1);
    const double visible = deposited * rng.beta(mean * concentration, (1 - mean) * concentration);
    depositor.depositCentred(layer.id, visible, std::max(1.0, hadronSpotsPerMeV * visible),
                             slices.data(), static_cast<std::size_t>(n), rng);
  }
}

}  // namespace bolo
