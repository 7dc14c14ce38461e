#pragma once
// The DL1-style flavour tagger: a fully connected network with three softmax outputs
// (p_b, p_c, p_light), optional batch normalisation, Adam, class-balanced cross-entropy and
// early stopping on the validation loss. The header stays free of torch (pimpl).

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ftag/TaggerConfig.hpp"

namespace bolo::nn {

// The config structs and their strict readers live in ftag/TaggerConfig.hpp (torch-free);
// these names keep `nn::TaggerConfig` and friends working.
using bolo::taggerActivations;
using bolo::TaggerConfig;
using bolo::taggerConfigFromJson;
using bolo::toJson;

struct TaggerHistory {
  std::vector<double> trainLoss, validationLoss;  ///< per epoch
  double bestValidationLoss = 0;
  int bestEpoch = 0;  ///< 1-based epoch of the kept weights
  int epochs = 0;     ///< epochs run
  bool stoppedEarly = false;
  /// Set when `TrainingHooks::continueAfterEpoch` ended the training (successive halving).
  bool pruned = false;
  std::string device;
};
nlohmann::json toJson(const TaggerHistory& history);

struct TrainingHooks {
  /// Called after each epoch with its number (1-based) and losses.
  std::function<void(int epoch, double trainLoss, double validationLoss)> onEpoch;
  /// Polled between batches; true stops the training by throwing the stop error of
  /// common/StopSignal (the caller decides what was saved).
  std::function<bool()> stopRequested;
  /// After each epoch: false ends the training now (the best weights so far are kept).
  std::function<bool(int epoch, double bestValidationLoss)> continueAfterEpoch;
};

class Tagger {
 public:
  Tagger(const TaggerConfig& config, std::size_t inputs);
  ~Tagger();
  Tagger(Tagger&&) noexcept;
  Tagger& operator=(Tagger&&) noexcept;

  /// Train on scaled inputs (row-major, `inputs` per jet) and labels 0/1/2. A non-finite
  /// loss throws RuntimeFailure ("diverged ..."). Keeps the weights of the best epoch.
  TaggerHistory train(const std::vector<float>& trainX, const std::vector<int>& trainY,
                      const std::vector<float>& validationX, const std::vector<int>& validationY,
                      const TrainingHooks& hooks = {});
  /// Class probabilities, row-major (p_b, p_c, p_light) per jet.
  std::vector<float> predict(const std::vector<float>& x) const;

  /// Save the weights atomically (LibTorch archive).
  void save(const std::filesystem::path& path) const;
  /// Load weights saved by save() into a network built from `config`.
  void load(const std::filesystem::path& path);

  const TaggerConfig& config() const;
  std::size_t parameterCount() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace bolo::nn
