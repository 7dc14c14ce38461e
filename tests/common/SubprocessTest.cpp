#include <gtest/gtest.h>

#include "common/Subprocess.hpp"
#include "support/TempDir.hpp"

TEST(Subprocess, ArgumentsAreNeverShellCode) {
  bolo::test::TempDir dir;
  const std::string marker = (dir / "pwned").string();
  const std::string hostile = "$(touch " + marker + ") `touch " + marker + "`; touch " + marker;
  const auto result = bolo::runProcess({"printf", "%s", hostile});
  EXPECT_EQ(result.exitCode, 0);
  EXPECT_EQ(result.out, hostile);
  EXPECT_FALSE(std::filesystem::exists(marker));
}

TEST(Subprocess, CapturesExitCodeStderrAndStdin) {
  const auto result =
      bolo::runProcess({"sh", "-c", "cat; echo oops >&2; exit 3"}, {}, "input text");
  EXPECT_EQ(result.exitCode, 3);
  EXPECT_EQ(result.out, "input text");
  EXPECT_EQ(result.firstErrorLine(), "oops");
}

TEST(Subprocess, MissingProgramGives127) {
  const auto result = bolo::runProcess({"bolo-no-such-program"});
  EXPECT_EQ(result.exitCode, 127);
  EXPECT_FALSE(bolo::programOnPath("bolo-no-such-program"));
  EXPECT_TRUE(bolo::programOnPath("sh"));
}

TEST(Subprocess, SignalledChildReports128PlusSignal) {
  EXPECT_EQ(bolo::runProcess({"sh", "-c", "kill -TERM $$"}).exitCode, 128 + 15);
}
