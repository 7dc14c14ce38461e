// metrics.jsonl on resume: records past the checkpoint, torn lines, duplicates and lines that
// are not records are dropped; what is kept has strictly increasing iterations.

#include <gtest/gtest.h>

#include "calo/TrainingMetrics.hpp"

namespace bolo {
namespace {

TEST(TrainingMetrics, KeepsConsistentRecordsUpToTheCheckpoint) {
  const std::string text =
      "{\"iteration\": 2, \"critic_loss\": 1}\n"
      "{\"iteration\": 4, \"critic_loss\": 2}\n"
      "{\"iteration\": 4, \"critic_loss\": 9}\n"  // a duplicate
      "[\"not a record\"]\n"
      "{\"iteration\": 5.5}\n"
      "{\"iteration\": 6, \"critic_loss\": 3}\n"
      "{\"iteration\": 8, \"critic_loss\": 4}\n"
      "{\"iteration\": 10, \"crit";  // torn by a kill
  EXPECT_EQ(metricsUpTo(text, 6),
            "{\"iteration\": 2, \"critic_loss\": 1}\n{\"iteration\": 4, \"critic_loss\": 2}\n"
            "{\"iteration\": 6, \"critic_loss\": 3}\n");
  EXPECT_EQ(metricsUpTo(text, 0), "");
}

TEST(TrainingMetrics, LossRecordsNeedAllFiveNumbers) {
  const auto records = parseLossRecords(
      "{\"iteration\": 2, \"critic_loss\": 1, \"generator_loss\": 2, \"wasserstein\": 3, "
      "\"gradient_penalty\": 4}\n"
      "{\"iteration\": 4, \"critic_loss\": \"x\", \"generator_loss\": 2, \"wasserstein\": 3, "
      "\"gradient_penalty\": 4}\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].iteration, 2);
  EXPECT_DOUBLE_EQ(records[0].gradientPenalty, 4);
}

}  // namespace
}  // namespace bolo
