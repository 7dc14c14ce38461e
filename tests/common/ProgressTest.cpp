#include <gtest/gtest.h>

#include "common/Progress.hpp"

TEST(Progress, FormatsDurations) {
  EXPECT_EQ(bolo::formatDuration(12.4), "12s");
  EXPECT_EQ(bolo::formatDuration(185), "3m05s");
  EXPECT_EQ(bolo::formatDuration(3720), "1h02m");
  EXPECT_EQ(bolo::formatDuration(-1), "?");
}

TEST(Progress, PrintsRateAndFinalLineInBatchLogs) {
  testing::internal::CaptureStderr();
  {
    bolo::ProgressReporter progress("simulate", 10, "showers");
    progress.update(10);
  }
  const std::string text = testing::internal::GetCapturedStderr();
  // Under ctest stderr is not a terminal: plain lines, and the final one says how long it took.
  EXPECT_NE(text.find("simulate: 10/10 showers (100%)"), std::string::npos) << text;
  EXPECT_NE(text.find("took"), std::string::npos) << text;
}
