// The scan-run bookkeeping with a fake trainer: resume after a killed job, failed
// combinations, retries.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "common/Error.hpp"
#include "ftag/ScanRunner.hpp"

namespace bolo {
namespace {

namespace fs = std::filesystem;

class ScanRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() / ("bolo-scanrunner-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    ScanSpace space;
    space.method = "random";
    space.samples = 6;
    job.job = 0;
    job.jobs = 1;
    job.combinations = planScan(space).combinations;
  }
  void TearDown() override { fs::remove_all(dir); }

  /// A trainer whose loss is the learning rate (so results are recognisable).
  ScanTrainer fake(std::vector<std::string>& trained) {
    return [&trained](const ScanCombination& c, const ScanTraining&) {
      trained.push_back(c.id);
      ScanTrainOutcome o;
      o.bestValidationLoss = c.learningRate;
      o.bestEpoch = 2;
      o.epochs = 3;
      o.validationLoss = {1.0, c.learningRate, c.learningRate + 0.1};
      o.device = "fake";
      return o;
    };
  }

  fs::path dir;
  ScanJob job;
};

TEST_F(ScanRunnerTest, KilledJobResumesWhereItStopped) {
  std::vector<std::string> trained;
  auto inner = fake(trained);
  int calls = 0;
  // The third combination is interrupted (as by SIGTERM): no result may be written for it.
  ScanTrainer killedAtThird = [&](const ScanCombination& c, const ScanTraining& t) {
    if (++calls == 3) throw Interrupted(ExitCode::kRequeue, "stopped by SIGTERM");
    return inner(c, t);
  };
  EXPECT_THROW(runScanJob(job, dir, killedAtThird), Interrupted);
  EXPECT_EQ(trained.size(), 2u);
  EXPECT_FALSE(readScanResult(dir, job.combinations[2].id));
  trained.clear();
  const auto summary = runScanJob(job, dir, fake(trained));
  EXPECT_EQ(summary.skipped, 2u);
  EXPECT_EQ(summary.trained, 4u);
  ASSERT_EQ(trained.size(), 4u);
  EXPECT_EQ(trained.front(), job.combinations[2].id);
  for (const auto& c : job.combinations) {
    const auto r = readScanResult(dir, c.id);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, "completed");
    EXPECT_DOUBLE_EQ(r->bestValidationLoss, c.learningRate);
    EXPECT_EQ(r->device, "fake");
  }
  // A third run has nothing left to do.
  trained.clear();
  EXPECT_EQ(runScanJob(job, dir, fake(trained)).skipped, 6u);
  EXPECT_TRUE(trained.empty());
}

TEST_F(ScanRunnerTest, FailedCombinationIsRecordedAndOthersContinue) {
  std::vector<std::string> trained;
  auto inner = fake(trained);
  const auto bad = job.combinations[1].id;
  ScanTrainer failing = [&](const ScanCombination& c, const ScanTraining& t) {
    if (c.id == bad) throw RuntimeFailure("diverged: training loss is nan at epoch 2, batch 7");
    return inner(c, t);
  };
  const auto summary = runScanJob(job, dir, failing);
  EXPECT_EQ(summary.failed, 1u);
  EXPECT_EQ(summary.trained, 5u);
  const auto r = readScanResult(dir, bad);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, "failed");
  EXPECT_EQ(r->reason, "diverged: training loss is nan at epoch 2, batch 7");
  // Re-running skips the failure unless asked to retry it.
  trained.clear();
  EXPECT_EQ(runScanJob(job, dir, fake(trained)).skipped, 6u);
  ScanRunOptions retry;
  retry.retryFailed = true;
  const auto again = runScanJob(job, dir, fake(trained), retry);
  EXPECT_EQ(again.trained, 1u);
  EXPECT_EQ(readScanResult(dir, bad)->status, "completed");
}

TEST_F(ScanRunnerTest, CorruptedResultIsTrainedAgain) {
  std::vector<std::string> trained;
  runScanJob(job, dir, fake(trained));
  std::ofstream(scanResultPath(dir, job.combinations[4].id)) << "{\"id\": \"truncated";
  trained.clear();
  const auto summary = runScanJob(job, dir, fake(trained));
  EXPECT_EQ(summary.trained, 1u);
  ASSERT_EQ(trained.size(), 1u);
  EXPECT_EQ(trained[0], job.combinations[4].id);
}

}  // namespace
}  // namespace bolo
