#include "ftag/JetGenerator.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <random>
#include <unordered_map>

#include "common/ConfigReader.hpp"
#include "common/Error.hpp"

namespace bolo {

namespace {

constexpr double kPionMass = 0.1396;  // GeV

// ---------------------------------------------------------------- small vector algebra
struct V3 {
  double x = 0, y = 0, z = 0;
};
V3 operator+(V3 a, V3 b) {
  return {a.x + b.x, a.y + b.y, a.z + b.z};
}
V3 operator-(V3 a, V3 b) {
  return {a.x - b.x, a.y - b.y, a.z - b.z};
}
V3 operator*(double s, V3 a) {
  return {s * a.x, s * a.y, s * a.z};
}
double dot(V3 a, V3 b) {
  return a.x * b.x + a.y * b.y + a.z * b.z;
}
double norm(V3 a) {
  return std::sqrt(dot(a, a));
}
V3 unit(V3 a) {
  const double n = norm(a);
  return n > 0 ? (1.0 / n) * a : V3{0, 0, 1};
}

struct P4 {
  double e = 0;
  V3 p;
};
P4 operator+(P4 a, P4 b) {
  return {a.e + b.e, a.p + b.p};
}
double mass(const P4& q) {
  return std::sqrt(std::max(0.0, q.e * q.e - dot(q.p, q.p)));
}

/// Lorentz boost of `q` by velocity `beta`.
P4 boost(const P4& q, V3 beta) {
  const double b2 = dot(beta, beta);
  if (b2 <= 0) return q;
  const double gamma = 1 / std::sqrt(1 - std::min(b2, 1 - 1e-12));
  const double bp = dot(beta, q.p);
  const double factor = (gamma - 1) * bp / b2 + gamma * q.e;
  return {gamma * (q.e + bp), q.p + factor * beta};
}

// ---------------------------------------------------------------- random numbers
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : m_engine(seed) {}
  double uniform() { return std::uniform_real_distribution<double>(0, 1)(m_engine); }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  double normal(double mean = 0, double sigma = 1) {
    return std::normal_distribution<double>(mean, sigma)(m_engine);
  }
  double exponential(double mean) { return -mean * std::log(1 - uniform()); }
  double gamma(double shape, double scale) {
    return std::gamma_distribution<double>(shape, scale)(m_engine);
  }
  int poisson(double mean) { return mean > 0 ? std::poisson_distribution<int>(mean)(m_engine) : 0; }
  bool chance(double p) { return uniform() < p; }
  V3 isotropic() {
    const double c = uniform(-1, 1), phi = uniform(0, 2 * std::numbers::pi),
                 s = std::sqrt(1 - c * c);
    return {s * std::cos(phi), s * std::sin(phi), c};
  }
  std::mt19937_64& engine() { return m_engine; }

