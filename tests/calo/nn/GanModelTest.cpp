// The pieces of Bolo's GAN recipe: the energy-sharing head, the physics features of the
// critic and of marginal matching, the grouping by energy point, the EMA of the weights.

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

#include "GanTestSupport.hpp"
#include "calo/nn/GanModel.hpp"
#include "calo/nn/GanStep.hpp"
#include "common/Error.hpp"

namespace bolo::nn {
namespace {

TEST(GeneratorHead, EnergySharingMakesResponseAndLayerFractionsExplicit) {
  torch::manual_seed(1);
  const GeneratorHead head{"energy_sharing", {3, 5}};
  const auto raw = torch::randn({6, 3 + 5 + 2 + 1}, torch::kFloat64) * 3;
  const auto x = head(raw);
  ASSERT_EQ(x.size(1), 8);
  EXPECT_GE(x.min().item<double>(), 0.0);
  const auto response = torch::softplus(raw.narrow(1, 10, 1) + 0.5);
  const auto fractions = torch::softmax(raw.narrow(1, 8, 2), 1);
  // E_tot / E_inc is the response output, layer k holds response * fraction k: to rounding.
  EXPECT_TRUE(torch::allclose(x.sum(1, true), response, 1e-12, 1e-12));
  EXPECT_TRUE(torch::allclose(x.narrow(1, 0, 3).sum(1, true), response * fractions.narrow(1, 0, 1),
                              1e-12, 1e-12));
  EXPECT_TRUE(torch::allclose(x.narrow(1, 3, 5).sum(1, true), response * fractions.narrow(1, 1, 1),
                              1e-12, 1e-12));
  // Free voxels pass through unchanged (the MLP's own ReLU did the work).
  const GeneratorHead free{"relu", {}};
  EXPECT_TRUE(torch::equal(free(raw), raw));
}

TEST(Sparsemax, ProjectsOntoTheSimplexWithExactZeros) {
  // z = (1, 0.5, -1): sorted running sums 1, 1.5, 0.5; 1 + 2 * 0.5 > 1.5 but 1 - 3 < 0.5, so
  // the support is the first two, tau = (1.5 - 1) / 2 = 0.25 and the result (0.75, 0.25, 0).
  const auto z = torch::tensor({1.0, 0.5, -1.0}, torch::kFloat64).view({1, 3}).requires_grad_(true);
  const auto p = sparsemax(z);
  EXPECT_TRUE(
      torch::allclose(p, torch::tensor({0.75, 0.25, 0.0}, torch::kFloat64).view({1, 3}), 0, 1e-15));
  // On the support the Jacobian is I - 1 1^T / |support|, zero elsewhere: d p_0 / d z =
  // (1/2, -1/2, 0).
  p[0][0].backward();
  EXPECT_TRUE(torch::allclose(
      z.grad(), torch::tensor({0.5, -0.5, 0.0}, torch::kFloat64).view({1, 3}), 0, 1e-15));
  // Close logits keep every entry (z - mean(z) + 1/n), and every row sums to one.
  const auto close = torch::tensor({0.01, -0.02, 0.0, 0.03}, torch::kFloat64).view({1, 4});
  EXPECT_TRUE(torch::allclose(sparsemax(close), close - close.mean() + 0.25, 0, 1e-15));
  torch::manual_seed(3);
  const auto rows = sparsemax(torch::randn({50, 20}, torch::kFloat64) * 2);
  EXPECT_TRUE(torch::allclose(rows.sum(1), torch::ones({50}, torch::kFloat64), 0, 1e-12));
  EXPECT_GE(rows.min().item<double>(), 0.0);
  EXPECT_GT((rows == 0).sum().item<int64_t>(), 500);  // mostly sparse at this spread
}

TEST(GeneratorHead, SparsemaxShapesKeepTheLayerEnergiesAndZeroSomeVoxels) {
  torch::manual_seed(2);
  const GeneratorHead soft{"energy_sharing", {3, 5}}, sparse{"energy_sharing", {3, 5}, "sparsemax"};
  const auto raw = torch::randn({6, 3 + 5 + 2 + 1}, torch::kFloat64) * 3;
  const auto s = soft(raw), x = sparse(raw);
  // The response and layer fractions do not depend on how a layer's shape is made.
  EXPECT_TRUE(torch::allclose(x.narrow(1, 0, 3).sum(1), s.narrow(1, 0, 3).sum(1), 1e-12, 1e-12));
  EXPECT_TRUE(torch::allclose(x.narrow(1, 3, 5).sum(1), s.narrow(1, 3, 5).sum(1), 1e-12, 1e-12));
  EXPECT_GT((x == 0).sum().item<int64_t>(), 0);
  EXPECT_EQ((s == 0).sum().item<int64_t>(), 0);
}

TEST(GeneratorHead, ShapeNoiseMovesVoxelsWithinTheLayersAndScalesWithItsOutput) {
  torch::manual_seed(4);
  const GeneratorHead plain{"energy_sharing", {3, 5}};
  const GeneratorHead noisy{"energy_sharing", {3, 5}, "softmax", true};
  // Columns: 8 voxel logits, 2 layer logits, 1 response, then 2 noise scales (one per layer).
  const auto raw = torch::randn({6, 3 + 5 + 2 + 1 + 2}, torch::kFloat64);
  const auto noise = torch::randn({6, 8}, torch::kFloat64);
  const auto x = noisy(raw, noise), base = plain(raw.narrow(1, 0, 11));
  ASSERT_EQ(x.size(1), 8);
  // The noise reshapes each layer but never moves energy between layers.
  EXPECT_TRUE(torch::allclose(x.narrow(1, 0, 3).sum(1), base.narrow(1, 0, 3).sum(1), 1e-12, 1e-12));
  EXPECT_TRUE(torch::allclose(x.narrow(1, 3, 5).sum(1), base.narrow(1, 3, 5).sum(1), 1e-12, 1e-12));
  EXPECT_FALSE(torch::allclose(x, base, 1e-6, 1e-6));
  // Given the noise the head is a function: the same noise, the same showers.
  EXPECT_TRUE(torch::equal(noisy(raw, noise), x));
  // sigma = softplus(o - 3): the logits of layer 0 move by exactly sigma_0 times the noise,
  // which a softmax shape shows as log(s_v / s_w) = z_v - z_w + sigma (n_v - n_w).
  const auto sigma0 = torch::softplus(raw.narrow(1, 11, 1) - 3.0);
  const auto logRatio = (x.narrow(1, 0, 1) / x.narrow(1, 1, 1)).log();
  const auto expected = raw.narrow(1, 0, 1) - raw.narrow(1, 1, 1) +
                        sigma0 * (noise.narrow(1, 0, 1) - noise.narrow(1, 1, 1));
  EXPECT_TRUE(torch::allclose(logRatio, expected, 1e-9, 1e-9));
  // A very negative scale output switches the noise off.
  auto quiet = raw.clone();
  quiet.narrow(1, 11, 2).fill_(-60.0);
  EXPECT_TRUE(torch::allclose(noisy(quiet, noise), base, 1e-12, 1e-12));
  // Without explicit noise (training) it is drawn: two calls differ.
  EXPECT_FALSE(torch::equal(noisy(raw), noisy(raw)));
}

TEST(PhysicsFeatures, StandardisedTotalAndLayerEnergies) {
  // Two showers over layers of 1 and 2 voxels: totals 3 and 5, layer energies (1, 2), (3, 2).
  const auto sample = torch::tensor({{1.0, 1.0, 1.0}, {3.0, 1.0, 1.0}}, torch::kFloat64);
  const PhysicsFeatures features({1, 2}, sample);
  ASSERT_EQ(features.count(), 3);
  const auto f = features(sample);
  // Each column is standardised over the sample: +-1/sqrt(2) for two distinct values (std
  // with Bessel's correction), and a constant column (layer 2) is divided by the floor 1e-6
  // of its spread after subtracting its mean, giving 0.
  EXPECT_NEAR(f[0][0].item<double>(), -1 / std::sqrt(2.0), 1e-12);
  EXPECT_NEAR(f[1][0].item<double>(), 1 / std::sqrt(2.0), 1e-12);
  EXPECT_NEAR(f[0][1].item<double>(), -1 / std::sqrt(2.0), 1e-12);
  EXPECT_NEAR(f[0][2].item<double>(), 0.0, 1e-12);
}

TEST(PhysicsFeatures, LogarithmicEnergiesStandardisedOnTheLogScale) {
  // Layer 0 holds 1e-4 and 1e-2 of E_inc: on the log scale ln(1e-4 + 1e-7) and
  // ln(1e-2 + 1e-7), standardised to -+1/sqrt(2); a third shower with 1e-3 sits at the log
  // midpoint (up to the 1e-7 floor, ~1e-3 relative), i.e. at ~0, where on the linear scale
  // it would sit near the lower one.
  const auto sample = torch::tensor({{1e-4, 0.5}, {1e-2, 0.5}}, torch::kFloat64);
  const PhysicsFeatures logs({1, 1}, sample, true);
  const auto f = logs(torch::tensor({{1e-4, 0.5}, {1e-2, 0.5}, {1e-3, 0.5}}, torch::kFloat64));
  EXPECT_NEAR(f[0][1].item<double>(), -1 / std::sqrt(2.0), 1e-12);
  EXPECT_NEAR(f[1][1].item<double>(), 1 / std::sqrt(2.0), 1e-12);
  EXPECT_NEAR(f[2][1].item<double>(), 0.0, 2e-3);
  const PhysicsFeatures linear({1, 1}, sample);
  EXPECT_LT(linear(torch::tensor({{1e-3, 0.5}}, torch::kFloat64))[0][1].item<double>(), -0.5);
  // An empty layer stays finite: ln(1e-7).
  const auto empty = logs(torch::tensor({{0.0, 0.5}}, torch::kFloat64));
  EXPECT_TRUE(std::isfinite(empty[0][1].item<double>()));
  EXPECT_LT(empty[0][1].item<double>(), -2.5);  // (ln 1e-7 - mean) / std = -2.8
}

TEST(GroupByCondition, OneGroupPerEnergyPointOrTwentyBins) {
  const auto discrete = torch::tensor({0.5f, 0.0f, 0.5f, 1.0f, 0.0f}).view({5, 1});
  const auto groups = groupByCondition(discrete);
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_EQ(groups[0].numel(), 2);  // condition 0: rows 1 and 4
  EXPECT_EQ(groups[0][0].item<int64_t>(), 1);
  EXPECT_EQ(groups[1].numel(), 2);
  EXPECT_EQ(groups[2].numel(), 1);
  // 1,000 distinct values (a continuous spectrum): 20 bins, every row exactly once.
  const auto continuous = torch::rand({1000, 1});
  const auto bins = groupByCondition(continuous);
  EXPECT_EQ(bins.size(), 20u);
  int64_t rows = 0;
  for (const auto& b : bins) rows += b.numel();
  EXPECT_EQ(rows, 1000);
}

TEST(EnergyDistance, ExactHalfSpreadAndUnbiasedMinimumAtTheReferenceWidth) {
  // Reference: 1 group, rows 0, 1, 3 of one feature: pair distances 1, 3, 2 -> mean 2, half 1.
  const auto tiny = torch::tensor({0.0, 1.0, 3.0}, torch::kFloat64).view({1, 3, 1});
  EXPECT_NEAR(halfMeanPairDistance(tiny)[0][0].item<double>(), 1.0, 1e-12);

  // A standard-normal reference of 1,024 rows; 4,000 independent generated samples of 16
  // rows each (as 4,000 groups), scaled to width a. Averaged over the samples, the energy
  // distance is ~0 at a = 1 and positive for too narrow (0.5) or too wide (1.6)
  // distributions: for Gaussians E|G - R| - E|G - G'|/2 - E|R - R'|/2 = (sqrt(1 + a^2) -
  // (1 + a) / sqrt 2) sqrt(2 / pi), 0.0458 at a = 0.5 and 0.0386 at a = 1.6. The estimate's
  // spread over one sample of 16 is ~0.1, so the mean of 4,000 has a standard error of
  // ~0.0016: the tolerances below are 4 of those.
  torch::manual_seed(7);
  const int64_t samples = 4000, n = 16;
  // The reference: the 1,024 quantiles (i + 1/2) / 1024 of N(0, 1), so that it has the
  // standard normal's width up to the discretisation (a random one's width varies by ~2 %,
  // which moves the expected distances below by ~0.005).
  const auto probabilities = (torch::arange(1024, torch::kFloat64) + 0.5) / 1024;
  const auto reference = (std::sqrt(2.0) * torch::erfinv(2 * probabilities - 1)).view({1, 1024, 1});
  const auto spread = halfMeanPairDistance(reference);
  const auto unit = torch::randn({samples, n, 1}, torch::kFloat64);
  auto meanDistance = [&](double width) {
    return energyDistance(width * unit, reference.expand({samples, 1024, 1}),
                          spread.expand({samples, 1}))
        .item<double>();
  };
  const double atReference = meanDistance(1.0);
  EXPECT_NEAR(atReference, 0.0, 0.01);
  EXPECT_NEAR(meanDistance(0.5) - atReference, 0.0458, 0.006);
  EXPECT_NEAR(meanDistance(1.6) - atReference, 0.0386, 0.006);
}

TEST(EnergyDistance, BlocksCompareFeaturesAsVectors) {
  // Rows (0, 0), (3, 4), (0, 4) as one block of two: distances 5, 4 and 3, mean 4, half 2.
  const auto tiny = torch::tensor({0.0, 0.0, 3.0, 4.0, 0.0, 4.0}, torch::kFloat64).view({1, 3, 2});
  const auto joint = halfMeanPairDistance(tiny, {2});
  ASSERT_EQ(joint.sizes(), (std::vector<int64_t>{1, 1}));
  EXPECT_NEAR(joint[0][0].item<double>(), 2.0, 1e-5);  // the norm's 1e-12 under the root
  // Feature by feature: (3 + 0 + 3) / 3 / 2 = 1 and (4 + 4 + 0) / 3 / 2 = 4/3.
  const auto single = halfMeanPairDistance(tiny);
  EXPECT_NEAR(single[0][0].item<double>(), 1.0, 1e-12);
  EXPECT_NEAR(single[0][1].item<double>(), 4.0 / 3.0, 1e-12);
}

TEST(EnergyDistance, TheJointNormSeesCorrelationsTheMarginalsDoNot) {
  // Reference: 1,024 rows of two standard normals with correlation 0.9. Generated: 2,000
  // samples of 16 rows (as 2,000 groups) with the same marginals, either independent or with
  // the reference's correlation. Feature by feature both are at the reference (~0). Jointly
  // the correlated samples are at ~0 and the independent ones at 0.036 (the population
  // value, from 4,000-row samples). One 16-row estimate spreads by 0.033 jointly and ~0.1 per
  // feature, so means of 2,000 have standard errors of ~0.0007 and ~0.002; the tolerances
  // also allow for the one random reference of 1,024 rows.
  torch::manual_seed(11);
  const double rho = 0.9;
  auto correlate = [&](const torch::Tensor& u) {
    auto out = u.clone();
    out.select(-1, 1).copy_(rho * u.select(-1, 0) + std::sqrt(1 - rho * rho) * u.select(-1, 1));
    return out;
  };
  const auto reference = correlate(torch::randn({1, 1024, 2}, torch::kFloat64));
  const int64_t samples = 2000;
  const auto unit = torch::randn({samples, 16, 2}, torch::kFloat64);
  const auto independent = unit, correlated = correlate(unit);
  auto distance = [&](const torch::Tensor& generated, const std::vector<int64_t>& blocks) {
    const auto spread = halfMeanPairDistance(reference, blocks);
    return energyDistance(generated, reference.expand({samples, 1024, 2}),
                          spread.expand({samples, spread.size(1)}), blocks)
        .item<double>();
  };
  EXPECT_NEAR(distance(independent, {}), 0.0, 0.012);
  EXPECT_NEAR(distance(correlated, {}), 0.0, 0.012);
  EXPECT_NEAR(distance(correlated, {2}), 0.0, 0.004);
  EXPECT_NEAR(distance(independent, {2}), 0.036, 0.006);
}

TEST(RelativePointSpreads, EachGroupInUnitsOfItsOwnWidthRelativeToTheMean) {
  // Two groups, two features. Feature 0: rows {0, 2} (sd sqrt 2) and {0, 6} (sd 3 sqrt 2):
  // mean 2 sqrt 2, relative 0.5 and 1.5. Feature 1: constant in group 0 (sd 0) and {0, 4}
  // (sd 2 sqrt 2) in group 1: mean sqrt 2, relative 0 -> clamped to 0.1, and 2.
  const auto g0 = torch::tensor({0.0, 5.0, 2.0, 5.0}, torch::kFloat64).view({2, 2});
  const auto g1 = torch::tensor({0.0, 0.0, 6.0, 4.0}, torch::kFloat64).view({2, 2});
  const auto scales = relativePointSpreads({g0, g1});
  ASSERT_EQ(scales.sizes(), (std::vector<int64_t>{2, 1, 2}));
  EXPECT_NEAR(scales[0][0][0].item<double>(), 0.5, 1e-12);
  EXPECT_NEAR(scales[1][0][0].item<double>(), 1.5, 1e-12);
  EXPECT_NEAR(scales[0][0][1].item<double>(), 0.1, 1e-12);
  EXPECT_NEAR(scales[1][0][1].item<double>(), 2.0, 1e-12);
}

TEST(ShapeFeatures, CentresAndWidthsOfTheLayersWithAngles) {
  // Two layers: one voxel without angles (left out), then four voxels at x = -1, 1, -1, 3 and
  // y = 0, 0, 2, 2 (mm). A shower with energies 1, 1, 0, 2 in them: layer energy 4, centre x
  // (-1 + 1 + 6) / 4 = 1.5, centre y 4 / 4 = 1, width x sqrt((1 + 1 + 18) / 4 - 2.25) =
  // sqrt(2.75), width y sqrt(8 / 4 - 1) = 1. An empty layer: centre 0, width ~0 (1e-4).
  ShowerGeometry::VoxelPositions positions;
  positions.x = {5, -1, 1, -1, 3};
  positions.y = {5, 0, 0, 2, 2};
  positions.layerHasAngles = {false, true};
  const auto sample =
      torch::tensor({7.0, 1.0, 1.0, 0.0, 2.0, 1.0, 0.0, 0.0, 0.0, 0.0}, torch::kFloat64)
          .view({2, 5});
  const ShapeFeatures shapes({1, 4}, positions, sample);
  const auto values = shapes.unstandardised(sample);
  ASSERT_EQ(values.sizes(), (std::vector<int64_t>{2, 4}));
  EXPECT_NEAR(values[0][0].item<double>(), 1.5, 1e-12);
  EXPECT_NEAR(values[0][1].item<double>(), 1.0, 1e-12);
  EXPECT_NEAR(values[0][2].item<double>(), std::sqrt(2.75), 1e-6);
  EXPECT_NEAR(values[0][3].item<double>(), 1.0, 1e-6);
  EXPECT_NEAR(values[1][0].item<double>(), 0.0, 1e-12);
  EXPECT_NEAR(values[1][2].item<double>(), 1e-4, 1e-9);
  // Standardised with the sample's own mean and spread: each column has mean 0.
  EXPECT_NEAR(shapes(sample).mean(0).abs().max().item<double>(), 0.0, 1e-9);
  // Positions that do not fit the voxels are an input error.
  positions.x.pop_back();
  EXPECT_THROW(ShapeFeatures({1, 4}, positions, sample), InputError);
}

TEST(GanNetworks, EmaFollowsTheGeneratorSlowly) {
  torch::manual_seed(2);
  GanConfig config = test::tinyGanConfig();
  config.emaDecay = 0.9;
  GanNetworks nets(config, 6, torch::Device("cpu"));
  ASSERT_TRUE(nets.generatorEma);
  const auto before = nets.generatorEma->parameters()[0].clone();
  EXPECT_TRUE(torch::equal(before, nets.generator->parameters()[0]));  // starts as a copy
  {
    torch::NoGradGuard noGrad;
    nets.generator->parameters()[0].add_(1.0);
  }
  nets.updateEma();
  // One step of w_ema <- 0.9 w_ema + 0.1 w moves every weight by 0.1 of the gap of 1.
  EXPECT_TRUE(torch::allclose(nets.generatorEma->parameters()[0], before + 0.1, 1e-6, 1e-6));
}

TEST(GanNetworks, LearningRatesScaleFromTheConfiguredOnes) {
  GanConfig config = test::tinyGanConfig();
  config.generatorLearningRate = 1e-3;
  config.criticLearningRate = 4e-3;
  GanNetworks nets(config, 6, torch::Device("cpu"));
  auto lr = [](torch::optim::Adam& optimizer) {
    return static_cast<torch::optim::AdamOptions&>(optimizer.param_groups()[0].options()).lr();
  };
  nets.scaleLearningRates(0.5);
  nets.scaleLearningRates(0.25);  // relative to the configured rates, not compounding
  EXPECT_DOUBLE_EQ(lr(*nets.generatorOptimizer), 2.5e-4);
  EXPECT_DOUBLE_EQ(lr(*nets.criticOptimizer), 1e-3);
}

TEST(GanNetworks, HeUniformInitialisationHasZeroBiasesAndReluBound) {
  torch::manual_seed(4);
  GanConfig config = test::tinyGanConfig();
  config.weightInit = "he_uniform";
  GanNetworks nets(config, 6, torch::Device("cpu"));
  for (const auto& layer : nets.critic->layers()) {
    EXPECT_EQ(layer->bias.abs().max().item<double>(), 0.0);
    // Kaiming uniform for ReLU: U(-b, b) with b = sqrt(6 / fan_in).
    const double bound = std::sqrt(6.0 / static_cast<double>(layer->weight.size(1)));
    EXPECT_LE(layer->weight.abs().max().item<double>(), bound);
    EXPECT_GT(layer->weight.abs().max().item<double>(), 0.5 * bound);
  }
}

TEST(GanNetworks, EnergySharingWithoutLayersIsAnInputError) {
  GanConfig config = test::tinyGanConfig();
  config.generatorOutput = "energy_sharing";
  EXPECT_THROW(GanNetworks(config, 6, torch::Device("cpu")), InputError);
  EXPECT_THROW(GanNetworks(config, 6, torch::Device("cpu"), {2, 2}), InputError);
  EXPECT_NO_THROW(GanNetworks(config, 6, torch::Device("cpu"), {2, 4}));
}

}  // namespace
}  // namespace bolo::nn
