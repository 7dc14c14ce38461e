#include "calo/ShowerModelCommon.hpp"

#include <algorithm>
#include <numbers>

namespace bolo {

namespace {

// Minimum-ionising energy loss at the electromagnetic scale: about 12 MeV per radiation
// length in the accordion (about 290 MeV across the LAr barrel) and about 230 MeV per
// interaction length in the iron/scintillator tile (about 1.7 GeV across it).
constexpr double kLArMipPerLambda = 12.0 * (kLArLead.lambdaMm / kLArLead.x0Mm);
constexpr double kTileMipPerLambda = 230.0;
// Tile barrel: 4.7:1 iron to scintillator by volume gives X0 = 21 mm and lambda = 194 mm,
// R_M about 20 mm. Electron resolution about 28%/sqrt(E).
constexpr double kTileMoliereMm = 20.0;

/// atan2 to within 1e-5 rad (a degree-11 odd polynomial for atan on [0, 1], Abramowitz &
/// Stegun 4.4.49-style minimax coefficients), several times faster than libm's; only used to
/// find alpha bins, where a spot within 1e-5 rad of a bin edge may land on either side.
double fastAtan2(double y, double x) {
  const double ax = std::fabs(x), ay = std::fabs(y);
  const double big = std::max(ax, ay);
  if (big == 0) return 0;
  const double t = std::min(ax, ay) / big, t2 = t * t;
  double a =
      t * (0.99997726 +
           t2 * (-0.33262347 +
                 t2 * (0.19354346 + t2 * (-0.11643287 + t2 * (0.05265332 + t2 * -0.01172120)))));
  if (ay > ax) a = std::numbers::pi / 2 - a;
  if (x < 0) a = std::numbers::pi - a;
  return y < 0 ? -a : a;
}

}  // namespace

const std::array<ReferenceLayer, 7>& referenceLayers() {
  // id, X0 range, lambda range, EM sampling, hadron sampling, R_M, MIP/lambda, slices.
  // 1.6 X0 (0.16 lambda) of inner detector, solenoid and cryostat in front of the presampler;
  // LAr barrel 22 X0 = 1.08 lambda (strips 4, middle 16, back 2 X0); 0.32 lambda of cryostat
  // and gap; tile A, BC, D 1.5, 4.1 and 1.8 lambda (9.2 X0 per lambda in the tile).
  static const std::array<ReferenceLayer, 7> layers = {{
      {0, 1.6, 2.0, 0.160, 0.200, 0.10, 0.45, kLArLead.moliereRadiusMm, kLArMipPerLambda, 1},
      {1, 2.0, 6.0, 0.200, 0.396, 0.10, 0.45, kLArLead.moliereRadiusMm, kLArMipPerLambda, 4},
      {2, 6.0, 22.0, 0.396, 1.181, 0.10, 0.45, kLArLead.moliereRadiusMm, kLArMipPerLambda, 8},
      {3, 22.0, 24.0, 1.181, 1.279, 0.10, 0.45, kLArLead.moliereRadiusMm, kLArMipPerLambda, 1},
      {12, 26.0, 39.75, 1.600, 3.100, 0.28, 0.50, kTileMoliereMm, kTileMipPerLambda, 3},
      {13, 39.75, 77.35, 3.100, 7.200, 0.28, 0.50, kTileMoliereMm, kTileMipPerLambda, 4},
      {14, 77.35, 93.85, 7.200, 9.000, 0.28, 0.50, kTileMoliereMm, kTileMipPerLambda, 2},
  }};
  return layers;
}

double x0AtLambda(double lambda) {
  if (lambda <= 0) return 0;
  double previousLambda = 0, previousX0 = 0;
  for (const auto& layer : referenceLayers()) {
    for (const auto& [l, x] :
         {std::pair{layer.lambdaBegin, layer.x0Begin}, std::pair{layer.lambdaEnd, layer.x0End}}) {
      if (lambda <= l) {
        return previousX0 + (x - previousX0) * (lambda - previousLambda) / (l - previousLambda);
      }
      previousLambda = l;
      previousX0 = x;
    }
  }
  const auto& last = referenceLayers().back();
  const double x0PerLambda = (last.x0End - last.x0Begin) / (last.lambdaEnd - last.lambdaBegin);
  return last.x0End + (lambda - last.lambdaEnd) * x0PerLambda;
}

double regularizedGammaP(double a, double x) {
  if (x <= 0) return 0;
  const double logPrefactor = a * std::log(x) - x - std::lgamma(a);
  if (x < a + 1) {
    // Series: P = x^a e^-x / Gamma(a + 1) * sum x^n / ((a + 1) ... (a + n)).
    double term = 1.0 / a, sum = term;
    for (int n = 1; n < 500; ++n) {
      term *= x / (a + n);
      sum += term;
      if (term < sum * 1e-15) break;
    }
    return std::min(1.0, sum * std::exp(logPrefactor));
  }
  // Continued fraction for Q = 1 - P (modified Lentz), converging fast for x > a + 1.
  constexpr double kTiny = 1e-300;
  double b = x + 1 - a, c = 1 / kTiny, d = 1 / b, h = d;
  for (int i = 1; i < 500; ++i) {
    const double an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = b + an / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1) < 1e-15) break;
  }
  return std::max(0.0, 1.0 - std::exp(logPrefactor) * h);
}

