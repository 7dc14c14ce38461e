#pragma once
// The configuration of calorimeter GAN training (`bolo train`, train.json). Two presets give
// the defaults (docs/training.md): "bologan", the published FastCaloGAN/BoloGAN recipe as far
// as the public facts allow, and "bolo", the recipe measured best here (energy sharing in the
// generator, physics features for the critic, EMA of the generator weights). Every field can
// still be overridden.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "calo/Particle.hpp"
#include "common/ConfigReader.hpp"

namespace bolo {

/// One conditional WGAN-GP: architecture, optimiser, loop lengths.
struct GanConfig {
  int latentSize = 50;      ///< Gaussian latent numbers per shower
  double latentMean = 0.0;  ///< latent numbers ~ Normal(latentMean, latentSd)
  double latentSd = 1.0;
  std::vector<int> generatorHidden;  ///< hidden layer widths (particle defaults below)
  std::vector<int> criticHidden;     ///< hidden layer widths of the critic
  std::string activation = "silu";   ///< silu, relu, leaky_relu, tanh
  /// relu (free voxels, energies >= 0), none, or energy_sharing: the generator gives the
  /// response E_tot/E_inc, the layer fractions and each layer's normalised shape, and the
  /// voxels are their product (see GanGeneratorHead in nn/).
  std::string generatorOutput = "relu";
  /// How energy_sharing turns each layer's voxel logits into its normalised shape: softmax
  /// (every voxel gets some energy) or sparsemax (the Euclidean projection onto the simplex:
  /// voxels below a threshold get exactly none, as in sparse real showers).
  std::string layerShapes = "softmax";
  /// energy_sharing only: the generator also gives one noise scale per layer, sigma =
  /// softplus(o - 3), and each voxel logit gets sigma times its own N(0,1) number before the
  /// shape is taken. Independent voxel fluctuations, as the spots of a real shower make, which
  /// the 50 latent numbers alone cannot give 533 voxels (StyleGAN's per-pixel noise inputs).
  bool shapeNoise = false;
  /// Generation only: voxels under this energy (MeV) are set to zero, a readout threshold,
  /// and the rest of their layer is scaled so that the layer keeps its energy. A network's
  /// voxels are never exactly empty (a softmax gives every voxel a share), while in real
  /// showers whole layers often are; 0 keeps every voxel.
  double voxelThresholdMeV = 0.0;
  std::string weightInit = "default";  ///< default (LibTorch's) or he_uniform (zero biases)
  double gradientPenalty = 10.0;       ///< lambda of WGAN-GP
  int criticSteps = 5;                 ///< critic updates per generator update
  double generatorLearningRate = 1e-4;
  double criticLearningRate = 1e-4;
  double adamBeta1 = 0.5;
  double adamBeta2 = 0.9;
  int batchSize = 128;
  long long iterations = 1000000;     ///< generator steps in a full training
  long long checkpointEvery = 10000;  ///< iterations between checkpoints
  long long metricsEvery = 1;         ///< iterations between metrics lines
  /// Condition from E_inc: log (ln(E/E_min)/ln(E_max/E_min)), linear ((E-E_min)/(E_max-E_min))
  /// or max (E/E_max, BoloGAN's default).
  std::string conditioning = "log";
  /// incident: voxel / E_inc; none: voxel in GeV; sample_max: voxel / the largest voxel of the
  /// training sample.
  std::string voxelScaling = "incident";
  /// What the critic sees besides the voxels: E_tot/E_inc and each layer's E_L/E_inc,
  /// standardised with the training sample's mean and spread.
  bool criticFeatures = false;
  /// Factor on the voxel targets fed to the critic ("voxel_count" multiplies by V so that they
  /// are of order 1, "none" leaves them).
  std::string criticVoxelScale = "none";
  /// Weight of the marginal-matching term of the generator loss (0: off): at every incident
  /// energy point of the training set, the one-dimensional Wasserstein distance between the
  /// generated and the real distributions of E_tot and of each layer's energy (standardised),
  /// from sorted samples of `matchingShowersPerPoint` showers each. It gives the generator a
  /// direct, per-energy signal on exactly what the chi2 selection measures.
  double marginalMatching = 0.0;
  int matchingShowersPerPoint = 16;
  /// The distance of the marginal matching. "wasserstein": sorted generated against sorted
  /// real samples of matchingShowersPerPoint showers. Its expectation over such small samples
  /// is smallest for a distribution narrower than the real one (at 16 showers, for a Gaussian,
  /// at ~0.85-0.9 of the real width), so it teaches too-narrow resolutions. "energy": the
  /// energy (Cramer) distance E|G - R| - E|G - G'|/2 - E|R - R'|/2 against a fixed reference
  /// of up to 1,024 real showers per point, estimated without bias (U-statistic over the
  /// generated pairs), so its expectation is smallest exactly at the real distribution.
  std::string matchingDistance = "wasserstein";
  /// The units of the matched features. "global": standardised over the whole training set,
  /// so a point whose distributions are narrow (high energies: a response rms of 0.06 against
  /// 0.2 at 256 MeV) weighs little and its width is learnt last. "per_point": each point's
  /// features are further divided by their spread at that point relative to the average
  /// spread over points, so every point's shape counts alike at the same overall weight.
  std::string matchingScale = "global";
  /// Also match, per energy point, the centre of energy and the width in x and y of every
  /// layer with angular bins (the CaloChallenge high-level shape features), computed from
  /// the voxels; without them the matching sees only energies and the shapes are left to the
  /// critic.
  bool matchingShapes = false;
  /// How the energy distance compares the matched features. "feature": one-dimensional
  /// distances feature by feature, averaged (blind to correlations between features).
  /// "joint": the multivariate energy distance with the Euclidean norm over the energy
  /// features (E_tot and the layer energies) as one vector and, with matching_shapes, over
  /// each angular layer's four shape features as another, averaged over those groups; it is
  /// zero only when the joint distributions agree. Needs matching_distance "energy".
  std::string matchingNorm = "feature";
  /// The energies the matching compares: "linear" (E_tot and the layer energies over E_inc,
  /// standardised over the training set: a layer holding 1e-4 of E_inc, a MIP in the first
  /// layer at 65 GeV, is invisible next to the low-energy points' spread) or "log" (their
  /// logarithms, standardised: every point's layer-energy distribution counts, its low tail
  /// and a MIP peak included, as the CaloChallenge's log layer energies see them).
  std::string matchingEnergies = "linear";
  /// Iterations over which both learning rates halve (lr * 2^(-iteration / half life));
  /// 0: constant. A high rate learns the energy dependence early; a decaying one lets the
  /// later checkpoints settle instead of jumping.
  long long learningRateHalfLife = 0;
  /// Exponential moving average of the generator weights (0: off); checkpoints keep both and
  /// generation uses the average.
  double emaDecay = 0.0;
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

/// The named recipes: "bolo" (default) and "bologan".
const std::vector<std::string>& ganPresetNames();

/// What `bolo train` reads from train.json.
struct TrainConfig {
  std::string preset = "bolo";  ///< the recipe the GAN sections start from
  unsigned long long seed = 1;
  GanConfig pions;               ///< one GAN for all pion energies
  double photonSplitMeV = 4096;  ///< photons: E_inc <= split trains the low GAN, above the high GAN
  GanConfig photonsLow;
  GanConfig photonsHigh;
  BestIterConfig bestiter;
};

/// The defaults for a particle's GAN: hidden sizes scaled from the voxel count so that the
/// parameter counts land near the published ones (see docs/training.md).
GanConfig defaultGanConfig(Particle particle, const std::string& preset = "bolo");
TrainConfig defaultTrainConfig(const std::string& preset = "bolo");

GanConfig ganConfigFromJson(ConfigReader& reader, const GanConfig& defaults);
TrainConfig trainConfigFromJson(const nlohmann::json& json);
BestIterConfig bestIterConfigFromJson(ConfigReader& reader);
nlohmann::json toJson(const GanConfig& config);
nlohmann::json toJson(const BestIterConfig& config);
nlohmann::json toJson(const TrainConfig& config);

/// Parameter count of an MLP with the given layer sizes (weights and biases).
long long mlpParameterCount(const std::vector<int>& sizes);
/// Layer sizes of the generator: latent + 1 condition, hidden..., outputs (the voxels; with
/// energy sharing also one logit per calorimeter layer and one for the response).
std::vector<int> generatorLayerSizes(const GanConfig& config, int voxels, int layers = 0);
/// Extra critic inputs besides voxels and condition: 1 + layers with critic features.
int criticFeatureCount(const GanConfig& config, int layers);
/// Layer sizes of the critic: voxels (+ features) + 1 condition, hidden..., 1.
std::vector<int> criticLayerSizes(const GanConfig& config, int voxels, int layers = 0);

}  // namespace bolo
