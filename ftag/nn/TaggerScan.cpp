#include "ftag/nn/TaggerScan.hpp"

#include <algorithm>
#include <map>

#include "common/StopSignal.hpp"

namespace bolo::nn {

TaggerConfig taggerConfigFor(const ScanCombination& c, const ScanTraining& t,
                             const std::string& device) {
  TaggerConfig config;
  config.hidden = c.layers;
  config.activation = c.activation;
  config.learningRate = c.learningRate;
  config.batchSize = c.batchSize;
  config.epochs = t.epochs;
  config.patience = t.patience;
  config.minDelta = t.minDelta;
  config.batchNorm = t.batchNorm;
  config.balanceClasses = t.balanceClasses;
  config.seed = t.seed;
  config.device = device;
  return config;
}

SuccessiveHalving::SuccessiveHalving(int eta, std::size_t warmup)
    : m_eta(std::max(2, eta)), m_warmup(warmup) {}

namespace {

bool isRung(int epoch, int eta) {
  for (int r = 1; r <= epoch; r *= eta) {
    if (r == epoch) return true;
  }
  return false;
}

}  // namespace

bool SuccessiveHalving::keepGoing(int epoch, double bestLoss) {
  if (!isRung(epoch, m_eta)) return true;
  auto& losses = m_rungs[epoch];
  losses.push_back(bestLoss);
  if (losses.size() <= m_warmup) return true;
  std::vector<double> sorted = losses;
  std::sort(sorted.begin(), sorted.end());
  const std::size_t keep =
      std::max<std::size_t>(1, sorted.size() / static_cast<std::size_t>(m_eta));
  return bestLoss <= sorted[keep - 1];
}

void SuccessiveHalving::record(const std::vector<double>& validationLoss) {
  double best = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < validationLoss.size(); ++i) {
    best = std::min(best, validationLoss[i]);
    const int epoch = static_cast<int>(i) + 1;
    if (isRung(epoch, m_eta)) m_rungs[epoch].push_back(best);
  }
}

ScanTrainer makeTaggerScanTrainer(const TaggerData& data, const std::string& device,
                                  std::shared_ptr<SuccessiveHalving> halving) {
  return
      [&data, device, halving](const ScanCombination& combination, const ScanTraining& training) {
        TrainingHooks hooks;
        hooks.stopRequested = [] { return stopRequested(); };
        if (halving)
          hooks.continueAfterEpoch = [halving](int epoch, double best) {
            return halving->keepGoing(epoch, best);
          };
        const auto result =
            runTaggerTraining(taggerConfigFor(combination, training, device), data, {}, hooks);
        ScanTrainOutcome outcome;
        outcome.bestValidationLoss = result.history.bestValidationLoss;
        outcome.bestEpoch = result.history.bestEpoch;
        outcome.epochs = result.history.epochs;
        outcome.validationLoss = result.history.validationLoss;
        outcome.device = result.history.device;
        outcome.pruned = result.history.pruned;
        return outcome;
      };
}

}  // namespace bolo::nn
