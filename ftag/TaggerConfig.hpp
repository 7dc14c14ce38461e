#pragma once
// The configs of the DL1-style tagger, torch-free so that the strict readers can be fuzzed and
// checked without LibTorch: the network and its training (TaggerConfig, the "network" section)
// and `bolo tagger train`'s tagger.json (TaggerRunConfig). ftag/nn/ builds the network from
// them.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace bolo {

struct TaggerConfig {
  std::vector<int> hidden = {128, 64, 32};  ///< hidden layer sizes
  std::string activation = "relu";          ///< one of taggerActivations()
  bool batchNorm = true;
  double learningRate = 1e-3;  ///< Adam
  int batchSize = 256;
  int epochs = 30;         ///< at most
  int patience = 5;        ///< stop after this many epochs without improvement (0: never)
  double minDelta = 1e-4;  ///< an improvement must lower the validation loss by this much
  /// Weight classes by 1 / frequency so b, c and light count equally. Off by default: the
  /// synthetic jets already share one pT/eta spectrum (what the ATLAS resampling is for), and
  /// down-weighting the light jets cost about half of the light rejection (docs/ftag.md).
  bool balanceClasses = false;
  std::uint64_t seed = 1;
  std::string device = "cpu";  ///< auto, cpu, cuda, cuda:N
};

const std::vector<std::string>& taggerActivations();
/// Strict reading; `path` prefixes error messages (e.g. "network").
TaggerConfig taggerConfigFromJson(const nlohmann::json& json, const std::string& path = "");
nlohmann::json toJson(const TaggerConfig& config);

/// The config of `bolo tagger train` (tagger.json): where the jets are, the run name, and
/// the network and its training.
struct TaggerRunConfig {
  std::string data;         ///< jet file; empty: <workdir>/data/jets.h5
  std::string run = "dl1";  ///< output under <workdir>/output/tagger/<run>
  /// CPU threads for LibTorch (0: all cores). One is fastest for networks this small: on a
  /// busy 2-core machine two threads ran an epoch 10x slower than one (docs/benchmarks.md).
  int threads = 1;
  double fc = 0.08;  ///< f_c of D_b for the summary (DL1, ATL-PHYS-PUB-2017-013)
  TaggerConfig network;
};
TaggerRunConfig taggerRunConfigFromJson(const nlohmann::json& json);
nlohmann::json toJson(const TaggerRunConfig& config);

}  // namespace bolo
