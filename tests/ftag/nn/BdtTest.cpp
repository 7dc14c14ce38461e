// The XGBoost BDT baseline: trains on a small sample, separates b from light, writes a
// model and one score per test jet.

#include <gtest/gtest.h>

#include <filesystem>

#include "common/Error.hpp"
#include "ftag/FlavourPerformance.hpp"
#include "ftag/JetFile.hpp"
#include "ftag/JetGenerator.hpp"
#include "ftag/nn/Bdt.hpp"

namespace bolo::nn {
namespace {

namespace fs = std::filesystem;

TEST(Bdt, TrainsAndSeparatesBFromLight) {
  if (!xgboostAvailable()) {
    EXPECT_THROW(requireXgboost(), EnvironmentError);
    GTEST_SKIP() << "built without XGBoost";
  }
  JetGeneratorConfig jets;
  jets.trainJets = 4000;
  jets.validationJets = 1000;
  jets.testJets = 4000;
  jets.templateJets = 2000;
  const auto splits = generateJets(jets);
  BdtConfig config;
  config.trees = 60;
  config.threads = 1;
  const fs::path dir = fs::temp_directory_path() / ("bolo-bdt-" + std::to_string(::getpid()));
  const auto summary = trainBdt(config, splits.train, splits.validation, splits.test, dir);
  EXPECT_LE(summary.at("best_trees").get<int>(), 60);
  EXPECT_TRUE(fs::exists(dir / "model.json"));
  const auto scores = readScoreFile(dir / "scores.h5");
  ASSERT_EQ(scores.size(), 4000u);
  EXPECT_EQ(scores.classes, 1u);
  for (float s : scores.probabilities) ASSERT_TRUE(s >= 0 && s <= 1);
  const auto performance = evaluateSingleScore("bdt", scores);
  // 1000 b, 2600 light test jets; a random tagger has light rejection 1.3 at 77 %.
  EXPECT_GT(workingPointAt(performance, 0.77).lightRejection.value, 20);
  fs::remove_all(dir);
}

TEST(Bdt, ConfigIsReadStrictly) {
  EXPECT_THROW(bdtConfigFromJson({{"trees", 0}}), InputError);
  EXPECT_THROW(bdtConfigFromJson({{"c_fraction", 2}}), InputError);
  EXPECT_THROW(bdtConfigFromJson({{"depth", 3}}), InputError);
  EXPECT_EQ(bdtConfigFromJson(toJson(BdtConfig{})).trees, 1000);
}

}  // namespace
}  // namespace bolo::nn
