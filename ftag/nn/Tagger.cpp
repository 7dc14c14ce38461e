#include "ftag/nn/Tagger.hpp"

#include <fmt/format.h>
#include <torch/torch.h>

#include <chrono>
#include <cmath>

#include "common/AtomicFile.hpp"
#include "common/ConfigReader.hpp"
#include "common/Error.hpp"
#include "common/StopSignal.hpp"
#include "common/nn/TorchArchive.hpp"
#include "common/nn/TorchRuntime.hpp"
#include "ftag/ScanSpace.hpp"

namespace bolo::nn {

namespace fs = std::filesystem;

nlohmann::json toJson(const TaggerHistory& h) {
  return {{"train_loss", h.trainLoss},
          {"validation_loss", h.validationLoss},
          {"best_validation_loss", h.bestValidationLoss},
          {"best_epoch", h.bestEpoch},
          {"epochs", h.epochs},
          {"stopped_early", h.stoppedEarly},
          {"pruned", h.pruned},
          {"device", h.device}};
}

namespace {

/// A loss this far above ln(3) = 1.1 (guessing 1/3 per class) means the weights ran away;
/// the training is declared diverged rather than left to produce NaNs later.
constexpr double kDivergedLoss = 50 * 1.0986;

torch::nn::AnyModule activationModule(const std::string& name) {
  if (name == "relu") return torch::nn::AnyModule(torch::nn::ReLU());
  if (name == "leaky_relu")
    return torch::nn::AnyModule(
        torch::nn::LeakyReLU(torch::nn::LeakyReLUOptions().negative_slope(0.01)));
  if (name == "elu") return torch::nn::AnyModule(torch::nn::ELU());
  if (name == "silu") return torch::nn::AnyModule(torch::nn::SiLU());
  if (name == "tanh") return torch::nn::AnyModule(torch::nn::Tanh());
  if (name == "sigmoid") return torch::nn::AnyModule(torch::nn::Sigmoid());
  throw InputError(fmt::format("unknown activation '{}'", name));
}

torch::Tensor toTensor(const std::vector<float>& x, std::size_t inputs) {
  const auto rows = static_cast<std::int64_t>(x.size() / inputs);
  return torch::from_blob(const_cast<float*>(x.data()), {rows, static_cast<std::int64_t>(inputs)},
                          torch::kFloat32)
      .clone();
}

torch::Tensor toLabels(const std::vector<int>& y) {
  return torch::from_blob(const_cast<int*>(y.data()), {static_cast<std::int64_t>(y.size())},
                          torch::kInt32)
      .to(torch::kLong);
}

}  // namespace

struct Tagger::Impl {
  TaggerConfig config;
  std::size_t inputs = 0;
  torch::nn::Sequential network;
  torch::Device device{torch::kCPU};

  void build() {
    torch::manual_seed(config.seed);
    network = torch::nn::Sequential();
    auto width = static_cast<std::int64_t>(inputs);
    for (int h : config.hidden) {
      network->push_back(torch::nn::Linear(width, h));
      if (config.batchNorm) network->push_back(torch::nn::BatchNorm1d(h));
      network->push_back(activationModule(config.activation));
      width = h;
    }
    network->push_back(torch::nn::Linear(width, 3));
    device = torch::Device(resolveDevice(config.device).device);
    network->to(device);
  }

