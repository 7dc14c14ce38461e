// The pieces of the batch verbs that do not need a batch system: the status table, --tail,
// and a submission that names no verb.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "batch/JobCommands.hpp"
#include "common/Error.hpp"
#include "support/TempDir.hpp"

namespace bolo::batch {
namespace {

using ::testing::HasSubstr;

TEST(JobCommands, LastLinesKeepsTheTailOfTheText) {
  EXPECT_EQ(lastLines("a\nb\nc\n", 2), "b\nc\n");
  EXPECT_EQ(lastLines("a\nb\nc\n", 0), "a\nb\nc\n");
  EXPECT_EQ(lastLines("a\nb\nc\n", 10), "a\nb\nc\n");
  EXPECT_EQ(lastLines("a\nb\nc\nd\n", 3), "b\nc\nd\n");
}

TEST(JobCommands, StatusTableHasAHeaderAndOneRowPerJobWithTaskCounts) {
  JobRecord r;
  r.id = "20261125-0001";
  r.name = "train-pions";
  r.site = "local";
  r.queue = "cpu";
  r.backendId = "4242";
  r.state = JobState::kRunning;
  r.tasks.resize(2);
  r.tasks[1].state = JobState::kCompleted;
  const auto table = formatJobTable({r});
  EXPECT_EQ(table.rfind("ID ", 0), 0u) << table;
  EXPECT_THAT(table, HasSubstr("train-pions"));
  EXPECT_THAT(table, HasSubstr("local/cpu"));
  EXPECT_THAT(table, HasSubstr("1 COMPLETED, 1 PENDING"));
  EXPECT_EQ(std::count(table.begin(), table.end(), '\n'), 2);
}

TEST(JobCommands, SubmittingNothingOrAnUnknownVerbIsAnInputError) {
  test::TempDir tmp;
  Submission s;
  s.workdir = tmp.path().string();
  EXPECT_THROW(submitJobs(s, {"train"}), InputError);
  s.command = {"trian", "pions"};
  try {
    submitJobs(s, {"train", "generate"});
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(),
                HasSubstr("unknown verb 'trian' to submit: valid verbs are train, generate"));
  }
}

}  // namespace
}  // namespace bolo::batch
