// Histogram: edges, filling, under/overflow, weights, normalisation, quantile edges.
// Every expected number is worked out by hand in the comments.

#include <gtest/gtest.h>

#include <cmath>

#include "common/Error.hpp"
#include "common/Histogram.hpp"

namespace bolo {
namespace {

TEST(HistogramTest, FillsBinsUnderflowAndOverflowWithWeights) {
  Histogram h({0.0, 1.0, 2.0, 4.0});
  h.fill(-1.0);      // underflow
  h.fill(0.0);       // bin 0 (lower edge included)
  h.fill(0.5, 2.0);  // bin 0, weight 2
  h.fill(1.0);       // bin 1 (edge belongs to the bin above)
  h.fill(3.9, 0.5);  // bin 2
  h.fill(4.0);       // bin 2: the last bin is closed on the right, as in numpy
  h.fill(5.0, 3.0);  // overflow
  EXPECT_EQ(h.bins(), 3);
  EXPECT_DOUBLE_EQ(h.content(0), 3.0);
  EXPECT_DOUBLE_EQ(h.sumOfSquaredWeights(0), 1.0 + 4.0);
  EXPECT_DOUBLE_EQ(h.error(0), std::sqrt(5.0));
  EXPECT_DOUBLE_EQ(h.content(1), 1.0);
  EXPECT_DOUBLE_EQ(h.content(2), 1.5);
  EXPECT_DOUBLE_EQ(h.sumOfSquaredWeights(2), 0.25 + 1.0);
  EXPECT_DOUBLE_EQ(h.underflow(), 1.0);
  EXPECT_DOUBLE_EQ(h.overflow(), 3.0);
  EXPECT_EQ(h.entries(), 7u);
  EXPECT_DOUBLE_EQ(h.integral(), 5.5);
  EXPECT_EQ(h.nonEmptyBins(), 3);
  EXPECT_EQ(h.findBin(-0.1), -1);
  EXPECT_EQ(h.findBin(1.999), 1);
  EXPECT_EQ(h.findBin(4.01), 3);
}

TEST(HistogramTest, NormalisationAndDensities) {
  Histogram h({0.0, 1.0, 3.0});
  h.fill(0.5, 1.0);
  h.fill(2.0, 3.0);
  h.fill(10.0);  // overflow: not part of the normalisation
  const Histogram n = h.normalized();
  EXPECT_DOUBLE_EQ(n.content(0), 0.25);
  EXPECT_DOUBLE_EQ(n.content(1), 0.75);
  EXPECT_DOUBLE_EQ(n.sumOfSquaredWeights(1), 9.0 / 16.0);
  EXPECT_DOUBLE_EQ(n.overflow(), 0.25);
  // densities: content / (integral * width) -> 1/(4*1), 3/(4*2)
  const auto d = h.densities();
  EXPECT_DOUBLE_EQ(d[0], 0.25);
  EXPECT_DOUBLE_EQ(d[1], 0.375);
  Histogram empty({0.0, 1.0});
  EXPECT_THROW(empty.normalized(), InputError);
}

TEST(HistogramTest, OverflowFoldsIntoEdgeBins) {
  Histogram h({0.0, 1.0, 2.0});
  h.fill(-5.0);
  h.fill(-4.0);
  h.fill(0.5);
  h.fill(7.0);
  const Histogram folded = h.withOverflowInEdgeBins();
  EXPECT_DOUBLE_EQ(folded.content(0), 3.0);
  EXPECT_DOUBLE_EQ(folded.content(1), 1.0);
  EXPECT_DOUBLE_EQ(folded.underflow(), 0.0);
  EXPECT_DOUBLE_EQ(folded.overflow(), 0.0);
  EXPECT_DOUBLE_EQ(folded.integral(), 4.0);
}

TEST(HistogramTest, UniformAndLogarithmicEdges) {
  const auto u = Histogram::uniform(4, -1.0, 1.0);
  ASSERT_EQ(u.edges().size(), 5u);
  EXPECT_DOUBLE_EQ(u.edges()[1], -0.5);
  EXPECT_DOUBLE_EQ(u.edges()[2], 0.0);
  EXPECT_DOUBLE_EQ(u.edges()[4], 1.0);
  const auto l = Histogram::logarithmic(2, 1.0, 100.0);
  ASSERT_EQ(l.edges().size(), 3u);
  EXPECT_DOUBLE_EQ(l.edges()[0], 1.0);
  EXPECT_NEAR(l.edges()[1], 10.0, 1e-12);
  EXPECT_DOUBLE_EQ(l.edges()[2], 100.0);
  EXPECT_THROW(Histogram::logarithmic(3, 0.0, 1.0), InputError);
  EXPECT_THROW(Histogram::uniform(0, 0.0, 1.0), InputError);
  EXPECT_THROW(Histogram::uniform(3, 1.0, 1.0), InputError);
}

TEST(HistogramTest, QuantileEdgesInterpolateLikeNumpy) {
  // numpy.quantile([1,2,3,4,5], [0, .5, 1]) = [1, 3, 5]
  EXPECT_EQ(quantileEdges({5, 1, 4, 2, 3}, 2), (std::vector<double>{1, 3, 5}));
  // numpy.quantile([0, 10], [0, .25, .5, .75, 1]) = [0, 2.5, 5, 7.5, 10]
  EXPECT_EQ(quantileEdges({10, 0}, 4), (std::vector<double>{0, 2.5, 5, 7.5, 10}));
  // [1,1,1,2] at 0, .5, 1 -> 1, 1, 2: the repeated edge is merged into one bin
  EXPECT_EQ(quantileEdges({1, 1, 1, 2}, 2), (std::vector<double>{1, 2}));
  // one distinct value: one bin of width 1 around it
  EXPECT_EQ(quantileEdges({3, 3, 3}, 5), (std::vector<double>{2.5, 3.5}));
  const auto h = Histogram::fromQuantiles({1, 2, 3, 4, 5, 6, 7, 8}, 4);
  Histogram filled = h;
  filled.fill({1, 2, 3, 4, 5, 6, 7, 8});
  // edges 1, 2.75, 4.5, 6.25, 8 -> two values per bin, the maximum in the last bin
  EXPECT_DOUBLE_EQ(filled.content(0), 2.0);
  EXPECT_DOUBLE_EQ(filled.content(3), 2.0);
  EXPECT_DOUBLE_EQ(filled.overflow(), 0.0);
  EXPECT_THROW(quantileEdges({}, 3), InputError);
  EXPECT_THROW(quantileEdges({1.0, NAN}, 3), InputError);
}

TEST(HistogramTest, RejectsBadEdgesNanAndMismatchedAdd) {
  EXPECT_THROW(Histogram({1.0}), InputError);
  EXPECT_THROW(Histogram({0.0, 0.0, 1.0}), InputError);
  EXPECT_THROW(Histogram({0.0, INFINITY}), InputError);
  Histogram h({0.0, 1.0});
  EXPECT_THROW(h.fill(NAN), InputError);
  Histogram a({0.0, 1.0, 2.0}), b({0.0, 1.0, 2.0}), c({0.0, 2.0});
  a.fill(0.5);
  b.fill(1.5, 2.0);
  a.add(b);
  EXPECT_DOUBLE_EQ(a.content(0), 1.0);
  EXPECT_DOUBLE_EQ(a.content(1), 2.0);
  EXPECT_EQ(a.entries(), 2u);
  EXPECT_THROW(a.add(c), InputError);
}

}  // namespace
}  // namespace bolo