 private:
  std::mt19937_64 m_engine;
};

std::uint64_t splitMix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/// n massless momenta with total energy `m` at rest, uniform in phase space (RAMBO).
std::vector<P4> rambo(int n, double m, Rng& rng) {
  std::vector<P4> q(static_cast<std::size_t>(n));
  P4 sum;
  for (auto& k : q) {
    const double e = -std::log(std::max(1e-300, rng.uniform() * rng.uniform()));
    k = {e, e * rng.isotropic()};
    sum = sum + k;
  }
  const double mq = mass(sum);
  const V3 b = (-1.0 / mq) * sum.p;
  const double x = m / mq, gamma = sum.e / mq, a = 1 / (1 + gamma);
  for (auto& k : q) {
    const double bq = dot(b, k.p);
    k = {x * (gamma * k.e + bq), x * (k.p + (k.e + a * bq) * b)};
  }
  return q;
}

// ---------------------------------------------------------------- truth of one jet
enum Origin { kPrompt = 0, kBDecay = 1, kCDecay = 2, kLongLived = 3 };

struct Particle {
  P4 momentum;  ///< jet frame: z along the true jet axis, GeV
  V3 vertex;    ///< production point, mm
  int origin = kPrompt;
  int vertexId = 0;  ///< which decay vertex (0 = primary)
};

struct Hadron {
  double mass, ctau, weight;
};
// Charm hadrons produced in c fragmentation (and in b -> c cascades): mass GeV, c*tau mm.
constexpr std::array<Hadron, 4> kCharmHadrons = {
    {{1.865, 0.123, 0.55}, {1.870, 0.312, 0.25}, {1.968, 0.151, 0.10}, {2.286, 0.060, 0.10}}};
constexpr double kBMass = 5.28, kBCtau = 0.47;

const Hadron& pickCharm(Rng& rng) {
  double u = rng.uniform();
  for (const auto& h : kCharmHadrons) {
    if ((u -= h.weight) <= 0) return h;
  }
  return kCharmHadrons.back();
}

struct TruthJet {
  int flavour = 2;
  double pt = 0, eta = 0;
  std::vector<Particle> charged;  ///< every charged particle (before reconstruction)
  double chargedEnergy = 0;
};

/// Decay a hadron (mass m, lab momentum `p`, at `from`) into `nCharged` charged particles
/// plus one neutral system; appends the charged ones. Returns the decay point.
V3 decay(TruthJet& jet, double m, double ctau, const P4& p, V3 from, int nCharged, int origin,
         int vertexId, Rng& rng, std::vector<P4>* neutrals = nullptr) {
  const double betaGamma = norm(p.p) / m;
  const V3 decayPoint = from + (betaGamma * rng.exponential(ctau)) * unit(p.p);
  const V3 beta = (1 / p.e) * p.p;
  auto products = rambo(nCharged + 1, m, rng);
  for (int i = 0; i < nCharged; ++i) {
    jet.charged.push_back(
        {boost(products[static_cast<std::size_t>(i)], beta), decayPoint, origin, vertexId});
  }
  if (neutrals) neutrals->push_back(boost(products.back(), beta));
  return decayPoint;
}

P4 alongDirection(double momentum, double m, V3 direction) {
  return {std::sqrt(momentum * momentum + m * m), momentum * unit(direction)};
}

/// A small angle to the jet axis: hadrons and fragmentation particles are collimated.
V3 nearAxis(double angle, Rng& rng) {
  const double phi = rng.uniform(0, 2 * std::numbers::pi);
  return {std::sin(angle) * std::cos(phi), std::sin(angle) * std::sin(phi), std::cos(angle)};
}

int charmCharged(Rng& rng) {
  const double u = rng.uniform();  // D decays: 1, 2, 3, 4 charged tracks
  return u < 0.15 ? 1 : u < 0.60 ? 2 : u < 0.85 ? 3 : 4;
}

TruthJet simulateTruth(int flavour, const JetGeneratorConfig& config, Rng& rng) {
  TruthJet jet;
  jet.flavour = flavour;
  do {
    jet.pt = config.ptMinGeV + rng.gamma(1.6, 30.0);
  } while (jet.pt > config.ptMaxGeV);
  jet.eta = rng.uniform(0, 2.5);
  const double p = jet.pt * std::cosh(jet.eta);
  double heavyFraction = 0;
  // Heavy hadron: hard fragmentation, close to the jet axis.
  const double axisSpread = 0.03 + 1.2 / jet.pt;
  if (flavour == static_cast<int>(Flavour::kB)) {
    heavyFraction = std::clamp(rng.normal(0.72, 0.12), 0.25, 0.97);
    const P4 b = alongDirection(heavyFraction * p, kBMass,
                                nearAxis(std::abs(rng.normal(0, axisSpread)), rng));
    // B -> D X: the charm hadron takes a momentum p* in the B rest frame, the rest X decays
    // at the B vertex into charged tracks and neutrals.
    const Hadron& d = pickCharm(rng);
    const double pStar = rng.uniform(0.3, 2.2);
    const V3 dir = rng.isotropic();
    const P4 dRest = alongDirection(pStar, d.mass, dir);
    const P4 xRest = {kBMass - dRest.e, (-1.0) * dRest.p};
    const V3 betaB = (1 / b.e) * b.p;
    int nB = 1 + rng.poisson(1.2);
    const double mX = mass(xRest);
    const V3 bVertex = (norm(b.p) / kBMass * rng.exponential(kBCtau)) * unit(b.p);
    const P4 xLab = boost(xRest, betaB);
    if (mX > 0.3) {
      const V3 betaX = (1 / xLab.e) * xLab.p;
      for (auto& q : rambo(nB + 1, mX, rng)) {
        if (nB-- > 0) jet.charged.push_back({boost(q, betaX), bVertex, kBDecay, 1});
      }
    }
    const P4 dLab = boost(dRest, betaB);
    decay(jet, d.mass, d.ctau, dLab, bVertex, charmCharged(rng), kCDecay, 2, rng);
  } else if (flavour == static_cast<int>(Flavour::kC)) {
    heavyFraction = std::clamp(rng.normal(0.58, 0.15), 0.15, 0.95);
    const Hadron& d = pickCharm(rng);
    const P4 c = alongDirection(heavyFraction * p, d.mass,
                                nearAxis(std::abs(rng.normal(0, axisSpread)), rng));
    decay(jet, d.mass, d.ctau, c, {}, charmCharged(rng), kCDecay, 2, rng);
  }
  // Fragmentation: charged particles from the primary vertex share about 60% of the rest.
  const double rest = 0.6 * (1 - heavyFraction) * p;
  const int nPrompt = 1 + rng.poisson((1 - 0.7 * heavyFraction) * (2.5 + jet.pt / 18));
  std::vector<double> shares(static_cast<std::size_t>(nPrompt));
  double total = 0;
  for (auto& s : shares) total += (s = rng.exponential(1.0) * rng.exponential(1.0) + 0.05);
  for (double s : shares) {
    const double momentum = rest * s / total;
    const double angle = std::min(1.0, rng.exponential(0.35) / std::max(momentum, 0.2));
    jet.charged.push_back(
        {alongDirection(momentum, kPionMass, nearAxis(angle, rng)), {}, kPrompt, 0});
  }
  // Long-lived light hadrons and photon conversions, in any jet: K0s, Lambda, gamma -> ee.
  const double u = rng.uniform();
  if (u < 0.17) {
    const bool conversion = u < 0.05;
    const double m = conversion ? 0.002 : u < 0.07 ? 1.116 : 0.498;
    const double ctau = u < 0.07 ? 78.9 : 26.8;
    const double momentum = rng.uniform(0.05, 0.3) * p;
    const P4 v0 =
        alongDirection(momentum, m, nearAxis(std::abs(rng.normal(0, 2 * axisSpread)), rng));
    if (conversion) {
      // Conversions happen in the material: the beam pipe and the pixel layers.
      const double radius = rng.chance(0.4) ? 29.0 : rng.uniform(33, 125);
      const V3 at = radius * unit(v0.p);
      const V3 beta = (1 / v0.e) * v0.p;
      for (auto& q : rambo(2, m, rng)) jet.charged.push_back({boost(q, beta), at, kLongLived, 3});
    } else {
      decay(jet, m, ctau, v0, {}, 2, kLongLived, 3, rng);
    }
  }
  // Hadronic interactions in the material (beam pipe, pixel layers): multi-track displaced
  // vertices with masses of a few GeV, the main source of light jets that look like b-jets.
  if (rng.chance(0.06)) {
    constexpr std::array<double, 4> kLayers = {29.0, 33.25, 50.5, 88.5};
    const double radius =
        kLayers[static_cast<std::size_t>(rng.uniform() * 3.999)] + rng.normal(0, 1.0);
    const double m = rng.uniform(0.6, 2.5);
    const P4 hadron = alongDirection(rng.uniform(0.05, 0.25) * p, m,
                                     nearAxis(std::abs(rng.normal(0, 2 * axisSpread)), rng));
    const V3 at = radius * unit(hadron.p);
    const V3 beta = (1 / hadron.e) * hadron.p;
    const int n = 2 + rng.poisson(0.8);
    auto products = rambo(n + 1, m, rng);
    for (int i = 0; i < n; ++i)
      jet.charged.push_back(
          {boost(products[static_cast<std::size_t>(i)], beta), at, kLongLived, 3});
  }
  for (const auto& c : jet.charged) jet.chargedEnergy += c.momentum.e;
  return jet;
}

// ---------------------------------------------------------------- reconstruction
struct Track {
  double pt = 0;      ///< transverse to the beam, GeV
  double d0Sig = 0;   ///< signed transverse impact-parameter significance
  double z0Sig = 0;   ///< signed longitudinal impact-parameter significance
  double d0 = 0;      ///< mm, signed
  double relEta = 0;  ///< pseudorapidity relative to the jet axis
  P4 momentum;
  V3 vertex;
  int origin = 0, vertexId = 0;
};

std::vector<Track> reconstructTracks(const TruthJet& jet, Rng& rng) {
  const double cosh = std::cosh(jet.eta);
  const double tanhEta = std::tanh(jet.eta);
  // Beam direction in the jet frame, and the jet axis as measured (calorimeter resolution).
  const V3 beam = {std::sqrt(1 - tanhEta * tanhEta), 0, tanhEta};
  const V3 axis = unit({rng.normal(0, 0.012), rng.normal(0, 0.012), 1});
  std::vector<Track> tracks;
  for (const auto& c : jet.charged) {
    const double pTrack = norm(c.momentum.p);
    const double pt = pTrack / cosh;
    const double radius = std::hypot(norm(c.vertex - dot(c.vertex, beam) * beam), 0.0);
    const double efficiency = radius < 35 ? 0.92 : radius < 130 ? 0.45 : 0.0;
    if (pt < 1.0 || !rng.chance(efficiency)) continue;
    const V3 u = unit(c.momentum.p);
    const V3 pca = c.vertex - dot(c.vertex, u) * u;  // point of closest approach to the PV
    const double along = dot(pca, beam);
    const double d0True = norm(pca - along * beam), z0True = std::abs(along) * cosh;
    // Lifetime sign: positive when the point of closest approach lies ahead along the jet.
    const double sign = dot(pca, axis) >= 0 ? 1.0 : -1.0;
    // Resolutions (mm): intrinsic plus multiple scattering ~ 1/pT; worse forward for z0.
    const double sigmaD0 = std::hypot(0.015, 0.110 / pt) * std::sqrt(cosh);
    const double sigmaZ0 = std::hypot(0.060, 0.110 / pt) * cosh;
    // Non-Gaussian tails: hard scatters in the material widen a few % of tracks.
    const double tail = rng.chance(0.05) ? 4.0 : 1.0;
    // Hadronic interactions and wrong hit assignments give a few % of all tracks a genuine
    // offset, mostly on the positive side (the interaction happens downstream).
    double offset = 0;
    if (rng.chance(0.08)) offset = (rng.chance(0.65) ? 1.0 : -1.0) * rng.exponential(0.25);
    Track t;
    t.pt = pt;
    t.d0 = sign * d0True + offset + tail * rng.normal(0, sigmaD0);
    t.d0Sig = t.d0 / sigmaD0;
    t.z0Sig = (sign * z0True + tail * rng.normal(0, sigmaZ0)) / sigmaZ0;
    const double angle = std::acos(std::clamp(dot(u, axis), -1.0, 1.0));
    t.relEta = -std::log(std::tan(std::max(angle, 1e-4) / 2));
    t.momentum = c.momentum;
    t.vertex = c.vertex;
    t.origin = c.origin;
    t.vertexId = c.vertexId;
    tracks.push_back(t);
  }
  return tracks;
}

// ---------------------------------------------------------------- IP2D / IP3D templates
const std::vector<double>& d0Edges() {
  static const std::vector<double> edges = {-40,  -20, -10, -6, -4,  -3, -2, -1.5, -1,
                                            -0.5, 0,   0.5, 1,  1.5, 2,  3,  4,    6,
                                            8,    10,  15,  20, 30,  40, 60, 100};
  return edges;
}
const std::vector<double>& z0Edges() {
  static const std::vector<double> edges = {-40, -10, -4, -2, -1, 0, 1, 2, 4, 10, 40};
  return edges;
}

std::size_t binOf(const std::vector<double>& edges, double x) {
  const auto it = std::upper_bound(edges.begin(), edges.end(), x);
  const auto index = static_cast<std::size_t>(std::max<std::ptrdiff_t>(1, it - edges.begin()));
  return std::min(index, edges.size() - 1) - 1;
}

/// Per-flavour probability of a track's significances, as ATLAS fills them from simulation.
struct IpTemplates {
  std::array<std::vector<double>, kFlavourCount> ip2d, ip3d;  ///< log probability per bin
};

bool ipSelected(const Track& t) {
  return std::abs(t.d0) < 1.0;
}

IpTemplates buildTemplates(const JetGeneratorConfig& config) {
  const std::size_t nd = d0Edges().size() - 1, nz = z0Edges().size() - 1;
  IpTemplates templates;
  for (int f = 0; f < kFlavourCount; ++f) {
    std::vector<double> h2(nd, 0.5), h3(nd * nz, 0.5);  // +0.5: no empty bins
    Rng rng(splitMix(config.seed ^ 0x1f2e3d4c5b6a7988ULL) + static_cast<std::uint64_t>(f));
    for (std::size_t j = 0; j < config.templateJets; ++j) {
      const auto truth = simulateTruth(f, config, rng);
      for (const auto& t : reconstructTracks(truth, rng)) {
        if (!ipSelected(t)) continue;
        const std::size_t bd = binOf(d0Edges(), t.d0Sig);
        h2[bd] += 1;
        h3[bd * nz + binOf(z0Edges(), t.z0Sig)] += 1;
      }
    }
    for (auto* h : {&h2, &h3}) {
      double sum = 0;
      for (double v : *h) sum += v;
      for (double& v : *h) v = std::log(v / sum);
    }
    templates.ip2d[static_cast<std::size_t>(f)] = std::move(h2);
    templates.ip3d[static_cast<std::size_t>(f)] = std::move(h3);
  }
  return templates;
}

// ---------------------------------------------------------------- the tagging algorithms
struct VertexSummary {
  double mass = 0, energy = 0, flight = 0, lxy = 0, sig3d = 0, deltaR = 0;
  int tracks = 0;
};

double pseudoDeltaR(V3 direction, double eta) {
  // Small angles: Delta R ~ angle * cosh(eta) (the eta-phi metric stretches forward).
  return std::acos(std::clamp(unit(direction).z, -1.0, 1.0)) * std::cosh(eta);
}

/// Fit a vertex to `tracks`: invariant mass with pion hypotheses, a position resolution that
/// improves with more tracks, and the flight direction measured from the fitted position.
VertexSummary fitVertex(const std::vector<const Track*>& tracks, double eta, Rng& rng) {
  VertexSummary v;
  P4 sum;
  V3 position;
  for (const Track* t : tracks) {
    sum = sum +
          P4{std::sqrt(dot(t->momentum.p, t->momentum.p) + kPionMass * kPionMass), t->momentum.p};
    position = position + t->vertex;
  }
  v.tracks = static_cast<int>(tracks.size());
  position = (1.0 / static_cast<double>(tracks.size())) * position;
  const double sigma = 0.08 / std::sqrt(static_cast<double>(tracks.size())) + 0.01 * norm(position);
  position = position + V3{rng.normal(0, sigma), rng.normal(0, sigma), rng.normal(0, 3 * sigma)};
  v.mass = mass(sum);
  v.energy = sum.e;
  v.flight = norm(position);
  v.lxy = v.flight / std::cosh(eta);
  v.sig3d = v.flight / (sigma * std::sqrt(3.0));
  v.deltaR = pseudoDeltaR(position, eta);
  return v;
}

/// Both tracks of a V0 candidate are removed when the pair mass is near K0s / Lambda or
/// near zero (conversion); the veto is not fully efficient.
std::vector<const Track*> vetoLongLived(std::vector<const Track*> candidates, Rng& rng) {
  std::vector<const Track*> kept;
  const bool veto = rng.chance(0.7);
  for (const Track* t : candidates) {
    if (veto && t->origin == kLongLived) continue;
    kept.push_back(t);
  }
  return kept;
}

void fillJet(const TruthJet& jet, const std::vector<Track>& tracks, const IpTemplates& templates,
             Rng& rng, float* row) {
  const auto& variables = jetVariables();
  for (std::size_t v = 0; v < variables.size(); ++v) row[v] = variables[v].defaultValue;
  static const auto index = [] {
    std::unordered_map<std::string, std::size_t> map;
    for (std::size_t v = 0; v < jetVariables().size(); ++v) map[jetVariables()[v].name] = v;
    return map;
  }();
  auto set = [&](const char* name, double value) {
    row[index.at(name)] = static_cast<float>(value);
  };
  set("pt", jet.pt);
  set("abs_eta", jet.eta);
  set("ip_missing", 1);
  set("sv1_missing", 1);
  set("jf_missing", 1);
  set("jfc_missing", 1);

  // IP2D / IP3D: sum over tracks of log-likelihood ratios from the per-flavour templates.
  std::array<double, kFlavourCount> ll2{}, ll3{};
  int ipTracks = 0;
  const std::size_t nz = z0Edges().size() - 1;
  for (const auto& t : tracks) {
    if (!ipSelected(t)) continue;
    ++ipTracks;
    const std::size_t bd = binOf(d0Edges(), t.d0Sig), b3 = bd * nz + binOf(z0Edges(), t.z0Sig);
    for (std::size_t f = 0; f < kFlavourCount; ++f) {
      ll2[f] += templates.ip2d[f][bd];
      ll3[f] += templates.ip3d[f][b3];
    }
  }
  if (ipTracks > 0) {
    set("ip_missing", 0);
    set("ip2d_llr_bu", ll2[0] - ll2[2]);
    set("ip2d_llr_bc", ll2[0] - ll2[1]);
    set("ip2d_llr_cu", ll2[1] - ll2[2]);
    set("ip3d_llr_bu", ll3[0] - ll3[2]);
    set("ip3d_llr_bc", ll3[0] - ll3[1]);
    set("ip3d_llr_cu", ll3[1] - ll3[2]);
  }
  double trackEnergy = 0;
  for (const auto& t : tracks) trackEnergy += t.momentum.e;

  // SV1: one inclusive vertex from all significantly displaced tracks.
  std::vector<const Track*> svCandidates;
  for (const auto& t : tracks) {
    if (t.d0Sig > 2.0 && std::abs(t.d0) < 3.5) svCandidates.push_back(&t);
  }
  svCandidates = vetoLongLived(svCandidates, rng);
  if (svCandidates.size() >= 2 && rng.chance(0.92)) {
    const auto v = fitVertex(svCandidates, jet.eta, rng);
    const int n = v.tracks;
    int pairs = 0;  // two-track vertices: pairs from the same decay fit well, others rarely
    for (std::size_t i = 0; i < svCandidates.size(); ++i)
      for (std::size_t j = i + 1; j < svCandidates.size(); ++j)
        pairs += (svCandidates[i]->vertexId == svCandidates[j]->vertexId &&
                  svCandidates[i]->vertexId > 0) ||
                         rng.chance(0.25)
                     ? 1
                     : 0;
    set("sv1_missing", 0);
    set("sv1_mass", v.mass);
    set("sv1_efrac", v.energy / trackEnergy);
    set("sv1_n2t", pairs);
    set("sv1_ntrkv", n);
    set("sv1_lxy", v.lxy);
    set("sv1_l3d", v.flight);
    set("sv1_sig3d", v.sig3d);
    set("sv1_deltar", v.deltaR);
  }

  // JetFitter: vertices along one flight axis (b -> c chain), single-track vertices allowed.
  std::vector<const Track*> jfCandidates;
  for (const auto& t : tracks) {
    if (t.d0Sig > 1.8 && std::abs(t.d0) < 3.5) jfCandidates.push_back(&t);
  }
  jfCandidates = vetoLongLived(jfCandidates, rng);
  std::vector<std::vector<const Track*>> vertices;
  for (int id = 1; id <= 3; ++id) {
    std::vector<const Track*> group;
    for (const Track* t : jfCandidates)
      if (t->vertexId == id) group.push_back(t);
    if (!group.empty()) vertices.push_back(group);
  }
  for (const Track* t : jfCandidates) {  // fluctuating prompt tracks: single-track vertices
    if (t->vertexId == 0 && rng.chance(0.5)) vertices.push_back({t});
  }
  if (!vertices.empty() && rng.chance(0.95)) {
    std::vector<const Track*> all;
    int multi = 0, single = 0;
    for (const auto& g : vertices) {
      all.insert(all.end(), g.begin(), g.end());
      (g.size() >= 2 ? multi : single) += 1;
    }
    const auto v = fitVertex(all, jet.eta, rng);
    int pairs = 0;
    for (const auto& g : vertices) pairs += static_cast<int>(g.size() * (g.size() - 1) / 2);
    set("jf_missing", 0);
    set("jf_mass", v.mass);
    set("jf_efrac", v.energy / trackEnergy);
    set("jf_deltar", v.deltaR);
    set("jf_nvtx", multi);
    set("jf_nvtx1t", single);
    set("jf_ntrkatvx", v.tracks);
    set("jf_n2tpair", pairs);
    set("jf_sig3d", v.sig3d);
    // c-tagging variables: the multi-track vertex nearest to the primary vertex.
    const std::vector<const Track*>* first = nullptr;
    double nearest = 1e30;
    for (const auto& g : vertices) {
      const double distance = norm(g.front()->vertex);
      if (g.size() >= 2 && distance < nearest) {
        nearest = distance;
        first = &g;
      }
    }
    if (first) {
      const auto fv = fitVertex(*first, jet.eta, rng);
      double lo = 1e30, hi = 0, sum = 0;
      for (const Track* t : *first) {
        lo = std::min(lo, t->relEta);
        hi = std::max(hi, t->relEta);
        sum += t->relEta;
      }
      set("jfc_missing", 0);
      set("jfc_vtx_mass", fv.mass);
      set("jfc_vtx_ntrk", fv.tracks);
      set("jfc_vtx_efrac", fv.energy / trackEnergy);
      set("jfc_vtx_lxy", fv.lxy);
      set("jfc_min_trk_rel_eta", lo);
      set("jfc_avg_trk_rel_eta", sum / static_cast<double>(first->size()));
      set("jfc_max_trk_rel_eta", hi);
    }
  }
}

JetSample generateSplit(const JetGeneratorConfig& config, const IpTemplates& templates,
                        std::size_t jets, std::uint64_t splitIndex) {
  JetSample sample;
  sample.variables = jetVariables().size();
  const auto nB =
      static_cast<std::size_t>(std::llround(static_cast<double>(jets) * config.fractionB));
  const auto nC =
      static_cast<std::size_t>(std::llround(static_cast<double>(jets) * config.fractionC));
  if (nB + nC > jets) throw InputError("jets: flavour fractions give more b and c jets than jets");
  sample.labels.assign(jets, static_cast<int>(Flavour::kLight));
  std::fill_n(sample.labels.begin(), nB, static_cast<int>(Flavour::kB));
  std::fill_n(sample.labels.begin() + static_cast<std::ptrdiff_t>(nB), nC,
              static_cast<int>(Flavour::kC));
  Rng order(splitMix(config.seed * 31 + splitIndex));
  std::shuffle(sample.labels.begin(), sample.labels.end(), order.engine());
  sample.features.resize(jets * sample.variables);
  for (std::size_t i = 0; i < jets; ++i) {
    Rng rng(splitMix(splitMix(config.seed + splitIndex) + i));
    const auto truth = simulateTruth(sample.labels[i], config, rng);
    const auto tracks = reconstructTracks(truth, rng);
    fillJet(truth, tracks, templates, rng, sample.row(i));
  }
  return sample;
}

}  // namespace

