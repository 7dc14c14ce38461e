// The synthetic jets: determinism, exact flavour fractions per split, and the physics
// ordering the taggers rely on (b-jets are more displaced than c-jets, c more than light).

#include <gtest/gtest.h>

#include <cmath>

#include "common/Error.hpp"
#include "ftag/JetGenerator.hpp"

namespace bolo {
namespace {

JetGeneratorConfig smallConfig() {
  JetGeneratorConfig c;
  c.trainJets = 6000;
  c.validationJets = 501;
  c.testJets = 333;
  c.templateJets = 3000;
  return c;
}

struct FlavourStats {
  double found[3] = {0, 0, 0};
  double mean[3] = {0, 0, 0};
  double count[3] = {0, 0, 0};
};

/// Per flavour: fraction of jets where `flag` is 0 and mean of `variable` over those jets.
FlavourStats statsOf(const JetSample& s, const std::string& variable, const std::string& flag) {
  FlavourStats st;
  const auto v = jetVariableIndex(variable), f = jetVariableIndex(flag);
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto l = static_cast<std::size_t>(s.labels[i]);
    st.count[l] += 1;
    if (s.row(i)[f] < 0.5f) {
      st.found[l] += 1;
      st.mean[l] += s.row(i)[v];
    }
  }
  for (int l = 0; l < 3; ++l) {
    st.mean[l] /= std::max(1.0, st.found[l]);
    st.found[l] /= st.count[l];
  }
  return st;
}

TEST(JetGenerator, SameSeedSameJetsOtherSeedOtherJets) {
  auto config = smallConfig();
  config.trainJets = 300;
  config.templateJets = 500;
  const auto a = generateJets(config), b = generateJets(config);
  EXPECT_EQ(a.train.features, b.train.features);
  EXPECT_EQ(a.test.labels, b.test.labels);
  config.seed += 1;
  const auto c = generateJets(config);
  EXPECT_NE(a.train.features, c.train.features);
}

TEST(JetGenerator, EverySplitHasTheConfiguredFlavourFractions) {
  auto config = smallConfig();
  config.trainJets = 1000;
  config.templateJets = 300;
  const auto splits = generateJets(config);
  // round(N f) b and c jets, the rest light: 501 jets -> 125 b (125.25), 50 c (50.1), 326 light.
  EXPECT_EQ(splits.validation.flavourCounts(), (std::vector<std::size_t>{125, 50, 326}));
  EXPECT_EQ(splits.train.flavourCounts(), (std::vector<std::size_t>{250, 100, 650}));
  EXPECT_EQ(splits.test.flavourCounts(), (std::vector<std::size_t>{83, 33, 217}));
  for (float x : splits.train.features) ASSERT_TRUE(std::isfinite(x));
}

TEST(JetGenerator, HeavyFlavourIsDisplacedAndHasHeavierVertices) {
  const auto splits = generateJets(smallConfig());
  const auto sv1 = statsOf(splits.train, "sv1_mass", "sv1_missing");
  // SV1 finding efficiency: ~70-80 % b, ~30-40 % c, a few % light (reference-ftag.md); with
  // 1500 b / 600 c / 3900 light jets the binomial errors are below 2 %, so these bands are
  // wide enough for any seed and narrow enough to catch a broken decay chain.
  EXPECT_GT(sv1.found[0], 0.60);
  EXPECT_LT(sv1.found[0], 0.90);
  EXPECT_GT(sv1.found[1], 0.20);
  EXPECT_LT(sv1.found[1], 0.55);
  EXPECT_LT(sv1.found[2], 0.10);
  EXPECT_GT(sv1.mean[0], sv1.mean[1]);  // B hadrons are heavier than D hadrons
  EXPECT_GT(sv1.mean[0], 1.5);
  const auto ip = statsOf(splits.train, "ip3d_llr_bu", "ip_missing");
  EXPECT_GT(ip.mean[0], ip.mean[1]);
  EXPECT_GT(ip.mean[1], ip.mean[2]);
  EXPECT_GT(ip.found[2], 0.95);  // nearly every jet has a track
  const auto jf = statsOf(splits.train, "jf_nvtx", "jf_missing");
  EXPECT_GT(jf.found[0], sv1.found[0]);  // JetFitter also finds single-track vertices
}

TEST(JetGenerator, ConfigIsReadStrictly) {
  EXPECT_THROW(jetGeneratorConfigFromJson({{"trian", 5}}), InputError);
  EXPECT_THROW(jetGeneratorConfigFromJson({{"train", -5}}), InputError);
  EXPECT_THROW(jetGeneratorConfigFromJson({{"fractions", {{"b", 0.5}}}}), InputError);
  const auto c = jetGeneratorConfigFromJson(toJson(smallConfig()));
  EXPECT_EQ(c.trainJets, 6000u);
}

}  // namespace
}  // namespace bolo