VoxelDepositor::VoxelDepositor(const ShowerGeometry& geometry)
    : m_geometry(&geometry), m_energies(geometry.voxelCount(), 0.0) {
  m_layerIndex.fill(-1);
  std::size_t maxRadial = 0, maxVoxels = 0;
  for (std::size_t i = 0; i < geometry.layers().size(); ++i) {
    const auto& layer = geometry.layers()[i];
    if (layer.id >= 0 && layer.id < static_cast<int>(m_layerIndex.size())) {
      m_layerIndex[static_cast<std::size_t>(layer.id)] = static_cast<int>(i);
    }
    maxRadial = std::max(maxRadial, static_cast<std::size_t>(layer.radialBins()));
    maxVoxels = std::max(maxVoxels, layer.voxelCount());
  }
  m_radialFractions.resize(maxRadial);
  m_counts.resize(maxVoxels);
}

void VoxelDepositor::clear() {
  std::fill(m_energies.begin(), m_energies.end(), 0.0);
}

int VoxelDepositor::layerIndex(int layerId) const {
  if (layerId < 0 || layerId >= static_cast<int>(m_layerIndex.size())) return -1;
  return m_layerIndex[static_cast<std::size_t>(layerId)];
}

void VoxelDepositor::depositCentred(int layerId, double energy, double spots,
                                    const RadialSlice* slices, std::size_t sliceCount,
                                    ShowerRng& rng) {
  const int index = layerIndex(layerId);
  if (index < 0 || !(energy > 0) || sliceCount == 0) return;
  const CaloLayer& layer = m_geometry->layers()[static_cast<std::size_t>(index)];
  const int radialBins = layer.radialBins(), alphaBins = layer.alphaBins;
  double totalWeight = 0;
  for (std::size_t s = 0; s < sliceCount; ++s) totalWeight += slices[s].weight;
  if (!(totalWeight > 0)) return;

  // Expected fraction of the layer's energy in each radial bin.
  double previous = 0;
  for (int r = 0; r < radialBins; ++r) {
    const double edge = layer.rEdges[static_cast<std::size_t>(r) + 1];
    double cdf = 0;
    for (std::size_t s = 0; s < sliceCount; ++s)
      cdf += slices[s].weight * slices[s].profile.cdf(edge);
    cdf /= totalWeight;
    m_radialFractions[static_cast<std::size_t>(r)] = cdf - previous;
    previous = cdf;
  }
  const double contained = previous;  // the rest lies beyond the last radial edge
  if (!(contained > 0)) return;

  // Spots per voxel are Poisson: given their total, the voxel counts are multinomial, which
  // is what drawing the spots one by one would give.
  long long total = 0;
  const double perAlpha = spots / alphaBins;
  for (int a = 0; a < alphaBins; ++a) {
    for (int r = 0; r < radialBins; ++r) {
      const auto v = static_cast<std::size_t>(a * radialBins + r);
      m_counts[v] = rng.poisson(perAlpha * m_radialFractions[static_cast<std::size_t>(r)]);
      total += m_counts[v];
    }
  }
  double* out = m_energies.data() + layer.firstVoxel;
  if (total == 0) {
    // Fewer than one spot expected and none drawn: the energy is one spot, placed by the
    // profile (most probable radial bin, random alpha bin).
    const auto best =
        std::max_element(m_radialFractions.begin(), m_radialFractions.begin() + radialBins) -
        m_radialFractions.begin();
    const int alpha = std::min(alphaBins - 1, static_cast<int>(rng.uniform() * alphaBins));
    out[alpha * radialBins + best] += energy * contained;
    return;
  }
  const double perSpot = energy * contained / static_cast<double>(total);
  const std::size_t voxels = layer.voxelCount();
  for (std::size_t v = 0; v < voxels; ++v) out[v] += perSpot * static_cast<double>(m_counts[v]);
}