JetGeneratorConfig jetGeneratorConfigFromJson(const nlohmann::json& json, const std::string& path) {
  JetGeneratorConfig c;
  ConfigReader r(json, path);
  unsigned long long seed = c.seed;
  r.read("seed", seed);
  c.seed = seed;
  auto readCount = [&](const char* key, std::size_t& value, bool allowZero) {
    long long n = static_cast<long long>(value);
    r.read(key, n);
    if (n < (allowZero ? 0 : 1))
      r.fail(key, allowZero ? "a non-negative integer" : "a positive integer");
    value = static_cast<std::size_t>(n);
  };
  readCount("train", c.trainJets, false);
  readCount("validation", c.validationJets, false);
  readCount("test", c.testJets, false);
  readCount("template_jets", c.templateJets, false);
  auto fractions = r.section("fractions");
  fractions.readInRange("b", c.fractionB, 0, 1);
  fractions.readInRange("c", c.fractionC, 0, 1);
  fractions.readInRange("light", c.fractionLight, 0, 1);
  fractions.finish();
  if (std::abs(c.fractionB + c.fractionC + c.fractionLight - 1) > 1e-6) {
    fractions.fail("light", fmt::format("fractions b + c + light = 1 (they sum to {})",
                                        c.fractionB + c.fractionC + c.fractionLight));
  }
  r.readPositive("pt_min_gev", c.ptMinGeV);
  r.readPositive("pt_max_gev", c.ptMaxGeV);
  if (c.ptMaxGeV <= c.ptMinGeV) r.fail("pt_max_gev", "a value above pt_min_gev");
  r.finish();
  return c;
}

nlohmann::json toJson(const JetGeneratorConfig& c) {
  return {{"seed", c.seed},
          {"train", c.trainJets},
          {"validation", c.validationJets},
          {"test", c.testJets},
          {"template_jets", c.templateJets},
          {"fractions", {{"b", c.fractionB}, {"c", c.fractionC}, {"light", c.fractionLight}}},
          {"pt_min_gev", c.ptMinGeV},
          {"pt_max_gev", c.ptMaxGeV}};
}

JetSplits generateJets(const JetGeneratorConfig& config) {
  const auto templates = buildTemplates(config);
  return {generateSplit(config, templates, config.trainJets, 1),
          generateSplit(config, templates, config.validationJets, 2),
          generateSplit(config, templates, config.testJets, 3)};
}

}  // namespace bolo
