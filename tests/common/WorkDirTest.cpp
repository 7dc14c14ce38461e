// The work directory: where it is, which config a verb reads, and `bolo init` keeping edits.

#include <gtest/gtest.h>

#include <fstream>

#include "common/AtomicFile.hpp"
#include "common/Error.hpp"
#include "common/WorkDir.hpp"
#include "support/TempDir.hpp"

namespace bolo {
namespace {

namespace fs = std::filesystem;

TEST(WorkDir, ConfigFileIsTheOptionThenTheWorkDirectorysThenNone) {
  test::TempDir tmp;
  const WorkDir dir{tmp.path()};
  EXPECT_EQ(dir.configFile("mine.json", "jets.json"), fs::path("mine.json"));
  EXPECT_TRUE(dir.configFile("", "jets.json").empty());
  fs::create_directories(dir.configs());
  std::ofstream(dir.configs() / "jets.json") << "{}";
  EXPECT_EQ(dir.configFile("", "jets.json"), dir.configs() / "jets.json");
}

TEST(WorkDir, InitMakesTheFoldersAndKeepsExistingConfigs) {
  test::TempDir tmp;
  const WorkDir dir{tmp / "work"};
  const std::vector<std::pair<std::string, nlohmann::json>> configs = {
      {"a.json", nlohmann::json{{"x", 1}}}, {"b.json", nlohmann::json{{"y", 2}}}};
  const auto first = initWorkDir(dir, configs);
  for (const auto& sub : {dir.configs(), dir.data(), dir.checkpoints(), dir.logs(), dir.output()})
    EXPECT_TRUE(fs::is_directory(sub)) << sub;
  EXPECT_EQ(first["configs_written"].size(), 2u);
  writeFileAtomically(dir.configs() / "a.json", "edited\n");
  const auto second = initWorkDir(dir, configs);
  EXPECT_TRUE(second["configs_written"].empty());
  EXPECT_EQ(second["configs_kept"].size(), 2u);
  EXPECT_EQ(readFile(dir.configs() / "a.json"), "edited\n");
}

TEST(WorkDir, InitUnderAFileIsAnIoError) {
  test::TempDir tmp;
  std::ofstream(tmp / "file") << "x";
  // A folder that cannot be created is an I/O error (exit 1), as every failed write is.
  EXPECT_THROW(initWorkDir(WorkDir{tmp / "file" / "work"}, {}), RuntimeFailure);
}

}  // namespace
}  // namespace bolo
