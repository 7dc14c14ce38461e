#pragma once
// The real trainer of `bolo scan run`: every combination trains the tagger on the same
// preprocessed training and validation jets; optionally with successive halving.

#include <map>
#include <memory>
#include <string>

#include "ftag/ScanRunner.hpp"
#include "ftag/nn/TaggerRun.hpp"

namespace bolo::nn {

/// The tagger config of one combination: its layers, learning rate, batch size and
/// activation with the scan's shared training settings.
TaggerConfig taggerConfigFor(const ScanCombination& combination, const ScanTraining& training,
                             const std::string& device);

/// Asynchronous successive halving (ASHA-style): at rung epochs 1, eta, eta^2, ... a
/// combination continues only if its best validation loss so far is among the best 1/eta of
/// all losses recorded at that rung (by earlier combinations of this job and, when given,
/// earlier results on disk). The first `warmup` combinations at a rung always continue.
class SuccessiveHalving {
 public:
  explicit SuccessiveHalving(int eta = 3, std::size_t warmup = 6);
  /// Record the loss at `epoch` if it is a rung, and say whether to continue.
  bool keepGoing(int epoch, double bestLoss);
  /// Seed the rungs with the per-epoch validation losses of a finished result.
  void record(const std::vector<double>& validationLoss);

 private:
  int m_eta;
  std::size_t m_warmup;
  std::map<int, std::vector<double>> m_rungs;
};

/// A ScanTrainer over `data`; `halving` may be null (train every combination fully).
ScanTrainer makeTaggerScanTrainer(const TaggerData& data, const std::string& device,
                                  std::shared_ptr<SuccessiveHalving> halving);

}  // namespace bolo::nn
