#pragma once
// INTERNAL to nn/: includes torch. One WGAN-GP iteration (n critic steps, one generator step)
// on tensors already on the device.

#include <torch/torch.h>

#include "calo/ShowerGeometry.hpp"
#include "calo/nn/GanModel.hpp"

namespace bolo::nn {

/// Losses of the last critic step and of the generator step, as device tensors (reading them
/// synchronises, so the loop only does it when it writes metrics).
struct GanStepLosses {
  torch::Tensor criticLoss;        ///< -W + lambda * GP
  torch::Tensor wasserstein;       ///< mean critic(real) - mean critic(fake)
  torch::Tensor gradientPenalty;   ///< mean (|grad critic(mix)| - 1)^2, before lambda
  torch::Tensor generatorLoss;     ///< -mean critic(fake) (+ weight * marginal matching)
  torch::Tensor marginalMatching;  ///< the matching distance before its weight (or undefined)
};

/// Row indices of `conditions` (N x 1) grouped by value: one group per incident-energy point,
/// or, when there are more than 100 distinct values (a continuous spectrum), 20 groups of
/// neighbouring values with about equal counts.
std::vector<torch::Tensor> groupByCondition(const torch::Tensor& conditions);

/// The critic loss and its gradient for given real, fake critic inputs (CriticInput of the
/// showers), mixing weights eps (B x 1) and conditions (B x 1); the gradients are written to
/// the critic parameters' .grad().
/// Autograd (double backward through the critic) ...
GanStepLosses criticGradientsAutograd(GanNetworks& nets, const torch::Tensor& real,
                                      const torch::Tensor& fake, const torch::Tensor& eps,
                                      const torch::Tensor& cond);
/// ... or the same gradient written out for the MLP critic: one forward pass over
/// [real; fake; mix], the input gradient of the mix rows, and its reverse pass by hand (no
/// autograd graph). Equal to the autograd result up to float rounding (tested).
GanStepLosses criticGradientsAnalytic(GanNetworks& nets, const torch::Tensor& real,
                                      const torch::Tensor& fake, const torch::Tensor& eps,
                                      const torch::Tensor& cond);

/// The energy distances below compare features one by one when `blockWidths` is empty, or
/// blocks of consecutive features (widths summing to F) each as one vector, with the
/// Euclidean norm: a block's distance then also sees how its features are correlated.

/// E|R - R'|/2 over distinct pairs of rows of each group of `reference` (groups x R x F):
/// groups x F, or groups x blocks.
torch::Tensor halfMeanPairDistance(const torch::Tensor& reference,
                                   const std::vector<int64_t>& blockWidths = {});

/// The spread (standard deviation) of each feature in each group relative to its mean spread
/// over the groups, at least 0.1: groups x 1 x F, from one N_g x F tensor per group. Dividing
/// a group's features by it puts every group in units of its own width (matching_scale
/// "per_point").
torch::Tensor relativePointSpreads(const std::vector<torch::Tensor>& featuresByGroup);

/// The energy distance E|G - R| - E|G - G'|/2 - E|R - R'|/2 between generated samples
/// (groups x n x F, n >= 2) and a reference (groups x R x F, its halfMeanPairDistance given),
/// averaged over groups and features (or blocks). Unbiased over the generated sample: its
/// expectation is the distance between the generated distribution and the reference sample's, which
/// is zero exactly when they are equal.
torch::Tensor energyDistance(const torch::Tensor& generated, const torch::Tensor& reference,
                             const torch::Tensor& referenceHalfSpread,
                             const std::vector<int64_t>& blockWidths = {});

/// The CaloChallenge shape features of every layer with angular bins, from voxel targets
/// x (N x V): centre of energy in x and in y, then width in x and in y (sqrt of the
/// energy-weighted variance), 4 columns per such layer, standardised with `sample`. A layer
/// holding less than 1e-6 of the target scale has centre 0 and width ~0.
struct ShapeFeatures {
  torch::Tensor energy, first, second;  ///< V x 2L: [1 | 1], [x | y], [x^2 | y^2] of the layers
  torch::Tensor mean, std;

  ShapeFeatures() = default;
  ShapeFeatures(const std::vector<int64_t>& layerVoxels,
                const ShowerGeometry::VoxelPositions& positions, const torch::Tensor& sample);
  bool defined() const { return energy.defined(); }
  torch::Tensor operator()(const torch::Tensor& x) const;
  /// The same before standardisation (mm): [centres x | centres y | widths x | widths y].
  torch::Tensor unstandardised(const torch::Tensor& x) const;
};

class GanStepper {
 public:
  /// `targets` (N x V) and `conditions` (N x 1) are the preprocessed training set; the
  /// critic features are standardised with it. `positions` (the geometry's voxel centres)
  /// are needed with matching_shapes (InputError without).
  GanStepper(GanNetworks& nets, torch::Tensor targets, torch::Tensor conditions,
             const ShowerGeometry::VoxelPositions& positions = {});
  GanStepLosses iterate();
  const CriticInput& criticInput() const { return m_criticInput; }

 private:
  GanStepLosses criticStep();
  void generatorStep(GanStepLosses& losses);
  torch::Tensor sampleIndex();
  /// The marginal-matching term (GanConfig::marginalMatching) for one generator step.
  torch::Tensor marginalMatchingLoss();
  /// matching_scale "per_point": m_pointScale from the training set's groups.
  torch::Tensor pointScales() const;
  /// Features (groups x n x F) in the units of the matching (divided by m_pointScale if set).
  torch::Tensor pointScaled(const torch::Tensor& features) const;

  GanNetworks& m_nets;
  torch::Tensor m_targets, m_conditions;
  CriticInput m_criticInput;
  PhysicsFeatures m_matchingFeatures;  ///< defined when marginal matching is on
  ShapeFeatures m_shapeFeatures;       ///< defined with matching_shapes
  /// The features the matching compares: the physics features, then the shape features.
  torch::Tensor matchedFeatures(const torch::Tensor& x) const;
  /// Row indices of the training showers of each incident-energy point (or energy bin).
  std::vector<torch::Tensor> m_energyGroups;
  /// matching_distance "energy": features of a fixed reference of real showers per group
  /// (groups x R x F) and its half mean pairwise distance E|R - R'|/2 (groups x F).
  torch::Tensor m_matchingReference, m_referenceHalfSpread;
  /// matching_norm "joint": the widths of the blocks compared as vectors (energies, then the
  /// centres and the widths of the angular layers); empty: feature by feature.
  std::vector<int64_t> m_blockWidths;
  /// matching_scale "per_point": each group's feature spread over the mean spread of the
  /// groups (groups x 1 x F); the matched features are divided by it.
  torch::Tensor m_pointScale;
  int64_t m_batch;
  bool m_analytic;
};

}  // namespace bolo::nn
