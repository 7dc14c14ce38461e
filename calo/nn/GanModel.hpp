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

/// Re-initialise every Linear layer as `scheme` says: "he_uniform" (Kaiming uniform for ReLU,
/// zero biases, as BoloGAN) or "default" (leave LibTorch's initialisation).
void initialiseWeights(Mlp& mlp, const std::string& scheme);

/// Turns the generator MLP's last layer into voxel targets. For "relu" and "none" the MLP's
/// own output activation already did it. For "energy_sharing" the MLP gives one logit per
/// voxel, one per calorimeter layer and one for the response, and the voxels are
///   x_v = r * f_L(v) * s_v,   r = softplus(o_r + 0.5), f = softmax(o_layers),
///   s = softmax of the voxel logits within each layer,
/// so that E_tot/E_inc = r and the layer energies are explicit outputs the generator learns
/// directly, not sums of hundreds of free voxels.
struct GeneratorHead {
  std::string output = "relu";
  std::vector<int64_t> layerVoxels;  ///< voxels per calorimeter layer, in voxel order
  std::string shapes = "softmax";    ///< GanConfig::layerShapes: softmax or sparsemax
  bool shapeNoise = false;           ///< GanConfig::shapeNoise: per-voxel noise on the logits

  /// The MLP's output activation for this head.
  std::string mlpOutput() const { return output == "energy_sharing" ? "none" : output; }
  /// `noise` (B x V, N(0,1)) feeds the shape noise; when undefined and the head has shape
  /// noise it is drawn from the default generator (training). Generation passes its own,
  /// drawn from the seeded generator, so that a seed fixes the showers.
  torch::Tensor operator()(const torch::Tensor& raw, const torch::Tensor& noise = {}) const;
};

/// The physics summary of a batch of voxel targets x (B x V): E_tot and each layer's energy,
/// in target units, standardised with the training sample's mean and standard deviation.
/// Linear in x (one matrix product), so gradients flow through it to the generator.
struct PhysicsFeatures {
  torch::Tensor matrix;  ///< V x F: column 0 sums all voxels, column 1+k layer k
  torch::Tensor mean, std;
  /// ln(energy + kLogFloor) instead of the energy, before the standardisation.
  bool logarithmic = false;
  /// In target units (E / E_inc): 1e-7 of the incident energy, under a MIP's deposit in a
  /// layer even at the highest energies, so the floor only matters for (nearly) empty layers.
  static constexpr double kLogFloor = 1e-7;

  PhysicsFeatures() = default;
  /// `sample` (N x V) fixes the standardisation.
  PhysicsFeatures(const std::vector<int64_t>& layerVoxels, const torch::Tensor& sample,
                  bool logarithmic = false);
  int64_t count() const { return matrix.defined() ? matrix.size(1) : 0; }
  torch::Tensor operator()(const torch::Tensor& x) const;
};

/// What the critic sees of a batch of voxel targets x: the voxels times `voxelScale`, then,
/// with critic features, the PhysicsFeatures of x. The features are linear in x, so the
/// critic's input gradient and the gradient penalty treat them as ordinary inputs.
struct CriticInput {
  double voxelScale = 1.0;
  bool withFeatures = false;
  PhysicsFeatures features;

  CriticInput() = default;
  CriticInput(const GanConfig& config, const std::vector<int64_t>& layerVoxels,
              const torch::Tensor& sample);
  torch::Tensor operator()(const torch::Tensor& x) const;
};

/// Generator, critic and their Adam optimisers on one device.
struct GanNetworks {
  /// `layerVoxels`: voxels per calorimeter layer (needed by energy sharing and critic
  /// features; InputError when those are configured and it is empty).
  GanNetworks(const GanConfig& config, int voxels, const torch::Device& device,
              std::vector<int64_t> layerVoxels = {});

  GanConfig config;
  int voxels;
  torch::Device device;
  std::vector<int64_t> layerVoxels;
  GeneratorHead head;
  Mlp generator;
  Mlp critic;
  /// The exponential moving average of the generator's weights (null when ema_decay is 0).
  Mlp generatorEma{nullptr};
  std::unique_ptr<torch::optim::Adam> generatorOptimizer;
  std::unique_ptr<torch::optim::Adam> criticOptimizer;

  /// Move the EMA weights a step towards the generator's.
  void updateEma();
  /// Set both learning rates to `factor` times the configured ones.
  void scaleLearningRates(double factor);
};

/// Sparsemax of each row of z (B x n): the point of the probability simplex closest to z,
/// relu(z - tau) with the threshold tau that makes each row sum to one. Unlike softmax it
/// sets the entries below tau to exactly zero; differentiable almost everywhere.
torch::Tensor sparsemax(const torch::Tensor& z);

/// Latent numbers ~ Normal(config.latentMean, config.latentSd), B x latent.
torch::Tensor sampleLatent(const GanConfig& config, int64_t rows,
                           const torch::TensorOptions& options);

/// Write networks, optimisers, the device's RNG state and the iteration to `archive`
/// atomically (temporary name, fsync, rename).
void saveGanArchive(const std::filesystem::path& archive, GanNetworks& nets, long long iteration);
/// Restore what saveGanArchive wrote; returns the iteration. With `restoreTraining` false only
/// the generator is read (generation).
long long loadGanArchive(const std::filesystem::path& archive, GanNetworks& nets,
                         bool restoreTraining);

}  // namespace bolo::nn
