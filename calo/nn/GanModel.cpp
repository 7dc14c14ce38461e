#include "calo/nn/GanModel.hpp"

#include <fmt/format.h>

#include "common/AtomicFile.hpp"
#include "common/Error.hpp"
#include "common/nn/TorchArchive.hpp"

namespace bolo::nn {

namespace fs = std::filesystem;

MlpImpl::MlpImpl(const std::vector<int>& sizes, std::string activation, std::string output)
    : m_activation(std::move(activation)), m_output(std::move(output)) {
  for (std::size_t i = 0; i + 1 < sizes.size(); ++i) {
    m_layers.push_back(
        register_module(fmt::format("linear{}", i), torch::nn::Linear(sizes[i], sizes[i + 1])));
  }
}

torch::Tensor applyActivation(const torch::Tensor& x, const std::string& name) {
  if (name == "silu") return torch::silu(x);
  if (name == "relu") return torch::relu(x);
  if (name == "leaky_relu") return torch::leaky_relu(x, 0.2);
  if (name == "tanh") return torch::tanh(x);
  if (name == "none") return x;
  throw InputError(fmt::format("unknown activation '{}'", name));
}

torch::Tensor MlpImpl::forward(torch::Tensor x) {
  for (std::size_t i = 0; i < m_layers.size(); ++i) {
    x = m_layers[i]->forward(x);
    x = applyActivation(x, i + 1 < m_layers.size() ? m_activation : m_output);
  }
  return x;
}

namespace {

void activateInPlace(torch::Tensor& x, const std::string& name) {
  if (name == "silu")
    torch::silu_(x);
  else if (name == "relu")
    x.relu_();
  else if (name == "leaky_relu")
    torch::leaky_relu_(x, 0.2);
  else if (name == "tanh")
    x.tanh_();
  else if (name != "none")
    throw InputError(fmt::format("unknown activation '{}'", name));
}

}  // namespace

torch::Tensor MlpImpl::forwardInference(torch::Tensor x) {
  for (std::size_t i = 0; i < m_layers.size(); ++i) {
    x = torch::addmm(m_layers[i]->bias, x, m_layers[i]->weight.t());
    activateInPlace(x, i + 1 < m_layers.size() ? m_activation : m_output);
  }
  return x;
}

void initialiseWeights(Mlp& mlp, const std::string& scheme) {
  if (scheme == "default") return;
  if (scheme != "he_uniform") throw InputError(fmt::format("unknown weight_init '{}'", scheme));
  torch::NoGradGuard noGrad;
  for (auto& layer : mlp->layers()) {
    torch::nn::init::kaiming_uniform_(layer->weight, 0.0, torch::kFanIn, torch::kReLU);
    layer->bias.zero_();
  }
}

torch::Tensor GeneratorHead::operator()(const torch::Tensor& raw,
                                        const torch::Tensor& noise) const {
  if (output != "energy_sharing") return raw;
  const auto layers = static_cast<int64_t>(layerVoxels.size());
  const int64_t voxels = raw.size(1) - layers - 1 - (shapeNoise ? layers : 0);
  // The +0.5 starts the response near softplus(0.5) = 0.97 rather than 0.69, which is a
  // calorimeter's order of magnitude either way; it only shortens the first iterations.
  const auto response = torch::softplus(raw.narrow(1, voxels + layers, 1) + 0.5);
  const auto fractions = torch::softmax(raw.narrow(1, voxels, layers), 1) * response;
  torch::Tensor noiseScale, voxelNoise;
  if (shapeNoise) {
    // The -3 starts sigma near 0.05: training begins as without noise and the networks
    // raise it where the reference fluctuates.
    noiseScale = torch::softplus(raw.narrow(1, voxels + layers + 1, layers) - 3.0);
    voxelNoise = noise.defined() ? noise : torch::randn({raw.size(0), voxels}, raw.options());
  }
  std::vector<torch::Tensor> parts;
  parts.reserve(layerVoxels.size());
  int64_t first = 0;
  for (int64_t k = 0; k < layers; ++k) {
    const int64_t n = layerVoxels[static_cast<std::size_t>(k)];
    auto logits = raw.narrow(1, first, n);
    if (shapeNoise) logits = logits + noiseScale.narrow(1, k, 1) * voxelNoise.narrow(1, first, n);
    const auto shape = shapes == "sparsemax" ? sparsemax(logits) : torch::softmax(logits, 1);
    parts.push_back(shape * fractions.narrow(1, k, 1));
    first += n;
  }
  return torch::cat(parts, 1);
}

torch::Tensor sparsemax(const torch::Tensor& z) {
  // With z sorted in decreasing order and c its running sum, the support is the first k
  // entries with 1 + j z_(j) > c_j (a prefix), and tau = (c_k - 1) / k.
  const auto sorted = std::get<0>(z.sort(1, true));
  const auto cumulative = sorted.cumsum(1);
  const auto rank = torch::arange(1, z.size(1) + 1, z.options());
  const auto support = (1 + rank * sorted > cumulative).sum(1, true);
  const auto tau = (cumulative.gather(1, support - 1) - 1) / support.to(z.scalar_type());
  return torch::relu(z - tau);
}

PhysicsFeatures::PhysicsFeatures(const std::vector<int64_t>& layerVoxels,
                                 const torch::Tensor& sample, bool logarithmic_)
    : logarithmic(logarithmic_) {
  const auto layers = static_cast<int64_t>(layerVoxels.size());
  matrix = torch::zeros({sample.size(1), layers + 1}, sample.options());
  matrix.narrow(1, 0, 1).fill_(1);
  int64_t first = 0;
  for (int64_t k = 0; k < layers; ++k) {
    const int64_t n = layerVoxels[static_cast<std::size_t>(k)];
    matrix.narrow(0, first, n).narrow(1, k + 1, 1).fill_(1);
    first += n;
  }
  torch::NoGradGuard noGrad;
  auto values = torch::mm(sample, matrix);
  if (logarithmic) values = (values + kLogFloor).log();
  mean = values.mean(0, true);
  // A feature constant over the sample (a layer that is always empty) gets unit spread.
  std = values.std(0, true, true).clamp_min(1e-6);
}

torch::Tensor PhysicsFeatures::operator()(const torch::Tensor& x) const {
  const auto values = torch::mm(x, matrix);
  return ((logarithmic ? (values + kLogFloor).log() : values) - mean) / std;
}

CriticInput::CriticInput(const GanConfig& config, const std::vector<int64_t>& layerVoxels,
                         const torch::Tensor& sample)
    : voxelScale(config.criticVoxelScale == "voxel_count" ? static_cast<double>(sample.size(1))
                                                          : 1.0),
      withFeatures(config.criticFeatures) {
  if (withFeatures) features = PhysicsFeatures(layerVoxels, sample);
}

torch::Tensor CriticInput::operator()(const torch::Tensor& x) const {
  auto voxels = voxelScale == 1.0 ? x : x * voxelScale;
  if (!withFeatures) return voxels;
  return torch::cat({voxels, features(x)}, 1);
}

torch::Tensor sampleLatent(const GanConfig& config, int64_t rows,
                           const torch::TensorOptions& options) {
  auto z = torch::randn({rows, config.latentSize}, options);
  if (config.latentSd != 1.0) z.mul_(config.latentSd);
  if (config.latentMean != 0.0) z.add_(config.latentMean);
  return z;
}

namespace {

std::vector<int64_t> checkedLayers(const GanConfig& cfg, int voxels,
                                   std::vector<int64_t> layerVoxels) {
  const bool needed =
      cfg.generatorOutput == "energy_sharing" || cfg.criticFeatures || cfg.marginalMatching > 0;
  if (!needed) return layerVoxels;
  int64_t sum = 0;
  for (auto n : layerVoxels) sum += n;
  if (layerVoxels.empty() || sum != voxels) {
    throw InputError(fmt::format(
        "energy_sharing, critic_features and marginal_matching need the calorimeter layers of "
        "the {} voxels "
        "(got {} layers with {} voxels)",
        voxels, layerVoxels.size(), sum));
  }
  return layerVoxels;
}

}  // namespace

GanNetworks::GanNetworks(const GanConfig& cfg, int voxelCount, const torch::Device& dev,
                         std::vector<int64_t> layers)
    : config(cfg),
      voxels(voxelCount),
      device(dev),
      layerVoxels(checkedLayers(cfg, voxelCount, std::move(layers))),
      head{cfg.generatorOutput, layerVoxels, cfg.layerShapes, cfg.shapeNoise},
      generator(generatorLayerSizes(cfg, voxelCount, static_cast<int>(layerVoxels.size())),
                cfg.activation, head.mlpOutput()),
      critic(criticLayerSizes(cfg, voxelCount, static_cast<int>(layerVoxels.size())),
             cfg.activation, "none") {
  initialiseWeights(generator, cfg.weightInit);
  initialiseWeights(critic, cfg.weightInit);
  generator->to(device);
  critic->to(device);
  if (cfg.emaDecay > 0) {
    generatorEma = Mlp(generatorLayerSizes(cfg, voxelCount, static_cast<int>(layerVoxels.size())),
                       cfg.activation, head.mlpOutput());
    generatorEma->to(device);
    torch::NoGradGuard noGrad;
    const auto from = generator->parameters();
    auto to = generatorEma->parameters();
    for (std::size_t i = 0; i < to.size(); ++i) {
      to[i].copy_(from[i]);
      to[i].requires_grad_(false);
    }
  }
  generatorOptimizer = std::make_unique<torch::optim::Adam>(
      generator->parameters(),
      torch::optim::AdamOptions(cfg.generatorLearningRate).betas({cfg.adamBeta1, cfg.adamBeta2}));
  criticOptimizer = std::make_unique<torch::optim::Adam>(
      critic->parameters(),
      torch::optim::AdamOptions(cfg.criticLearningRate).betas({cfg.adamBeta1, cfg.adamBeta2}));
}

void GanNetworks::updateEma() {
  if (!generatorEma) return;
  torch::NoGradGuard noGrad;
  const auto from = generator->parameters();
  auto to = generatorEma->parameters();
  for (std::size_t i = 0; i < to.size(); ++i) to[i].lerp_(from[i], 1.0 - config.emaDecay);
}

void GanNetworks::scaleLearningRates(double factor) {
  auto set = [](torch::optim::Adam& optimizer, double lr) {
    for (auto& group : optimizer.param_groups())
      static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
  };
  set(*generatorOptimizer, config.generatorLearningRate * factor);
  set(*criticOptimizer, config.criticLearningRate * factor);
}

void saveGanArchive(const fs::path& archive, GanNetworks& nets, long long iteration) {
  torch::serialize::OutputArchive root;
  torch::serialize::OutputArchive generator, critic, optG, optC;
  nets.generator->save(generator);
  nets.critic->save(critic);
  nets.generatorOptimizer->save(optG);
  nets.criticOptimizer->save(optC);
  root.write("generator", generator);
  root.write("critic", critic);
  if (nets.generatorEma) {
    torch::serialize::OutputArchive ema;
    nets.generatorEma->save(ema);
    root.write("generator_ema", ema);
  }
  root.write("generator_optimizer", optG);
  root.write("critic_optimizer", optC);
  root.write("iteration", torch::tensor(static_cast<int64_t>(iteration)));
  {
    auto generatorState = at::globalContext().defaultGenerator(nets.device);
    std::lock_guard<std::mutex> lock(generatorState.mutex());
    root.write("rng_state", generatorState.get_state());
  }
  saveArchiveAtomically(root, archive);
}

long long loadGanArchive(const fs::path& archive, GanNetworks& nets, bool restoreTraining) {
  try {
    torch::serialize::InputArchive root;
    root.load_from(archive.string(), nets.device);
    torch::serialize::InputArchive generator;
    root.read("generator", generator);
    nets.generator->load(generator);
    torch::Tensor iteration;
    root.read("iteration", iteration);
    if (restoreTraining) {
      torch::serialize::InputArchive critic, optG, optC;
      root.read("critic", critic);
      nets.critic->load(critic);
      if (nets.generatorEma) {
        torch::serialize::InputArchive ema;
        root.read("generator_ema", ema);
        nets.generatorEma->load(ema);
      }
      root.read("generator_optimizer", optG);
      nets.generatorOptimizer->load(optG);
      root.read("critic_optimizer", optC);
      nets.criticOptimizer->load(optC);
      torch::Tensor state;
      root.read("rng_state", state);
      auto generatorState = at::globalContext().defaultGenerator(nets.device);
      std::lock_guard<std::mutex> lock(generatorState.mutex());
      generatorState.set_state(state.to(torch::kCPU));
    }
    return iteration.item<int64_t>();
  } catch (const c10::Error& e) {
    throw InputError(fmt::format("{}: cannot load checkpoint archive: {}", archive.string(),
                                 std::string(e.what_without_backtrace()).substr(0, 200)));
  }
}

}  // namespace bolo::nn
