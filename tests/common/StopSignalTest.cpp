#include <gtest/gtest.h>
#include <signal.h>

#include "common/StopSignal.hpp"

TEST(StopSignal, TermAndUsr1MeanRequeueIntMeansUser) {
  bolo::installStopSignalHandlers();
  bolo::resetStopRequest();
  EXPECT_FALSE(bolo::stopRequested());
  ::raise(SIGUSR1);
  EXPECT_TRUE(bolo::stopRequested());
  EXPECT_EQ(bolo::stopExitCode(), bolo::ExitCode::kRequeue);
  EXPECT_EQ(std::string(bolo::stopError("checkpoint 7").what()),
            "stopped by SIGUSR1 after saving checkpoint 7");
  bolo::resetStopRequest();
  ::raise(SIGTERM);
  EXPECT_EQ(bolo::stopExitCode(), bolo::ExitCode::kRequeue);
  bolo::resetStopRequest();
  ::raise(SIGINT);
  EXPECT_EQ(bolo::stopExitCode(), bolo::ExitCode::kUserInterrupt);
  bolo::resetStopRequest();
}
