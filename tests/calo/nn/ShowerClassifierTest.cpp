// The classifier test: indistinguishable samples give AUC near 0.5, clearly different ones
// near 1; results repeat for a fixed seed; inputs are prepared as the CaloChallenge does.

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "calo/nn/ShowerClassifier.hpp"
#include "common/Error.hpp"

namespace bolo::nn {
namespace {

ClassifierInputs gaussianRows(std::size_t rows, std::size_t width, double mean,
                              std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal(static_cast<float>(mean), 1.0f);
  ClassifierInputs inputs;
  inputs.width = width;
  for (std::size_t i = 0; i < rows * width; ++i) inputs.values.push_back(normal(rng));
  return inputs;
}

ClassifierConfig smallConfig() {
  ClassifierConfig c;
  c.hiddenUnits = 32;
  c.hiddenLayers = 2;
  c.epochs = 8;
  c.batchSize = 100;
  c.learningRate = 1e-3;
  return c;
}

TEST(ShowerClassifierTest, SameDistributionGivesAucNearOneHalf) {
  // 1500 rows per class -> 300 per class in the test split. Under the null hypothesis the AUC
  // of any fixed scorer has standard deviation sqrt((n1 + n2 + 1) / (12 n1 n2)) = 0.024, so
  // |AUC - 0.5| < 0.1 is a 4-sigma band that a working test passes and a leak of labels
  // (or testing on the training rows of an overfitted net) fails.
  const auto generated = gaussianRows(1500, 20, 0.0, 1);
  const auto reference = gaussianRows(1500, 20, 0.0, 2);
  const auto r = runClassifierTest(generated, reference, smallConfig(), 42, "cpu", "same");
  EXPECT_NEAR(r.auc, 0.5, 0.1);
  EXPECT_NEAR(r.aucUncalibrated, 0.5, 0.1);
  // JSD of identical samples is 0; the estimate from 600 calibrated predictions scatters
  // by a few percent around it (negative when calibration overfits the selection split).
  EXPECT_LT(std::abs(r.jsd), 0.1);
  EXPECT_EQ(r.showersPerClass, 1500u);
  EXPECT_EQ(r.trainRows, 1800u);
  EXPECT_EQ(r.selectionRows, 600u);
  EXPECT_EQ(r.testRows, 600u);
  // Same seed, same numbers.
  const auto again = runClassifierTest(generated, reference, smallConfig(), 42, "cpu", "same");
  EXPECT_DOUBLE_EQ(again.auc, r.auc);
  EXPECT_DOUBLE_EQ(again.jsd, r.jsd);
  EXPECT_EQ(again.bestEpoch, r.bestEpoch);
}

TEST(ShowerClassifierTest, ClearlyDifferentSamplesGiveAucNearOne) {
  // Means 3 sigma apart in each of 20 inputs: the optimal discriminant separates the classes
  // at 3 * sqrt(20) = 13 sigma, so any working classifier reaches AUC > 0.99 and a JSD
  // close to 1; a classifier that learns nothing stays near 0.5 and 0.
  const auto generated = gaussianRows(600, 20, 0.0, 3);
  const auto reference = gaussianRows(900, 20, 3.0, 4);  // unequal sizes: cut to 600
  const auto r = runClassifierTest(generated, reference, smallConfig(), 7, "cpu", "different");
  EXPECT_GT(r.auc, 0.99);
  EXPECT_GT(r.jsd, 0.8);
  EXPECT_GT(r.accuracy, 0.97);
  EXPECT_EQ(r.showersPerClass, 600u);
  EXPECT_LE(r.epochsRun, 8);
}

TEST(ShowerClassifierTest, PreparesInputsLikeTheCaloChallenge) {
  ShowerBatch batch;
  batch.voxels = 2;
  batch.incidentEnergies = {1000.0};
  batch.showers = {100.0f, 250.0f};
  ClassifierInputs voxels;
  appendVoxelInputs(batch, 0, voxels);
  ASSERT_EQ(voxels.width, 3u);
  EXPECT_FLOAT_EQ(voxels.values[0], 3.0f);  // log10(1000)
  EXPECT_FLOAT_EQ(voxels.values[1], 0.1f);
  EXPECT_FLOAT_EQ(voxels.values[2], 0.25f);

  ShowerFeatures f;
  f.incidentEnergies = {100.0};
  f.columns = {{FeatureKind::kResponse, -1, "r", "", "", {0.9}},
               {FeatureKind::kLayerEnergy, 0, "e0", "", "MeV", {10.0}},
               {FeatureKind::kLayerEnergy, 1, "e1", "", "MeV", {0.0}},
               {FeatureKind::kCentreEta, 1, "ce", "", "mm", {50.0}},
               {FeatureKind::kCentrePhi, 1, "cp", "", "mm", {-20.0}},
               {FeatureKind::kWidthEta, 1, "we", "", "mm", {30.0}},
               {FeatureKind::kWidthPhi, 1, "wp", "", "mm", {40.0}},
               {FeatureKind::kSparsity, 1, "s", "", "", {0.5}}};
  ClassifierInputs high;
  appendHighLevelInputs(f, 0, high);
  ASSERT_EQ(high.width, 7u);  // log E_inc, 2 layer energies, 4 eta/phi values; no sparsity
  const std::vector<float> expected{2.0f, 1.0f, -8.0f, 0.5f, -0.2f, 0.3f, 0.4f};
  for (std::size_t i = 0; i < expected.size(); ++i)
    EXPECT_NEAR(high.values[i], expected[i], 1e-6) << i;
}

TEST(ShowerClassifierTest, RejectsTooFewRowsMismatchedWidthsAndBadConfig) {
  EXPECT_THROW(runClassifierTest(gaussianRows(5, 3, 0, 1), gaussianRows(50, 3, 0, 2), smallConfig(),
                                 1, "cpu", "x"),
               InputError);
  EXPECT_THROW(runClassifierTest(gaussianRows(50, 3, 0, 1), gaussianRows(50, 4, 0, 2),
                                 smallConfig(), 1, "cpu", "x"),
               InputError);
  EXPECT_THROW(classifierConfigFromJson({{"epoch", 3}}, "classifier"), InputError);
  EXPECT_THROW(classifierConfigFromJson({{"hidden_units", 0}}, "classifier"), InputError);
  const auto c = classifierConfigFromJson({{"epochs", 3}, {"dropout", 0.1}}, "classifier");
  EXPECT_EQ(c.epochs, 3);
  EXPECT_DOUBLE_EQ(c.dropout, 0.1);
  EXPECT_EQ(classifierConfigFromJson(toJson(c), "classifier").epochs, 3);
}

}  // namespace
}  // namespace bolo::nn
