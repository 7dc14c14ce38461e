#pragma once
// The configuration of calorimeter GAN training (`bolo train`, train.json). Defaults follow
// FastCaloGAN/BoloGAN as documented in docs/training.md: conditional WGAN-GP, MLP generator
// and critic with three hidden layers, latent 50, SiLU, Adam(1e-4, 0.5, 0.9), gradient-penalty
// weight 10 and five critic steps per generator step.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "calo/Particle.hpp"
#include "common/ConfigReader.hpp"

namespace bolo {

/// One conditional WGAN-GP: architecture, optimiser, loop lengths.
struct GanConfig {
  int latentSize = 50;                   ///< Gaussian latent numbers per shower
  std::vector<int> generatorHidden;      ///< hidden layer widths (particle defaults below)
  std::vector<int> criticHidden;         ///< hidden layer widths of the critic
  std::string activation = "silu";       ///< silu, relu, leaky_relu, tanh
  std::string generatorOutput = "relu";  ///< relu (energies are >= 0) or none
  double gradientPenalty = 10.0;         ///< lambda of WGAN-GP
  int criticSteps = 5;                   ///< critic updates per generator update
  double generatorLearningRate = 1e-4;
  double criticLearningRate = 1e-4;
  double adamBeta1 = 0.5;
  double adamBeta2 = 0.9;
  int batchSize = 128;
  long long iterations = 1000000;         ///< generator steps in a full training
  long long checkpointEvery = 10000;      ///< iterations between checkpoints
  long long metricsEvery = 1;             ///< iterations between metrics lines
  std::string conditioning = "log";       ///< log or linear scaling of E_inc into [0, 1]
  std::string voxelScaling = "incident";  ///< incident: voxel / E_inc; none: voxel in GeV
  /// How the critic's gradient-penalty gradient is computed: "analytic" (written out for the
  /// MLP, faster) or "autograd" (double backward); the same numbers up to float rounding.
  std::string criticGradient = "analytic";
};

/// How `bolo bestiter` scores checkpoints (train.json, section "bestiter").
struct BestIterConfig {
  std::size_t showersPerEnergy = 10000;  ///< generated showers per energy point and checkpoint
  int bins = 30;                         ///< equal-width bins per energy point
  double tailFraction = 0.001;           ///< bins span the reference's [q, 1-q] quantiles
  bool layerEnergies = false;            ///< also compare each layer's energy
  unsigned long long seed = 1;           ///< latent numbers: the same for every checkpoint
  std::size_t batch = 10000;             ///< showers per network call
};

/// What `bolo train` reads from train.json.
struct TrainConfig {
  unsigned long long seed = 1;
  GanConfig pions;               ///< one GAN for all pion energies
  double photonSplitMeV = 4096;  ///< photons: E_inc <= split trains the low GAN, above the high GAN
  GanConfig photonsLow;
  GanConfig photonsHigh;
  BestIterConfig bestiter;
};

/// The defaults for a particle's GAN: hidden sizes scaled from the voxel count so that the
/// parameter counts land near the published ones (see docs/training.md).
GanConfig defaultGanConfig(Particle particle);
TrainConfig defaultTrainConfig();

GanConfig ganConfigFromJson(ConfigReader& reader, const GanConfig& defaults);
TrainConfig trainConfigFromJson(const nlohmann::json& json);
BestIterConfig bestIterConfigFromJson(ConfigReader& reader);
nlohmann::json toJson(const GanConfig& config);
nlohmann::json toJson(const BestIterConfig& config);
nlohmann::json toJson(const TrainConfig& config);

/// Parameter count of an MLP with the given layer sizes (weights and biases).
long long mlpParameterCount(const std::vector<int>& sizes);
/// Layer sizes of the generator: latent + 1 condition, hidden..., voxels.
std::vector<int> generatorLayerSizes(const GanConfig& config, int voxels);
/// Layer sizes of the critic: voxels + 1 condition, hidden..., 1.
std::vector<int> criticLayerSizes(const GanConfig& config, int voxels);

}  // namespace bolo
