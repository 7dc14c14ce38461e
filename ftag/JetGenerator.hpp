#pragma once
// Synthetic jets with the DL1 input variables. Each jet is simulated from its truth (pT, eta,
// the b- or c-hadron decay chain, fragmentation tracks, long-lived light hadrons and photon
// conversions); the tagging algorithms (IP2D/IP3D, SV1, JetFitter) are then run on the
// reconstructed tracks, so their variables carry the correlations of the underlying decay.
// See docs/ftag.md for the physics and its simplifications.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "ftag/JetSample.hpp"

namespace bolo {

struct JetGeneratorConfig {
  std::uint64_t seed = 20170613;
  std::size_t trainJets = 30000;
  std::size_t validationJets = 10000;
  std::size_t testJets = 200000;  ///< large: rejections of O(100) need many light jets
  /// Flavour fractions of ttbar-like jets (pT > 20 GeV, |eta| < 2.5); must sum to 1.
  double fractionB = 0.25;
  double fractionC = 0.10;
  double fractionLight = 0.65;
  double ptMinGeV = 20;
  double ptMaxGeV = 500;
  /// Jets per flavour simulated to fill the IP2D/IP3D track templates (as ATLAS derives
  /// them from simulation); independent of the split samples.
  std::size_t templateJets = 20000;
};

/// Strict reading of the "jets.json" config (see ConfigReader).
JetGeneratorConfig jetGeneratorConfigFromJson(const nlohmann::json& json,
                                              const std::string& path = "");
nlohmann::json toJson(const JetGeneratorConfig& config);

/// Simulate the train, validation and test samples. Deterministic for a given config: the
/// same seed gives bit-identical samples. Each split holds exactly round(N * fraction) jets
/// of each flavour (the light count absorbs rounding), in a seeded random order.
JetSplits generateJets(const JetGeneratorConfig& config);

}  // namespace bolo
