#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "common/ConfigReader.hpp"
#include "common/Error.hpp"
#include "common/JsonParse.hpp"

using bolo::InputError;
using nlohmann::json;

namespace {

std::string parseError(const std::string& text) {
  try {
    bolo::parseJson(text, "x.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

std::string nested(int depth) {
  return std::string(static_cast<std::size_t>(depth), '[') +
         std::string(static_cast<std::size_t>(depth), ']');
}

}  // namespace

TEST(JsonParse, NestingUpToTheLimitIsRead) {
  EXPECT_NO_THROW(bolo::parseJson(nested(bolo::kMaxJsonDepth), "x.json"));
  EXPECT_NO_THROW(bolo::parseJson(R"({"a": {"b": [[{"c": 1}]]}})", "x.json"));
}

TEST(JsonParse, NestingBeyondTheLimitIsInvalidInputInOneLine) {
  EXPECT_EQ(parseError(nested(bolo::kMaxJsonDepth + 1)),
            "x.json: JSON nested deeper than 64 levels");
  // The depth of the report: 100,000 levels used to parse, then overflow the stack in dump().
  EXPECT_EQ(parseError(nested(100000)), "x.json: JSON nested deeper than 64 levels");
  std::string objects;
  for (int i = 0; i < 100000; ++i) objects += R"({"a":)";
  EXPECT_EQ(parseError(objects), "x.json: JSON nested deeper than 64 levels");
}

TEST(JsonParse, NumberBeyondADoubleNamesItsPath) {
  EXPECT_EQ(parseError(R"({"train": {"batch_size": 1e400}})"),
            "x.json: train.batch_size: number out of range of a double (1e400)");
  EXPECT_EQ(parseError(R"({"energies": [1, 2, -1e999]})"),
            "x.json: energies[2]: number out of range of a double (-1e999)");
  EXPECT_EQ(parseError(R"({"a": [{"b": 1}, {"c": [0, 1e400]}]})"),
            "x.json: a[1].c[1]: number out of range of a double (1e400)");
  EXPECT_EQ(parseError("1e400"), "x.json: number out of range of a double (1e400)");
}

TEST(JsonParse, SyntaxErrorsNameTheOriginAndByte) {
  EXPECT_EQ(parseError(R"({"a": [1, 2)"), "x.json: malformed JSON near byte 12");
}

TEST(JsonParse, FilesAreReadTheSameWay) {
  const auto file = std::filesystem::temp_directory_path() / "bolo-jsonparse-test.json";
  std::ofstream(file) << nested(1000);
  try {
    bolo::readJsonFile(file.string());
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), file.string() + ": JSON nested deeper than 64 levels");
  }
  std::filesystem::remove(file);
}

TEST(JsonParse, ExcerptIsShortWhateverTheValue) {
  EXPECT_EQ(bolo::jsonExcerpt(json::parse("[1, 2]")), "[1,2]");
  EXPECT_EQ(bolo::jsonExcerpt(json::parse(R"({"a": "b"})")), R"({"a":"b"})");
  json big = json::array();
  for (int i = 0; i < 100000; ++i) big.push_back(i);
  const auto excerpt = bolo::jsonExcerpt(big);
  EXPECT_EQ(excerpt.size(), 60u);
  EXPECT_EQ(excerpt.rfind("[0,1,2,", 0), 0u);
  EXPECT_EQ(excerpt.substr(57), "...");
  // A deep value built in memory (not parsed) is quoted without walking all of it.
  json deep = json::array();
  for (int i = 0; i < 100000; ++i) {
    json outer = json::array();
    outer.push_back(std::move(deep));
    deep = std::move(outer);
  }
  EXPECT_EQ(bolo::jsonExcerpt(deep, 10), "[[[[[[[...");
  // Strings that are not UTF-8 (from outside data) are quoted, not thrown on.
  EXPECT_NO_THROW(bolo::jsonExcerpt(json(std::string("\xff\xfe"))));
}

TEST(JsonParse, ConfigErrorsQuoteAnExcerpt) {
  json big = json::array();
  for (int i = 0; i < 100000; ++i) big.push_back(i);
  try {
    bolo::ConfigReader reader(json{{"batch_size", big}}, "train");
    int value = 0;
    reader.read("batch_size", value);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_LT(std::string(e.what()).size(), 120u) << e.what();
  }
}