void VoxelDepositor::depositSpots(int layerId, double energy, double spots, double x, double y,
                                  const RadialSlice* slices, std::size_t sliceCount,
                                  ShowerRng& rng) {
  const int index = layerIndex(layerId);
  if (index < 0 || !(energy > 0) || sliceCount == 0) return;
  const CaloLayer& layer = m_geometry->layers()[static_cast<std::size_t>(index)];
  const int radialBins = layer.radialBins(), alphaBins = layer.alphaBins;
  double totalWeight = 0;
  for (std::size_t s = 0; s < sliceCount; ++s) totalWeight += slices[s].weight;
  if (!(totalWeight > 0)) return;

  const long long n = std::clamp<long long>(std::llround(spots), 1, kMaxExplicitSpots);
  const double perSpot = energy / static_cast<double>(n);
  const double outer = layer.rEdges.back();
  double* out = m_energies.data() + layer.firstVoxel;
  for (long long i = 0; i < n; ++i) {
    std::size_t s = 0;
    if (sliceCount > 1) {
      double pick = rng.uniform() * totalWeight;
      while (s + 1 < sliceCount && pick >= slices[s].weight) pick -= slices[s++].weight;
    }
    const double r = slices[s].profile.sample(rng);
    // A uniform direction without trigonometry (von Neumann): (u^2 - v^2, 2uv) / (u^2 + v^2).
    double u, v, norm;
    do {
      u = 2 * rng.uniform() - 1;
      v = 2 * rng.uniform() - 1;
      norm = u * u + v * v;
    } while (norm >= 1 || norm < 1e-12);
    const double px = x + r * (u * u - v * v) / norm, py = y + r * 2 * u * v / norm;
    const double radius = std::sqrt(px * px + py * py);
    if (!(radius < outer)) continue;  // outside the voxelised region
    const int radial =
        static_cast<int>(std::upper_bound(layer.rEdges.begin() + 1, layer.rEdges.end(), radius) -
                         (layer.rEdges.begin() + 1));
    int alpha = 0;
    if (alphaBins > 1) {
      alpha = std::min(alphaBins - 1, static_cast<int>((fastAtan2(py, px) + std::numbers::pi) /
                                                       (2 * std::numbers::pi) * alphaBins));
    }
    out[alpha * radialBins + radial] += perSpot;
  }
}

void VoxelDepositor::write(float* row) const {
  for (std::size_t v = 0; v < m_energies.size(); ++v) row[v] = static_cast<float>(m_energies[v]);
}

}  // namespace bolo
