#pragma once
// INTERNAL to nn/: includes torch. The networks of a conditional WGAN-GP and their
// checkpoint archives. Code outside nn/ uses GanTraining.hpp and GanShowerGenerator.hpp.

#include <torch/torch.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "calo/TrainingConfig.hpp"

namespace bolo::nn {

/// A multilayer perceptron: Linear layers with `activation` between them and an optional
/// `output` activation ("relu" or "none") after the last.
class MlpImpl : public torch::nn::Module {
 public:
  MlpImpl(const std::vector<int>& sizes, std::string activation, std::string output);
  torch::Tensor forward(torch::Tensor x);
  /// The same function for inference only (no autograd): activations in place, fewer
  /// temporary tensors.
  torch::Tensor forwardInference(torch::Tensor x);

  const std::vector<torch::nn::Linear>& layers() const { return m_layers; }
  const std::string& activation() const { return m_activation; }

 private:
  std::vector<torch::nn::Linear> m_layers;
  std::string m_activation;
  std::string m_output;
};
TORCH_MODULE(Mlp);

/// Apply an activation by name (silu, relu, leaky_relu (slope 0.2), tanh).
torch::Tensor applyActivation(const torch::Tensor& x, const std::string& name);

/// Generator, critic and their Adam optimisers on one device.
struct GanNetworks {
  GanNetworks(const GanConfig& config, int voxels, const torch::Device& device);

  GanConfig config;
  int voxels;
  torch::Device device;
  Mlp generator;
  Mlp critic;
  std::unique_ptr<torch::optim::Adam> generatorOptimizer;
  std::unique_ptr<torch::optim::Adam> criticOptimizer;
};

/// Write networks, optimisers, the device's RNG state and the iteration to `archive`
/// atomically (temporary name, fsync, rename).
void saveGanArchive(const std::filesystem::path& archive, GanNetworks& nets, long long iteration);
/// Restore what saveGanArchive wrote; returns the iteration. With `restoreTraining` false only
/// the generator is read (generation).
long long loadGanArchive(const std::filesystem::path& archive, GanNetworks& nets,
                         bool restoreTraining);

}  // namespace bolo::nn
