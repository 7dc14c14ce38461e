// Response and resolution versus incident energy on hand-made samples whose mean, rms and
// ratios are worked out by hand in the comments, and the figure files.

#include <gtest/gtest.h>

#include <cmath>

#include "calo/ResponsePlot.hpp"
#include "common/AtomicFile.hpp"
#include "common/Error.hpp"
#include "common/GnuplotFigure.hpp"
#include "support/TempDir.hpp"

namespace bolo {
namespace {

namespace fs = std::filesystem;

// Reference: at 1 GeV totals 800, 900, 1000 MeV -> responses 0.8, 0.9, 1.0: mean 0.9, rms
// sqrt((0.01 + 0 + 0.01) / 3) = sqrt(0.02 / 3). At 4 GeV totals 2000, 4000 (in scrambled
// order with the 1 GeV ones) -> 0.5, 1.0: mean 0.75, rms 0.25.
const std::vector<double> kReferenceEnergies = {1000, 4000, 1000, 4000, 1000};
const std::vector<double> kReferenceTotals = {800, 2000, 900, 4000, 1000};
// Generated: at 1 GeV responses 0.9, 0.9 -> mean 0.9, rms 0; at 4 GeV 0.6, 0.8, 1.0 -> mean
// 0.8, rms sqrt(0.08 / 3); one shower at 16 GeV, a point the reference lacks.
const std::vector<double> kGeneratedEnergies = {1000, 1000, 4000, 4000, 4000, 16000};
const std::vector<double> kGeneratedTotals = {900, 900, 2400, 3200, 4000, 8000};

TEST(ResponsePlot, MeanAndRmsPerEnergyPoint) {
  const auto ref = responseByEnergy(kReferenceEnergies, kReferenceTotals);
  ASSERT_EQ(ref.size(), 2u);
  EXPECT_EQ(ref[0].energyMeV, 1000);
  EXPECT_EQ(ref[0].showers, 3u);
  EXPECT_NEAR(ref[0].mean, 0.9, 1e-12);
  EXPECT_NEAR(ref[0].rms, std::sqrt(0.02 / 3), 1e-12);
  EXPECT_EQ(ref[1].energyMeV, 4000);
  EXPECT_EQ(ref[1].showers, 2u);
  EXPECT_NEAR(ref[1].mean, 0.75, 1e-12);
  EXPECT_NEAR(ref[1].rms, 0.25, 1e-12);

  const auto one = responseAtEnergy(4000, {2000, 4000});
  EXPECT_NEAR(one.mean, 0.75, 1e-12);
  EXPECT_NEAR(one.rms, 0.25, 1e-12);
  const auto none = responseAtEnergy(4000, {});
  EXPECT_EQ(none.showers, 0u);
  EXPECT_TRUE(std::isnan(none.mean));
  EXPECT_TRUE(std::isnan(none.rms));
}

TEST(ResponsePlot, Rms90IsTheRmsOfTheNarrowestNinetyPercentWindow) {
  // Ten responses: one far-tail shower at 0.1 and nine at 0.80, 0.82, ..., 0.96 (shuffled).
  // The narrowest window of ceil(0.9 * 10) = 9 sorted values is 0.80-0.96 (width 0.16, against
  // 0.84 for 0.1-0.94); its rms: deviations -0.08 ... 0.08 in steps of 0.02 from 0.88, sum of
  // squares 0.0004 * 60 = 0.024, over 9 -> sqrt(0.024 / 9). The plain rms is dominated by the
  // tail shower: ~0.236.
  const std::vector<double> totals = {860, 100, 960, 800, 840, 920, 820, 880, 900, 940};
  const auto s = responseAtEnergy(1000, totals);
  EXPECT_NEAR(s.rms90, std::sqrt(0.024 / 9), 1e-12);
  EXPECT_GT(s.rms, 4 * s.rms90);
  // Without a tail, rms90 is still below the rms (it drops the widest 10 %), and a single
  // shower has zero spread.
  EXPECT_NEAR(responseAtEnergy(1000, {1000}).rms90, 0.0, 1e-12);
  EXPECT_TRUE(std::isnan(responseAtEnergy(1000, {}).rms90));
  const auto points =
      compareResponse({responseAtEnergy(1000, totals)}, {responseAtEnergy(1000, {800, 900})});
  ASSERT_EQ(points.size(), 1u);
  // Generated: ceil(1.8) = 2 values, 0.8 and 0.9: rms90 0.05.
  EXPECT_NEAR(points[0].rms90Ratio, 0.05 / std::sqrt(0.024 / 9), 1e-9);
  EXPECT_NEAR(toJson(points)[0]["rms90_ratio"].get<double>(), points[0].rms90Ratio, 1e-12);
  EXPECT_NEAR(toJson(points)[0]["reference"]["rms90"].get<double>(), s.rms90, 1e-12);
}

TEST(ResponsePlot, EnergiesWithinOnePartPerMillionAreOnePoint) {
  const auto r = responseByEnergy({1000, 1000.0005, 2000}, {500, 700, 1000});
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].showers, 2u);
  EXPECT_NEAR(r[0].mean, 0.6, 1e-6);
  // Continuous energies have no points.
  std::vector<double> energies, totals;
  for (int i = 0; i < 150; ++i) {
    energies.push_back(1000 + i);
    totals.push_back(500);
  }
  EXPECT_TRUE(responseByEnergy(energies, totals).empty());
  EXPECT_THROW(responseByEnergy({1000}, {}), InputError);
}

