// The SLURM back-end against a recording fake of sbatch/scontrol: what it runs, and how it
// reads states, including after SLURM has forgotten a job (no accounting database).

#include <gtest/gtest.h>

#include "batch/JobService.hpp"
#include "batch/SlurmBackend.hpp"
#include "common/Error.hpp"
#include "tests/batch/BatchTestSupport.hpp"
#include "tests/batch/FakeCommandRunner.hpp"

namespace bolo::batch {

namespace fs = std::filesystem;

namespace {

SiteCatalogue cluster() {
  return siteCatalogueFromJson(
      nlohmann::json::parse(R"({"default_site": "c", "sites": {"c": {"backend": "slurm",
    "queues": {"gpu": {"resource": "gpu"}, "cpu": {"resource": "cpu"}}}}})"));
}

}  // namespace

TEST(SlurmBackend, SubmitRunsSbatchOnTheWrittenScriptAndRecordsTheJob) {
  const fs::path dir = test::makeTempDir("slurm-fake");
  test::FakeCommandRunner runner;
  runner.answer("sbatch", {0, "4242\n", ""});
  JobService service(cluster(), dir, runner);
  SubmitRequest s;
  s.job.name = "train";
  s.job.command = {"bolo", "train", "pions"};
  s.job.resources.gpus = 1;
  const auto record = service.submit(s);
  EXPECT_EQ(record.backendId, "4242");
  EXPECT_EQ(record.queue, "gpu");
  ASSERT_EQ(runner.calls.size(), 1u);
  const auto& argv = runner.calls[0];
  EXPECT_EQ(argv.front(), "sbatch");
  EXPECT_EQ(argv.back(), (record.jobDir / "job.sbatch").string());
  const std::string script = test::readText(record.jobDir / "job.sbatch");
  EXPECT_NE(script.find("#SBATCH --gres=gpu:1\n"), std::string::npos);
  EXPECT_NE(script.find("payload=('bolo' 'train' 'pions')"), std::string::npos);
  // The record is on disk, and a dependent job waits for SLURM id 4242.
  runner.answer("sbatch", {0, "4243\n", ""});
  SubmitRequest next = s;
  next.dependsOn = {record.id};
  const auto second = service.submit(next);
  EXPECT_NE(
      test::readText(second.jobDir / "job.sbatch").find("#SBATCH --dependency=afterok:4242\n"),
      std::string::npos);
  fs::remove_all(dir);
}

TEST(SlurmBackend, RefusedSubmissionLeavesNoRecord) {
  const fs::path dir = test::makeTempDir("slurm-refused");
  test::FakeCommandRunner runner;
  runner.answer("sbatch", {1, "", "sbatch: error: invalid partition specified: gpu\n"});
  JobService service(cluster(), dir, runner);
  SubmitRequest s;
  s.job.command = {"bolo", "init"};
  try {
    service.submit(s);
    FAIL() << "expected an error";
  } catch (const RuntimeFailure& e) {
    EXPECT_NE(std::string(e.what()).find("invalid partition"), std::string::npos);
  }
  EXPECT_TRUE(service.store().list().empty());
  fs::remove_all(dir);
}

TEST(SlurmBackend, ForgottenJobsFallBackToExitRecords) {
  const fs::path dir = test::makeTempDir("slurm-forgotten");
  test::FakeCommandRunner runner;
  runner.answer("scontrol", {1, "", "slurm_load_jobs error: Invalid job id specified\n"});
  SlurmBackend backend(runner);
  JobRecord record;
  record.backendId = "77";
  record.jobDir = dir;
  record.arraySize = 3;
  record.tasks = initialTasks(3);
  std::ofstream(dir / "exit.0") << "0\n";
  std::ofstream(dir / "exit.1") << "2\n";
  backend.refresh(record);
  EXPECT_EQ(record.tasks[0].state, JobState::kCompleted);
  EXPECT_EQ(record.tasks[1].state, JobState::kFailed);
  EXPECT_EQ(record.tasks[1].exitCode, 2);
  EXPECT_EQ(record.tasks[2].state, JobState::kUnknown);
  EXPECT_EQ(record.state, JobState::kFailed);  // failed outranks unknown in the summary
  EXPECT_FALSE(record.finished.empty());
  fs::remove_all(dir);
}

TEST(SlurmBackend, ReadsArrayTasksFromScontrol) {
  test::FakeCommandRunner runner;
  runner.answer(
      "scontrol",
      {0, test::readText(fs::path(BOLO_SOURCE_DIR) / "tests/batch/recorded/scontrol_show_job.txt"),
       ""});
  SlurmBackend backend(runner);
  JobRecord record;
  record.backendId = "6";
  record.arraySize = 10;
  record.tasks = initialTasks(10);
  backend.refresh(record);
  EXPECT_EQ(runner.calls[0], (std::vector<std::string>{"scontrol", "show", "job", "-o", "6"}));
  EXPECT_EQ(record.tasks[0].restarts, 1);
  EXPECT_EQ(record.tasks[9].state, JobState::kPending);
  EXPECT_EQ(record.state, JobState::kPending);
}

TEST(JobRecord, RoundTripsThroughJson) {
  JobRecord r;
  r.id = "20261125-120000-abcd";
  r.name = "scan";
  r.backend = BackendKind::kSlurm;
  r.backendId = "12";
  r.command = {"bolo", "scan", "run"};
  r.resources.gpus = 1;
  r.arraySize = 2;
  r.tasks = initialTasks(2);
  r.tasks[1].state = JobState::kTimeout;
  r.dependsOn = {"x"};
  r.logDir = "/tmp/logs";
  const auto again = jobRecordFromJson(toJson(r));
  EXPECT_EQ(toJson(again), toJson(r));
  auto j = toJson(r);
  j["stat"] = "RUNNING";
  EXPECT_THROW(jobRecordFromJson(j), InputError);
}

}  // namespace bolo::batch
