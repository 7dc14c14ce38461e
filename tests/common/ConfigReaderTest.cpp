#include <gtest/gtest.h>

#include "common/ConfigReader.hpp"

using bolo::ConfigReader;
using bolo::InputError;
using nlohmann::json;

namespace {

struct TrainSettings {
  int batchSize = 128;
  double learningRate = 1e-4;
  std::string activation = "silu";
  bool resume = false;
  std::vector<int> hidden{10, 20};
};

TrainSettings load(const json& document) {
  ConfigReader root(document, "");
  ConfigReader train = root.section("train");
  TrainSettings s;
  train.readPositive("batch_size", s.batchSize);
  train.readInRange("learning_rate", s.learningRate, 0.0, 1.0);
  train.readChoice("activation", s.activation, {"silu", "relu"});
  train.read("resume", s.resume);
  train.read("hidden", s.hidden);
  train.finish();
  root.finish();
  return s;
}

std::string errorOf(const json& document) {
  try {
    load(document);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST(ConfigReader, DefaultsStayWhenKeysAreAbsent) {
  const auto s = load(json::object());
  EXPECT_EQ(s.batchSize, 128);
  EXPECT_EQ(s.activation, "silu");
}

TEST(ConfigReader, ReadsEveryType) {
  const auto s = load(json::parse(
      R"({"train": {"batch_size": 512, "learning_rate": 0.001, "activation": "relu", "resume": true, "hidden": [1, 2, 3]}})"));
  EXPECT_EQ(s.batchSize, 512);
  EXPECT_DOUBLE_EQ(s.learningRate, 0.001);
  EXPECT_EQ(s.activation, "relu");
  EXPECT_TRUE(s.resume);
  EXPECT_EQ(s.hidden, (std::vector<int>{1, 2, 3}));
}

TEST(ConfigReader, ErrorsNameTheJsonPath) {
  EXPECT_EQ(errorOf(json::parse(R"({"train": {"batch_size": -3}})")),
            "train.batch_size: expected a positive integer, got -3");
  EXPECT_EQ(errorOf(json::parse(R"({"train": {"batch_size": 2.5}})")),
            "train.batch_size: expected a positive integer, got 2.5");
  EXPECT_EQ(errorOf(json::parse(R"({"train": {"batch_size": "big"}})")),
            "train.batch_size: expected a positive integer, got \"big\"");
  EXPECT_EQ(errorOf(json::parse(R"({"train": {"batch_sise": 3}})")),
            "train.batch_sise: unknown key");
  EXPECT_EQ(errorOf(json::parse(R"({"trian": {}})")), "trian: unknown key");
  EXPECT_EQ(errorOf(json::parse(R"({"train": {"learning_rate": 2}})")),
            "train.learning_rate: expected a number in [0, 1], got 2");
  EXPECT_EQ(errorOf(json::parse(R"({"train": {"activation": "gelu"}})")),
            "train.activation: expected one of silu, relu, got \"gelu\"");
  EXPECT_EQ(errorOf(json::parse(R"({"train": {"resume": 1}})")),
            "train.resume: expected true or false, got 1");
  EXPECT_EQ(errorOf(json::parse(R"({"train": {"hidden": [1, "x"]}})")),
            "train.hidden: expected an array of integers, got [1,\"x\"]");
  EXPECT_EQ(errorOf(json::parse(R"({"train": 7})")), "train: expected an object, got 7");
  EXPECT_EQ(errorOf(json::parse(R"([1, 2])")), "config: expected an object, got [1,2]");
}

TEST(ConfigReader, IntegerOverflowIsRejected) {
  EXPECT_EQ(errorOf(json::parse(R"({"train": {"batch_size": 99999999999}})")),
            "train.batch_size: expected a positive integer, got 99999999999");
}

TEST(ConfigReader, MalformedJsonNamesTheOrigin) {
  try {
    bolo::parseJson("{\"a\": [1, 2", "configs/train.json");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("configs/train.json: malformed JSON", 0), 0u) << e.what();
  }
  EXPECT_THROW(bolo::readJsonFile("/nonexistent/x.json"), InputError);
}
