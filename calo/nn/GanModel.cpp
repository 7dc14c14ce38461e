#include "calo/nn/GanModel.hpp"

#include <fmt/format.h>

#include "common/AtomicFile.hpp"
#include "common/Error.hpp"

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

GanNetworks::GanNetworks(const GanConfig& cfg, int voxelCount, const torch::Device& dev)
    : config(cfg),
      voxels(voxelCount),
      device(dev),
      generator(generatorLayerSizes(cfg, voxelCount), cfg.activation, cfg.generatorOutput),
      critic(criticLayerSizes(cfg, voxelCount), cfg.activation, "none") {
  generator->to(device);
  critic->to(device);
  generatorOptimizer = std::make_unique<torch::optim::Adam>(
      generator->parameters(),
      torch::optim::AdamOptions(cfg.generatorLearningRate).betas({cfg.adamBeta1, cfg.adamBeta2}));
  criticOptimizer = std::make_unique<torch::optim::Adam>(
      critic->parameters(),
      torch::optim::AdamOptions(cfg.criticLearningRate).betas({cfg.adamBeta1, cfg.adamBeta2}));
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
  root.write("generator_optimizer", optG);
  root.write("critic_optimizer", optC);
  root.write("iteration", torch::tensor(static_cast<int64_t>(iteration)));
  {
    auto generatorState = at::globalContext().defaultGenerator(nets.device);
    std::lock_guard<std::mutex> lock(generatorState.mutex());
    root.write("rng_state", generatorState.get_state());
  }
  produceFileAtomically(archive, [&](const fs::path& tmp) { root.save_to(tmp.string()); });
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
