// Jet files and preprocessing: round trips, corrupted files, default replacement.

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "common/Error.hpp"
#include "ftag/JetFile.hpp"
#include "ftag/JetGenerator.hpp"
#include "ftag/JetPreprocessing.hpp"

namespace bolo {
namespace {

namespace fs = std::filesystem;

class JetFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() / ("bolo-jetfile-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    JetGeneratorConfig config;
    config.trainJets = 800;
    config.validationJets = 100;
    config.testJets = 120;
    config.templateJets = 300;
    splits = generateJets(config);
    writeJetFile(dir / "jets.h5", splits, toJson(config));
  }
  void TearDown() override { fs::remove_all(dir); }
  fs::path dir;
  JetSplits splits;
};

TEST_F(JetFileTest, SplitsRoundTrip) {
  const auto train = readJetSplit(dir / "jets.h5", "train");
  EXPECT_EQ(train.features, splits.train.features);
  EXPECT_EQ(train.labels, splits.train.labels);
  EXPECT_EQ(readJetSplit(dir / "jets.h5", "test").size(), 120u);
  EXPECT_EQ(readJetFileGenerator(dir / "jets.h5").at("train"), 800);
  EXPECT_THROW(readJetSplit(dir / "jets.h5", "bogus"), InputError);
  // No temporary file is left behind.
  for (const auto& e : fs::directory_iterator(dir)) EXPECT_EQ(e.path().filename(), "jets.h5");
}

TEST_F(JetFileTest, TruncatedAndMissingFilesAreInputErrors) {
  EXPECT_THROW(readJetSplit(dir / "absent.h5", "train"), InputError);
  const auto size = fs::file_size(dir / "jets.h5");
  fs::copy_file(dir / "jets.h5", dir / "cut.h5");
  fs::resize_file(dir / "cut.h5", size / 2);
  EXPECT_THROW(readJetSplit(dir / "cut.h5", "train"), InputError);
  std::ofstream(dir / "text.h5") << "not hdf5";
  EXPECT_THROW(readJetSplit(dir / "text.h5", "train"), InputError);
}

TEST_F(JetFileTest, ScoresRoundTrip) {
  TaggerScores s;
  s.probabilities = {0.5f, 0.25f, 0.25f, 0.1f, 0.2f, 0.7f};
  s.labels = {0, 2};
  writeScoreFile(dir / "scores.h5", s);
  const auto back = readScoreFile(dir / "scores.h5");
  EXPECT_EQ(back.probabilities, s.probabilities);
  EXPECT_EQ(back.labels, s.labels);
  EXPECT_EQ(back.classes, 3u);
}

TEST_F(JetFileTest, PreprocessingReplacesDefaultsAndStandardises) {
  const auto p = JetPreprocessing::fit(splits.train);
  const auto x = p.apply(splits.train);
  const auto mass = jetVariableIndex("sv1_mass"), flag = jetVariableIndex("sv1_missing");
  double sum = 0, sum2 = 0;
  std::size_t found = 0;
  for (std::size_t i = 0; i < splits.train.size(); ++i) {
    const float value = x[i * splits.train.variables + mass];
    if (splits.train.row(i)[flag] > 0.5f) {
      EXPECT_EQ(value, 0.0f);  // default -1 replaced by the mean, i.e. 0 after scaling
    } else {
      sum += value;
      sum2 += value * value;
      ++found;
    }
    // Flags pass through unchanged.
    EXPECT_EQ(x[i * splits.train.variables + flag], splits.train.row(i)[flag]);
  }
  ASSERT_GT(found, 50u);
  EXPECT_NEAR(sum / static_cast<double>(found), 0.0, 1e-4);  // float rounding only
  EXPECT_NEAR(sum2 / static_cast<double>(found), 1.0, 1e-3);
  // Stored and read back, it scales identically.
  const auto back = JetPreprocessing::fromJson(p.toJson());
  EXPECT_EQ(back.apply(splits.validation), p.apply(splits.validation));
  auto broken = p.toJson();
  broken["variables"][3]["std"] = -1;
  EXPECT_THROW(JetPreprocessing::fromJson(broken), InputError);
}

}  // namespace
}  // namespace bolo
