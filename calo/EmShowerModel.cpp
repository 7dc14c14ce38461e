#include "calo/EmShowerModel.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace bolo {

namespace {

// GFlash homogeneous-medium parameters (hep-ex/0001020, Geant4 GFlashHomoShowerTuning).
constexpr double kT1 = -0.812, kA1 = 0.81, kA2 = 0.458, kA3 = 2.26;
// Sampling-calorimeter corrections and fluctuations (Geant4 GFlashSamplingShowerTuning).
constexpr double kSamT1 = -0.55, kSamT2 = -0.69, kSamA1 = -0.476;
constexpr double kSigT1 = -2.5, kSigT2 = 1.25, kSigA1 = -0.82, kSigA2 = 0.79;
constexpr double kRho1 = 0.784, kRho2 = -0.023;
// Spots: N = n1 / S * (E/GeV)^n2 with S the sampling term.
constexpr double kSpotN1 = 10.3, kSpotN2 = 0.959;

double clampedSigma(double denominator) {
  return denominator > 2.0 ? std::min(0.5, 1.0 / denominator) : 0.5;
}

}  // namespace

GFlashLongitudinal sampleGFlashLongitudinal(double energyMeV, const SamplingMedium& medium,
                                            ShowerRng& rng) {
  // GFlash is fitted from about 1 GeV up; below a few critical energies ln y is clamped so
  // the parameters stay finite (such showers are a handful of particles anyway).
  const double lnY = std::max(std::log(energyMeV / medium.criticalEnergyMeV), 1.5);
  const double meanTHom = std::max(lnY + kT1, 0.1);
  const double meanAHom = std::max(kA1 + (kA2 + kA3 / medium.zEff) * lnY, 0.1);
  const double meanLogT = std::log(
      std::max(meanTHom + kSamT1 / medium.samplingFrequency + kSamT2 * (1 - medium.eOverMip), 0.1));
  const double meanLogA = std::log(std::max(meanAHom + kSamA1 / medium.samplingFrequency, 1.1));
  const double sigmaT = clampedSigma(kSigT1 + kSigT2 * lnY);
  const double sigmaA = clampedSigma(kSigA1 + kSigA2 * lnY);
  const double rho = kRho1 + kRho2 * lnY;
  // Two normals with correlation rho between ln T and ln alpha.
  const double z1 = rng.normal(), z2 = rng.normal();
  const double c1 = std::sqrt((1 + rho) / 2), c2 = std::sqrt((1 - rho) / 2);
  GFlashLongitudinal s;
  s.energyGeV = energyMeV / 1000.0;
  s.tmax = std::max(1.0, std::exp(meanLogT + sigmaT * (c1 * z1 + c2 * z2)));
  s.alpha = std::max(1.1, std::exp(meanLogA + sigmaA * (c1 * z1 - c2 * z2)));
  s.beta = (s.alpha - 1) / s.tmax;
  s.meanAlpha = std::exp(meanLogA);
  return s;
}

RadialProfile gflashRadialProfile(const GFlashLongitudinal& shower, double depthX0,
                                  double moliereMm, const SamplingMedium& medium) {
  const double z = medium.zEff, lnE = std::log(std::max(shower.energyGeV, 0.05));
  const double fs = medium.samplingFrequency, oneMinusE = 1 - medium.eOverMip;
  // Relative depth as GFlash defines it (normalised to the mean depth of an average shower).
  const double tau = depthX0 / shower.tmax * (shower.alpha - 1) / shower.alpha * shower.meanAlpha /
                     (shower.meanAlpha - 1);
  double core = (0.0251 + 0.00319 * lnE) + (0.1162 - 0.000381 * z) * tau;
  const double p1 = 2.632 - 0.00094 * z, p2 = 0.401 + 0.00187 * z, p3 = 1.313 - 0.0686 * lnE;
  double weight = p1 * std::exp((p2 - tau) / p3 - std::exp((p2 - tau) / p3));
  const double k1 = 0.659 - 0.00309 * z, k2 = 0.645, k3 = -2.59, k4 = 0.3585 + 0.0412 * lnE;
  double tail = k1 * (std::exp(k3 * (tau - k2)) + std::exp(k4 * (tau - k2)));
  core += -0.0203 * oneMinusE + 0.0397 / fs * std::exp(-tau);
  weight += oneMinusE * (0.348 - 0.642 / fs * std::exp(-(tau - 1) * (tau - 1)));
  tail += -0.14 * oneMinusE - 0.495 / fs * std::exp(-tau);
  RadialProfile profile;
  profile.coreWeight = std::clamp(weight, 0.0, 1.0);
  profile.coreRadius = std::max(core, 0.005) * moliereMm;
  profile.tailRadius = std::max(tail, core + 0.01) * moliereMm;
  return profile;
}

void depositEmShower(double energyMeV, const EmDeposit& where, ShowerRng& rng,
                     VoxelDepositor& depositor) {
  if (!(energyMeV > 0)) return;
  const SamplingMedium& medium = kLArLead;
  const GFlashLongitudinal shower = sampleGFlashLongitudinal(energyMeV, medium, rng);
  const double spotsPerGeV = kSpotN1 * std::pow(std::max(shower.energyGeV, 1e-3), kSpotN2 - 1);
  std::array<RadialSlice, 8> slices{};
  double done = 0;  // cumulative fraction of the shower in front of the current layer
  for (const auto& layer : referenceLayers()) {
    const double u0 = std::max(layer.x0Begin - where.startX0, 0.0),
                 u1 = layer.x0End - where.startX0;
    if (u1 <= 0) continue;
    done = regularizedGammaP(shower.alpha, shower.beta * u0);
    if (done > 1 - 1e-7) break;
    if (depositor.layerIndex(layer.id) < 0) continue;
    double layerFraction = 0, previous = done;
    const int n = std::min<int>(layer.slices, static_cast<int>(slices.size()));
    for (int i = 0; i < n; ++i) {
      const double a = u0 + (u1 - u0) * i / n, b = u0 + (u1 - u0) * (i + 1) / n;
      const double cdf = regularizedGammaP(shower.alpha, shower.beta * b);
      slices[static_cast<std::size_t>(i)] = {
          cdf - previous,
          gflashRadialProfile(shower, 0.5 * (a + b), layer.moliereRadiusMm, medium)};
      layerFraction += cdf - previous;
      previous = cdf;
    }
    const double deposited = energyMeV * layerFraction * where.scale;
    if (!(deposited > 1e-6)) continue;
    // Sampling fluctuations: Gamma-distributed visible energy with variance a^2 E (GeV),
    // as GFlash's ApplySampling does.
    const double a2GeV = layer.emSamplingTerm * layer.emSamplingTerm * 1000.0;
    const double visible = rng.gamma(deposited / a2GeV, a2GeV);
    const double spots = spotsPerGeV / layer.emSamplingTerm * deposited / 1000.0;
    if (where.onAxis)
      depositor.depositCentred(layer.id, visible, spots, slices.data(), static_cast<std::size_t>(n),
                               rng);
    else
      depositor.depositSpots(layer.id, visible, spots, where.x, where.y, slices.data(),
                             static_cast<std::size_t>(n), rng);
  }
}

void EmShowerModel::simulate(double energyMeV, ShowerRng& rng, VoxelDepositor& depositor) const {
  EmDeposit where;
  where.startX0 = rng.exponential(9.0 / 7.0);  // photon conversion point
  where.scale = std::max(0.0, 1 + kConstantTerm * rng.normal());
  depositEmShower(energyMeV, where, rng, depositor);
}

}  // namespace bolo
