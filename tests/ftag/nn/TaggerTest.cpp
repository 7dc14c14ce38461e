// The tagger network on a small synthetic sample: it learns, saves and loads, and a run-away
// learning rate is reported as divergence.

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "common/Error.hpp"
#include "common/nn/TorchRuntime.hpp"
#include "ftag/FlavourMetrics.hpp"
#include "ftag/JetGenerator.hpp"
#include "ftag/JetPreprocessing.hpp"
#include "ftag/nn/Tagger.hpp"
#include "ftag/nn/TaggerScan.hpp"

namespace bolo::nn {
namespace {

namespace fs = std::filesystem;

struct Data {
  JetSplits splits;
  std::vector<float> train, validation;
};

const Data& data() {
  static const Data d = [] {
    configureCpuThreads(1);
    JetGeneratorConfig config;
    config.trainJets = 4000;
    config.validationJets = 2000;
    config.testJets = 10;
    config.templateJets = 2000;
    Data out;
    out.splits = generateJets(config);
    const auto p = JetPreprocessing::fit(out.splits.train);
    out.train = p.apply(out.splits.train);
    out.validation = p.apply(out.splits.validation);
    return out;
  }();
  return d;
}

TaggerConfig smallConfig() {
  TaggerConfig c;
  c.hidden = {32, 16};
  c.epochs = 6;
  c.patience = 0;
  c.batchSize = 128;
  return c;
}

TEST(Tagger, LearnsToSeparateBFromLight) {
  const auto& d = data();
  Tagger tagger(smallConfig(), d.splits.train.variables);
  const auto h =
      tagger.train(d.train, d.splits.train.labels, d.validation, d.splits.validation.labels);
  ASSERT_EQ(h.validationLoss.size(), 6u);
  // ln(3) = 1.10 is the loss of guessing; the inputs separate b from light well, so a
  // network that learns anything ends far below it.
  EXPECT_LT(h.bestValidationLoss, 0.75);
  EXPECT_LT(h.validationLoss.back(), h.validationLoss.front() + 0.05);
  const auto p = tagger.predict(d.validation);
  ASSERT_EQ(p.size(), d.splits.validation.size() * 3);
  EXPECT_NEAR(p[0] + p[1] + p[2], 1.0f, 1e-5f);
  TaggerScores scores;
  scores.probabilities = p;
  scores.labels = d.splits.validation.labels;
  const auto wp = evaluateWorkingPoint(discriminantsDb(scores, 0.08), scores.labels, 0.77);
  // 500 b, 1300 light validation jets: a light rejection above 20 is far beyond chance
  // (1.3 for a random tagger at 77 %).
  EXPECT_GT(wp.lightRejection.value, 20);
  EXPECT_GT(wp.cRejection.value, 1.5);
}

TEST(Tagger, SavedModelPredictsTheSame) {
  const auto& d = data();
  auto config = smallConfig();
  config.epochs = 2;
  Tagger tagger(config, d.splits.train.variables);
  tagger.train(d.train, d.splits.train.labels, d.validation, d.splits.validation.labels);
  const fs::path path =
      fs::temp_directory_path() / ("bolo-tagger-" + std::to_string(::getpid()) + ".pt");
  tagger.save(path);
  Tagger loaded(config, d.splits.train.variables);
  loaded.load(path);
  EXPECT_EQ(loaded.predict(d.validation), tagger.predict(d.validation));
  auto otherConfig = config;
  otherConfig.hidden = {64};
  Tagger other(otherConfig, d.splits.train.variables);
  EXPECT_THROW(other.load(path), InputError);  // wrong architecture
  fs::remove(path);
}

TEST(Tagger, RunawayLearningRateIsReportedAsDivergence) {
  const auto& d = data();
  auto config = smallConfig();
  config.learningRate = 10;
  config.batchNorm = false;
  config.activation = "relu";
  Tagger tagger(config, d.splits.train.variables);
  try {
    tagger.train(d.train, d.splits.train.labels, d.validation, d.splits.validation.labels);
    FAIL() << "expected divergence";
  } catch (const RuntimeFailure& e) {
    EXPECT_NE(std::string(e.what()).find("diverged"), std::string::npos) << e.what();
  }
}

TEST(Tagger, ConfigIsReadStrictly) {
  EXPECT_THROW(taggerConfigFromJson({{"activation", "swish"}}), InputError);
  EXPECT_THROW(taggerConfigFromJson({{"hidden", nlohmann::json::array()}}), InputError);
  EXPECT_THROW(taggerConfigFromJson({{"learning_rate", -1}}), InputError);
  EXPECT_EQ(taggerConfigFromJson(toJson(smallConfig())).hidden, (std::vector<int>{32, 16}));
}

TEST(SuccessiveHalving, KeepsOnlyTheBestThirdAtEachRung) {
  SuccessiveHalving halving(3, 2);
  EXPECT_TRUE(halving.keepGoing(1, 0.5));  // warm-up
  EXPECT_TRUE(halving.keepGoing(1, 0.6));
  EXPECT_TRUE(halving.keepGoing(2, 9.0));   // not a rung
  EXPECT_FALSE(halving.keepGoing(1, 0.7));  // 0.5, 0.6, 0.7: only the best third goes on
  EXPECT_TRUE(halving.keepGoing(1, 0.4));
}

}  // namespace
}  // namespace bolo::nn
