// Flavour-tagging metrics against cases computed by hand.

#include <gtest/gtest.h>

#include <cmath>

#include "common/Error.hpp"
#include "ftag/FlavourMetrics.hpp"

namespace bolo {
namespace {

TEST(FlavourMetrics, DiscriminantFollowsTheDefinition) {
  // D_b = ln(0.7 / (0.08 * 0.2 + 0.92 * 0.1)) = ln(0.7 / 0.108)
  EXPECT_NEAR(discriminantDb(0.7, 0.2, 0.1, 0.08), std::log(0.7 / 0.108), 1e-12);
  // f_c = 1: b against c only; f_c = 0: b against light only.
  EXPECT_NEAR(discriminantDb(0.5, 0.25, 0.25, 1.0), std::log(2.0), 1e-12);
  EXPECT_NEAR(discriminantDb(0.6, 0.3, 0.1, 0.0), std::log(6.0), 1e-12);
  // Zero probabilities stay finite.
  EXPECT_TRUE(std::isfinite(discriminantDb(0.0, 0.0, 0.0, 0.5)));
}

TEST(FlavourMetrics, DiscriminantsOfScores) {
  TaggerScores scores;
  scores.probabilities = {0.7f, 0.2f, 0.1f, 0.1f, 0.1f, 0.8f};
  scores.labels = {0, 2};
  const auto d = discriminantsDb(scores, 0.08);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_NEAR(d[0], std::log(0.7 / 0.108), 1e-6);
  EXPECT_NEAR(d[1], std::log(0.1 / (0.008 + 0.92 * 0.8)), 1e-6);
  EXPECT_THROW(discriminantsDb(scores, 1.5), InputError);
}

TEST(FlavourMetrics, BinomialEfficiencyAndRejection) {
  const auto e = binomialEfficiency(25, 100);
  EXPECT_DOUBLE_EQ(e.value, 0.25);
  EXPECT_NEAR(e.uncertainty, std::sqrt(0.25 * 0.75 / 100), 1e-15);  // 0.0433
  const auto r = rejectionOf(e);
  EXPECT_DOUBLE_EQ(r.value, 4.0);
  EXPECT_NEAR(r.uncertainty, 16 * std::sqrt(0.25 * 0.75 / 100), 1e-12);  // r^2 sigma_e = 0.693
  EXPECT_FALSE(rejectionOf(binomialEfficiency(0, 100)).finite());
}

TEST(FlavourMetrics, CutKeepsTheRequestedFractionOfSignal) {
  // 10 b-jets with D = 1..10: 70 % -> the 7 highest pass, cut between 3 and 4.
  std::vector<double> b = {5, 1, 9, 3, 7, 2, 10, 4, 8, 6};
  EXPECT_DOUBLE_EQ(cutForEfficiency(b, 0.7), 3.5);
  EXPECT_DOUBLE_EQ(cutForEfficiency(b, 0.1), 9.5);
  EXPECT_LT(cutForEfficiency(b, 1.0), 1.0);
  EXPECT_THROW(cutForEfficiency({}, 0.7), InputError);
  EXPECT_THROW(cutForEfficiency(b, 0.0), InputError);
}

TEST(FlavourMetrics, WorkingPointCountsEachFlavour) {
  // b: D = 1..10; c: D = 2, 4, 6, 8; light: D = 0, 0.5, 3.7, 5 (labels 0 b, 1 c, 2 light).
  std::vector<double> d;
  std::vector<int> labels;
  for (int i = 1; i <= 10; ++i) d.push_back(i), labels.push_back(0);
  for (double x : {2.0, 4.0, 6.0, 8.0}) d.push_back(x), labels.push_back(1);
  for (double x : {0.0, 0.5, 3.7, 5.0}) d.push_back(x), labels.push_back(2);
  const auto wp = evaluateWorkingPoint(d, labels, 0.7);  // cut 3.5
  EXPECT_DOUBLE_EQ(wp.cut, 3.5);
  EXPECT_EQ(wp.b.passed, 7u);
  EXPECT_EQ(wp.c.passed, 3u);      // 4, 6, 8
  EXPECT_EQ(wp.light.passed, 2u);  // 3.7, 5
  EXPECT_DOUBLE_EQ(wp.cRejection.value, 4.0 / 3.0);
  EXPECT_DOUBLE_EQ(wp.lightRejection.value, 2.0);
  // sigma_r = r^2 sqrt(e (1 - e) / N) = 4 * sqrt(0.5 * 0.5 / 4) = 1
  EXPECT_NEAR(wp.lightRejection.uncertainty, 1.0, 1e-12);
}

TEST(FlavourMetrics, FcScanMovesBetweenCAndLightRejection) {
  // Jets whose c-probability varies: at f_c = 0 only light matters, at f_c = 1 only c.
  TaggerScores s;
  auto add = [&](float pb, float pc, float pl, int label) {
    s.probabilities.insert(s.probabilities.end(), {pb, pc, pl});
    s.labels.push_back(label);
  };
  for (int i = 0; i < 10; ++i)
    add(0.5f + 0.04f * static_cast<float>(i), 0.1f, 0.4f - 0.04f * static_cast<float>(i), 0);
  for (int i = 0; i < 10; ++i) add(0.3f, 0.65f, 0.05f, 1);  // c-like: high p_c
  for (int i = 0; i < 10; ++i) add(0.3f, 0.05f, 0.65f, 2);  // light-like
  const auto scan = fcScan(s, {0.0, 1.0}, 0.5);
  EXPECT_GT(scan[0].workingPoint.lightRejection.value, 0);
  // f_c = 1 weights p_c: c-jets get D = ln(0.3/0.65) < every b-jet's, so none pass.
  EXPECT_FALSE(scan[1].workingPoint.cRejection.finite());
  // f_c = 0: c-jets have D = ln(0.3/0.05) = 1.79, above the b cut (ln(0.7/0.2) = 1.25) -> all pass.
  EXPECT_DOUBLE_EQ(scan[0].workingPoint.c.value, 1.0);
}

}  // namespace
}  // namespace bolo
