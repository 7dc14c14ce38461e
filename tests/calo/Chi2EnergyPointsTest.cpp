// chi2 per incident-energy point and combined, on numbers worked out by hand.

#include <gtest/gtest.h>

#include "calo/Chi2EnergyPoints.hpp"
#include "common/Error.hpp"

namespace bolo {
namespace {

TEST(Chi2EnergyPointsTest, PerPointAndCombinedHandComputed) {
  const std::vector<double> refE{100, 100, 100, 100, 200, 200, 200, 200, 400, 400};
  const std::vector<double> refV{1, 2, 3, 4, 10, 20, 30, 40, 5, 6};
  const std::vector<double> genE{100, 100, 100, 100, 200, 200, 200, 200, 300};
  const std::vector<double> genV{1, 1, 4, 4, 10, 10, 10, 50, 7};
  EnergyPointBinning binning;
  binning.bins = 2;
  binning.tailFraction = 0.0;  // edges from the minimum to the maximum of the reference
  const auto r = chi2OverEnergyPoints(refE, refV, genE, genV, binning);
  ASSERT_EQ(r.points.size(), 3u);
  // 100 MeV: edges 1, 2.5, 4; reference {2, 2}, generated {2, 2} -> chi2 0, NDF 1
  EXPECT_DOUBLE_EQ(r.points[0].energyMeV, 100.0);
  EXPECT_NEAR(r.points[0].chi2.chi2, 0.0, 1e-12);
  EXPECT_EQ(r.points[0].chi2.ndf, 1);
  // 200 MeV: edges 10, 25, 40; reference {2, 2}; generated {3, 1} with 50 folded into the
  // last bin. Equal totals: (2-3)^2/5 + (2-1)^2/3 = 0.2 + 1/3, NDF 1
  EXPECT_NEAR(r.points[1].chi2.chi2, 0.2 + 1.0 / 3.0, 1e-12);
  EXPECT_EQ(r.points[1].chi2.ndf, 1);
  EXPECT_EQ(r.points[1].generatedShowers, 4u);
  // 400 MeV has no generated shower: reported missing, left out of the combination.
  EXPECT_EQ(r.points[2].generatedShowers, 0u);
  ASSERT_EQ(r.missingEnergies.size(), 1u);
  EXPECT_DOUBLE_EQ(r.missingEnergies[0], 400.0);
  EXPECT_EQ(r.unmatchedGenerated, 1u);  // the shower at 300 MeV
  EXPECT_NEAR(r.combined.chi2, 0.2 + 1.0 / 3.0, 1e-12);
  EXPECT_EQ(r.combined.ndf, 2);
  EXPECT_NEAR(r.combined.chi2PerNdf(), (0.2 + 1.0 / 3.0) / 2, 1e-12);
  const auto json = toJson(r);
  EXPECT_EQ(json["points"].size(), 3u);
  EXPECT_TRUE(json["points"][2]["chi2_per_ndf"].is_null());
}

TEST(Chi2EnergyPointsTest, OnePointHistogramsShareTheReferenceEdges) {
  EnergyPointBinning binning;
  binning.bins = 3;
  binning.tailFraction = 0.0;
  // Reference 1..7: edges 1, 3, 5, 7. Generated 0 and 9 lie outside and are folded into the
  // edge bins; without folding they are lost to under- and overflow.
  const std::vector<double> reference{1, 2, 3, 4, 5, 6, 7}, generated{0, 4, 9};
  const auto folded = histogramPoint(reference, generated, binning);
  EXPECT_EQ(folded.reference.edges(), (std::vector<double>{1, 3, 5, 7}));
  EXPECT_EQ(folded.generated.edges(), folded.reference.edges());
  EXPECT_EQ(folded.reference.contents(), (std::vector<double>{2, 2, 3}));
  EXPECT_EQ(folded.generated.contents(), (std::vector<double>{1, 1, 1}));
  binning.overflowInEdgeBins = false;
  EXPECT_EQ(histogramPoint(reference, generated, binning).generated.contents(),
            (std::vector<double>{0, 1, 0}));
  // A reference of one repeated value still gets a usable range around it.
  const auto flat = histogramPoint({5, 5, 5}, {5}, binning);
  EXPECT_LT(flat.reference.edges().front(), 5.0);
  EXPECT_GT(flat.reference.edges().back(), 5.0);
  EXPECT_THROW(histogramPoint({}, {1}, binning), InputError);
}

TEST(Chi2EnergyPointsTest, DiscretePointsAndErrors) {
  EXPECT_EQ(discreteEnergyPoints({256, 512, 256.0000001, 512}), (std::vector<double>{256, 512}));
  EXPECT_TRUE(discreteEnergyPoints({1, 2, 3, 4}, 3).empty());
  EXPECT_THROW(chi2OverEnergyPoints({1, 2}, {1}, {1}, {1}), InputError);
  // no generated shower at any reference point
  EXPECT_THROW(chi2OverEnergyPoints({100, 100}, {1, 2}, {300}, {1}), InputError);
}

}  // namespace
}  // namespace bolo