  /// Mean (class-weighted) cross-entropy over `x` in inference mode.
  double loss(const torch::Tensor& x, const torch::Tensor& y, const torch::Tensor& weights) {
    torch::NoGradGuard noGrad;
    network->eval();
    double sum = 0, norm = 0;
    const auto n = x.size(0);
    for (std::int64_t first = 0; first < n; first += 16384) {
      const auto last = std::min(n, first + 16384);
      const auto logits = network->forward(x.slice(0, first, last));
      const auto yb = y.slice(0, first, last);
      sum += torch::nll_loss(torch::log_softmax(logits, 1), yb, weights, at::Reduction::Sum)
                 .item<double>();
      norm += weights.index_select(0, yb).sum().item<double>();
    }
    return sum / std::max(norm, 1e-30);
  }
};

Tagger::Tagger(const TaggerConfig& config, std::size_t inputs) : m_impl(std::make_unique<Impl>()) {
  if (inputs == 0) throw InputError("tagger: no input variables");
  m_impl->config = config;
  m_impl->inputs = inputs;
  m_impl->build();
}

Tagger::~Tagger() = default;
Tagger::Tagger(Tagger&&) noexcept = default;
Tagger& Tagger::operator=(Tagger&&) noexcept = default;

const TaggerConfig& Tagger::config() const {
  return m_impl->config;
}

std::size_t Tagger::parameterCount() const {
  std::size_t n = 0;
  for (const auto& p : m_impl->network->parameters()) n += static_cast<std::size_t>(p.numel());
  return n;
}

TaggerHistory Tagger::train(const std::vector<float>& trainX, const std::vector<int>& trainY,
                            const std::vector<float>& validationX,
                            const std::vector<int>& validationY, const TrainingHooks& hooks) {
  auto& d = *m_impl;
  const auto& c = d.config;
  if (trainY.empty() || validationY.empty())
    throw InputError("tagger: empty training or validation sample");
  torch::manual_seed(c.seed);
  const auto x = toTensor(trainX, d.inputs).to(d.device);
  const auto y = toLabels(trainY).to(d.device);
  const auto vx = toTensor(validationX, d.inputs).to(d.device);
  const auto vy = toLabels(validationY).to(d.device);
  auto weights = torch::ones({3}, torch::kFloat32);
  if (c.balanceClasses) {
    const auto counts = torch::bincount(toLabels(trainY), {}, 3).to(torch::kFloat32).clamp_min(1);
    weights = counts.sum() / (3 * counts);
  }
  weights = weights.to(d.device);

  torch::optim::Adam optimizer(d.network->parameters(), torch::optim::AdamOptions(c.learningRate));
  TaggerHistory history;
  history.device = d.device.str();
  history.bestValidationLoss = std::numeric_limits<double>::infinity();
  std::vector<torch::Tensor> best;
  const auto n = x.size(0);
  const auto batch = std::min<std::int64_t>(c.batchSize, n);
  int sinceImprovement = 0;
  double patienceReference = std::numeric_limits<double>::infinity();
  for (int epoch = 1; epoch <= c.epochs; ++epoch) {
    d.network->train();
    const auto order = torch::randperm(n, torch::TensorOptions().dtype(torch::kLong)).to(d.device);
    double sum = 0;
    std::int64_t batches = 0;
    // Batches of full size only: a last batch of a few jets would make batch norm noisy.
    for (std::int64_t first = 0; first + batch <= n; first += batch) {
      if (hooks.stopRequested && hooks.stopRequested())
        throw stopError("nothing (current training abandoned)");
      const auto index = order.slice(0, first, first + batch);
      const auto logits = d.network->forward(x.index_select(0, index));
      auto loss = torch::nll_loss(torch::log_softmax(logits, 1), y.index_select(0, index), weights);
      const double value = loss.item<double>();
      if (!std::isfinite(value) || value > kDivergedLoss) {
        throw RuntimeFailure(fmt::format("diverged: training loss is {:.4g} at epoch {}, batch {}",
                                         value, epoch, batches + 1));
      }
      optimizer.zero_grad();
      loss.backward();
      optimizer.step();
      sum += value;
      ++batches;
    }
    const double trainLoss = sum / static_cast<double>(std::max<std::int64_t>(1, batches));
    const double validationLoss = d.loss(vx, vy, weights);
    if (!std::isfinite(validationLoss)) {
      throw RuntimeFailure(
          fmt::format("diverged: validation loss is {} at epoch {}", validationLoss, epoch));
    }
    history.trainLoss.push_back(trainLoss);
    history.validationLoss.push_back(validationLoss);
    history.epochs = epoch;
    if (hooks.onEpoch) hooks.onEpoch(epoch, trainLoss, validationLoss);
    // Keep the weights of the lowest loss; patience counts epochs without an improvement of
    // at least min_delta over the loss that last reset it.
    if (validationLoss < history.bestValidationLoss) {
      history.bestValidationLoss = validationLoss;
      history.bestEpoch = epoch;
      best.clear();
      for (const auto& p : d.network->parameters()) best.push_back(p.detach().clone());
      for (const auto& b : d.network->buffers()) best.push_back(b.detach().clone());
    }
    if (validationLoss < patienceReference - c.minDelta) {
      patienceReference = validationLoss;
      sinceImprovement = 0;
    } else {
      ++sinceImprovement;
    }
    if (c.patience > 0 && sinceImprovement >= c.patience && epoch < c.epochs) {
      history.stoppedEarly = true;
      break;
    }
    if (hooks.continueAfterEpoch && epoch < c.epochs &&
        !hooks.continueAfterEpoch(epoch, history.bestValidationLoss)) {
      history.pruned = true;
      break;
    }
  }
  // Restore the weights of the best epoch.
  torch::NoGradGuard noGrad;
  std::size_t i = 0;
  for (auto& p : d.network->parameters()) p.copy_(best[i++]);
  for (auto& b : d.network->buffers()) b.copy_(best[i++]);
  return history;
}

std::vector<float> Tagger::predict(const std::vector<float>& x) const {
  auto& d = *m_impl;
  torch::NoGradGuard noGrad;
  d.network->eval();
  const auto input = toTensor(x, d.inputs);
  std::vector<float> out;
  out.reserve(static_cast<std::size_t>(input.size(0)) * 3);
  for (std::int64_t first = 0; first < input.size(0); first += 16384) {
    const auto last = std::min(input.size(0), first + 16384);
    const auto p = torch::softmax(d.network->forward(input.slice(0, first, last).to(d.device)), 1)
                       .to(torch::kCPU)
                       .contiguous();
    out.insert(out.end(), p.data_ptr<float>(), p.data_ptr<float>() + p.numel());
  }
  return out;
}

void Tagger::save(const fs::path& path) const {
  torch::serialize::OutputArchive archive;
  m_impl->network->to(torch::kCPU);
  m_impl->network->save(archive);
  m_impl->network->to(m_impl->device);
  saveArchiveAtomically(archive, path);
}

void Tagger::load(const fs::path& path) {
  if (!fs::exists(path)) throw InputError(fmt::format("{}: model file not found", path.string()));
  try {
    // LibTorch replaces tensors on load whatever their shape: compare the shapes afterwards.
    std::vector<std::vector<std::int64_t>> shapes;
    for (const auto& p : m_impl->network->parameters()) shapes.push_back(p.sizes().vec());
    torch::serialize::InputArchive archive;
    archive.load_from(path.string());
    m_impl->network->load(archive);
    m_impl->network->to(m_impl->device);
    std::size_t i = 0;
    for (const auto& p : m_impl->network->parameters()) {
      if (p.sizes().vec() != shapes[i++]) {
        throw InputError(fmt::format(
            "{}: the saved tagger has other layer sizes than its tagger.json", path.string()));
      }
    }
  } catch (const c10::Error& e) {
    throw InputError(
        fmt::format("{}: cannot load the tagger (wrong architecture or corrupted file): {}",
                    path.string(), std::string(e.what_without_backtrace()).substr(0, 200)));
  }
}

}  // namespace bolo::nn