TEST(ResponsePlot, RatiosGeneratedOverReference) {
  const auto points = compareResponse(responseByEnergy(kReferenceEnergies, kReferenceTotals),
                                      responseByEnergy(kGeneratedEnergies, kGeneratedTotals));
  ASSERT_EQ(points.size(), 2u);  // the 16 GeV generated point has no reference: left out
  EXPECT_NEAR(points[0].meanRatio, 1.0, 1e-12);
  EXPECT_NEAR(points[0].rmsRatio, 0.0, 1e-12);
  EXPECT_NEAR(points[1].generated.mean, 0.8, 1e-12);
  EXPECT_NEAR(points[1].meanRatio, 0.8 / 0.75, 1e-12);
  EXPECT_NEAR(points[1].rmsRatio, std::sqrt(0.08 / 3) / 0.25, 1e-12);

  // A reference point without generated showers: NaN ratios, null in JSON.
  const auto missing = compareResponse(responseByEnergy(kReferenceEnergies, kReferenceTotals),
                                       responseByEnergy({1000, 1000}, {900, 900}));
  ASSERT_EQ(missing.size(), 2u);
  EXPECT_EQ(missing[1].generated.showers, 0u);
  EXPECT_TRUE(std::isnan(missing[1].meanRatio));
  const auto json = toJson(missing);
  EXPECT_TRUE(json[1]["mean_ratio"].is_null());
  EXPECT_TRUE(json[1]["generated"]["mean"].is_null());
  EXPECT_EQ(json[0]["energy_mev"], 1000.0);
  EXPECT_EQ(json[0]["reference"]["showers"], 3);
  EXPECT_NEAR(json[0]["reference"]["mean"].get<double>(), 0.9, 1e-12);
  EXPECT_NEAR(json[0]["mean_ratio"].get<double>(), 1.0, 1e-12);
}

TEST(ResponsePlot, FigureFilesAppear) {
  test::TempDir dir("bolo-response-plot");
  const auto points = compareResponse(responseByEnergy(kReferenceEnergies, kReferenceTotals),
                                      responseByEnergy(kGeneratedEnergies, kGeneratedTotals));
  const fs::path stem = dir.path() / "plots" / "response";
  const auto images = plotResponse(points, stem, "test's response");
  // Script and data are written even without gnuplot.
  EXPECT_TRUE(fs::exists(dir.path() / "plots" / "response.gp"));
  const std::string ratio = readFile(dir.path() / "plots" / "response.ratio.dat");
  EXPECT_NE(ratio.find("1 1 0\n"), std::string::npos) << ratio;  // 1 GeV: mean 1, rms 0
  const std::string script = readFile(dir.path() / "plots" / "response.gp");
  EXPECT_NE(script.find("set logscale x"), std::string::npos);
  EXPECT_NE(script.find("GeV"), std::string::npos);
  if (!gnuplotAvailable()) GTEST_SKIP() << "gnuplot is not installed";
  ASSERT_EQ(images.size(), 3u);
  for (const char* ext : {".png", ".pdf", ".svg"}) {
    const fs::path image = fs::path(stem).replace_extension(ext);
    EXPECT_TRUE(fs::exists(image)) << image;
    EXPECT_GT(fs::file_size(image), 1000u) << image;
  }
  // Nothing generated: no figure.
  EXPECT_TRUE(plotResponse(compareResponse(responseByEnergy({1000}, {900}), {}),
                           dir.path() / "empty", "none")
                  .empty());
}

}  // namespace
}  // namespace bolo
