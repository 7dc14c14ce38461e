#include <gtest/gtest.h>

#include "batch/JobRequest.hpp"
#include "batch/ShellQuote.hpp"
#include "common/Error.hpp"
#include "common/Subprocess.hpp"
#include "tests/batch/BatchTestSupport.hpp"

namespace bolo::batch {

TEST(ShellQuote, QuotesEveryValueAsOneWord) {
  EXPECT_EQ(shellQuote("plain"), "'plain'");
  EXPECT_EQ(shellQuote(""), "''");
  EXPECT_EQ(shellQuote("it's"), "'it'\\''s'");
}

TEST(ShellQuote, BashGetsBackExactlyTheHostileValues) {
  const auto dir = test::makeTempDir("quote");
  const auto side = (dir / "side").string();
  const auto args = test::hostileArguments(side);
  // printf '%s\0' "$@" through a real bash: the words must arrive unchanged.
  const auto result = runProcess({"bash", "-c", "printf '%s\\0' " + shellJoin(args)});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  std::vector<std::string> got;
  std::string current;
  for (const char c : result.out) {
    if (c == '\0') {
      got.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  EXPECT_EQ(got, args);
  for (const char* suffix : {".dollar", ".backtick", ".single", ".double", ".newline"}) {
    EXPECT_FALSE(std::filesystem::exists(side + suffix)) << suffix;
  }
  std::filesystem::remove_all(dir);
}

TEST(ShellQuote, JobNamesBecomePlainTokens) {
  EXPECT_EQ(sanitizeJobName("train-pions_1.0"), "train-pions_1.0");
  EXPECT_EQ(sanitizeJobName("--wrap=rm -rf /"), "wrap_rm_-rf__");
  EXPECT_EQ(sanitizeJobName("x\n#SBATCH --uid=0"), "x__SBATCH_--uid_0");
  EXPECT_EQ(sanitizeJobName("$(reboot)"), "__reboot_");
  EXPECT_EQ(sanitizeJobName("***"), "bolo-job");
  EXPECT_EQ(sanitizeJobName(""), "bolo-job");
  EXPECT_EQ(sanitizeJobName(std::string(200, 'a')).size(), 64u);
}

TEST(ShellQuote, MultiLineValuesAreRefusedWhereTheyCannotBeQuoted) {
  EXPECT_THROW(requireSingleLine("a\nb", "log directory"), InputError);
  EXPECT_NO_THROW(requireSingleLine("a b $(c)", "log directory"));
}

}  // namespace bolo::batch

namespace bolo::batch {

TEST(ResourceText, TimesAndMemory) {
  EXPECT_EQ(parseMinutes("90"), 90);
  EXPECT_EQ(parseMinutes("90m"), 90);
  EXPECT_EQ(parseMinutes("2h"), 120);
  EXPECT_EQ(parseMinutes("1:30:01"), 91);  // rounded up: a limit never shrinks
  EXPECT_THROW(parseMinutes("soon"), InputError);
  EXPECT_THROW(parseMinutes("0"), InputError);
  EXPECT_THROW(parseMinutes("-5"), InputError);
  EXPECT_EQ(parseMegabytes("2000"), 2000);
  EXPECT_EQ(parseMegabytes("16G"), 16384);
  EXPECT_EQ(parseMegabytes("500M"), 500);
  EXPECT_THROW(parseMegabytes("lots"), InputError);
}

}  // namespace bolo::batch
