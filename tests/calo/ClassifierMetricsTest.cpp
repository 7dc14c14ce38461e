// ROC AUC, accuracy, cross-entropy, JSD and isotonic calibration on hand-computed cases.

#include <gtest/gtest.h>

#include <cmath>

#include "calo/ClassifierMetrics.hpp"
#include "common/Error.hpp"

namespace bolo {
namespace {

TEST(ClassifierMetricsTest, RocAucCountsOrderedPairsWithHalfTies) {
  // Pairs (positive, negative): (0.35,0.1) yes, (0.35,0.4) no, (0.8,0.1) yes, (0.8,0.4) yes -> 3/4
  EXPECT_DOUBLE_EQ(rocAuc({0.1, 0.4, 0.35, 0.8}, {0, 0, 1, 1}), 0.75);
  EXPECT_DOUBLE_EQ(rocAuc({0.5, 0.5}, {0, 1}), 0.5);
  EXPECT_DOUBLE_EQ(rocAuc({0.1, 0.9}, {0, 1}), 1.0);
  EXPECT_DOUBLE_EQ(rocAuc({0.1, 0.9}, {1, 0}), 0.0);
  // (0.5 vs 0.5 tie) = 1/2, (0.5 vs 0.2) = 1, (0.7 vs both) = 2 -> 3.5 / 4
  EXPECT_DOUBLE_EQ(rocAuc({0.5, 0.2, 0.5, 0.7}, {0, 0, 1, 1}), 0.875);
  EXPECT_THROW(rocAuc({0.1, 0.2}, {1, 1}), InputError);
  EXPECT_THROW(rocAuc({0.1}, {1, 0}), InputError);
}

TEST(ClassifierMetricsTest, AccuracyCrossEntropyAndJsd) {
  EXPECT_DOUBLE_EQ(accuracy({0.8, 0.3, 0.6}, {1, 0, 0}), 2.0 / 3.0);
  EXPECT_NEAR(binaryCrossEntropy({0.8, 0.3}, {1, 0}), -(std::log(0.8) + std::log(0.7)) / 2, 1e-15);
  EXPECT_NEAR(jsdFromCrossEntropy(std::log(2.0)), 0.0, 1e-15);
  EXPECT_NEAR(jsdFromCrossEntropy(0.0), 1.0, 1e-15);
  // Constant 1/2 predictions carry no information: BCE = ln 2, JSD = 0.
  EXPECT_NEAR(jsdFromCrossEntropy(binaryCrossEntropy({0.5, 0.5}, {0, 1})), 0.0, 1e-15);
}

TEST(ClassifierMetricsTest, IsotonicCalibrationPoolsViolatorsAndInterpolates) {
  // labels by score: 1, 0, 1, 1 -> the first two violate monotonicity and pool to 1/2;
  // the last two stay at 1 (clipped to 1 - 1e-6).
  const IsotonicCalibration calibration({1, 2, 3, 4}, {1, 0, 1, 1});
  EXPECT_DOUBLE_EQ(calibration(1.0), 0.5);
  EXPECT_DOUBLE_EQ(calibration(2.0), 0.5);
  EXPECT_DOUBLE_EQ(calibration(0.0), 0.5);  // clipped below the first point
  EXPECT_DOUBLE_EQ(calibration(4.0), 1.0 - 1e-6);
  EXPECT_DOUBLE_EQ(calibration(99.0), 1.0 - 1e-6);
  EXPECT_NEAR(calibration(2.5), 0.5 + 0.5 * (0.5 - 1e-6), 1e-15);  // half way from 2 to 3
  // Ties in the input are averaged before pooling: x = 1 has labels 0 and 1.
  const IsotonicCalibration tied({1, 1, 2}, {0, 1, 1});
  EXPECT_DOUBLE_EQ(tied(1.0), 0.5);
  EXPECT_DOUBLE_EQ(tied(2.0), 1.0 - 1e-6);
  // A decreasing relation becomes one flat pool at the mean label.
  const IsotonicCalibration flat({1, 2, 3}, {1, 1, 0});
  EXPECT_NEAR(flat(1.5), 2.0 / 3.0, 1e-15);
}

}  // namespace
}  // namespace bolo
