// chi2 test and separation power on small histograms, computed by hand in the comments.

#include <gtest/gtest.h>

#include <cmath>

#include "common/Chi2Test.hpp"
#include "common/Error.hpp"

namespace bolo {
namespace {

Histogram withContents(const std::vector<double>& contents) {
  std::vector<double> edges(contents.size() + 1);
  for (std::size_t i = 0; i < edges.size(); ++i) edges[i] = static_cast<double>(i);
  Histogram h(edges);
  for (std::size_t i = 0; i < contents.size(); ++i) {
    for (int k = 0; k < static_cast<int>(contents[i]); ++k) h.fill(static_cast<double>(i) + 0.5);
  }
  return h;
}

TEST(Chi2TestTest, SameShapeDifferentSizesGivesZero) {
  // sqrt(30/60)*10 - sqrt(60/30)*5 = 7.071 - 7.071 = 0 in every bin
  const auto r = chi2Test(withContents({10, 20, 30}), withContents({5, 10, 15}));
  EXPECT_NEAR(r.chi2, 0.0, 1e-12);
  EXPECT_EQ(r.ndf, 2);
  EXPECT_NEAR(r.chi2PerNdf(), 0.0, 1e-12);
}

TEST(Chi2TestTest, HandComputedUnequalSizes) {
  // N1 = 10, N2 = 40: factors sqrt(40/10) = 2 and sqrt(10/40) = 1/2.
  // bin 0: (2*4 - 30/2)^2 / (4+30) = 49/34; bin 1: (2*6 - 10/2)^2 / (6+10) = 49/16.
  // The empty middle bin is skipped: 2 filled bins, NDF 1.
  const auto r = chi2Test(withContents({4, 0, 6}), withContents({30, 0, 10}));
  EXPECT_NEAR(r.chi2, 49.0 / 34.0 + 49.0 / 16.0, 1e-12);
  EXPECT_EQ(r.ndf, 1);
  EXPECT_NEAR(r.chi2PerNdf(), 49.0 / 34.0 + 49.0 / 16.0, 1e-12);
  // Symmetric in its arguments.
  EXPECT_NEAR(chi2Test(withContents({30, 0, 10}), withContents({4, 0, 6})).chi2, r.chi2, 1e-12);
}

TEST(Chi2TestTest, HandComputedEqualSizes) {
  // N1 = N2 = 20: (10-0)^2/10 + (0-10)^2/10 + 0 = 20, NDF 2
  const auto r = chi2Test(withContents({10, 0, 10}), withContents({0, 10, 10}));
  EXPECT_NEAR(r.chi2, 20.0, 1e-12);
  EXPECT_EQ(r.ndf, 2);
  EXPECT_NEAR(r.chi2PerNdf(), 10.0, 1e-12);
}

TEST(Chi2TestTest, IgnoresOverflowUnlessFolded) {
  Histogram a({0, 1, 2}), b({0, 1, 2});
  a.fill(0.5);
  a.fill(1.5);
  a.fill(9.0);  // overflow
  b.fill(0.5);
  b.fill(1.5);
  EXPECT_NEAR(chi2Test(a, b).chi2, 0.0, 1e-12);
  // folded: a = {1, 2} (N 3), b = {1, 1} (N 2); factors sqrt(2/3), sqrt(3/2)
  // bin 0: (0.8165 - 1.2247)^2/2, bin 1: (1.6330 - 1.2247)^2/3
  const double f1 = std::sqrt(2.0 / 3.0), f2 = std::sqrt(1.5);
  const double expected = std::pow(f1 - f2, 2) / 2 + std::pow(2 * f1 - f2, 2) / 3;
  EXPECT_NEAR(chi2Test(a.withOverflowInEdgeBins(), b.withOverflowInEdgeBins()).chi2, expected,
              1e-12);
}

TEST(Chi2TestTest, CombinesOverPointsAsSumOverSum) {
  const auto c = combineChi2({{4.0, 2}, {6.0, 3}});
  EXPECT_DOUBLE_EQ(c.chi2, 10.0);
  EXPECT_EQ(c.ndf, 5);
  EXPECT_DOUBLE_EQ(c.chi2PerNdf(), 2.0);
  EXPECT_TRUE(std::isnan(Chi2Result{0.0, 0}.chi2PerNdf()));
}

TEST(Chi2TestTest, SeparationPowerHandComputed) {
  // h1 = {0.4, 0.6}, h2 = {0.75, 0.25}: 1/2 (0.35^2/1.15 + 0.35^2/0.85) = 0.1253197...
  const double expected = 0.5 * (0.1225 / 1.15 + 0.1225 / 0.85);
  EXPECT_NEAR(separationPower(withContents({4, 6}), withContents({30, 10})), expected, 1e-12);
  EXPECT_NEAR(separationPower(withContents({1, 2, 3}), withContents({2, 4, 6})), 0.0, 1e-15);
  EXPECT_NEAR(separationPower(withContents({5, 0}), withContents({0, 7})), 1.0, 1e-15);
}

TEST(Chi2TestTest, RejectsMismatchedOrEmpty) {
  Histogram a({0, 1, 2}), b({0, 1, 3}), empty({0, 1, 2});
  a.fill(0.5);
  b.fill(0.5);
  EXPECT_THROW(chi2Test(a, b), InputError);
  EXPECT_THROW(chi2Test(a, empty), InputError);
  EXPECT_THROW(separationPower(a, b), InputError);
  EXPECT_THROW(separationPower(empty, a), InputError);
}

}  // namespace
}  // namespace bolo
