// Reliability of the SLURM back-end against a REAL single-node cluster on localhost, started
// by the CTest fixture (scripts/slurm/start-local-slurm.sh) in the build tree. Each test
// uses its own work directory, so the tests may run in parallel.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "batch/JobService.hpp"
#include "batch/Workflow.hpp"
#include "common/Subprocess.hpp"
#include "tests/batch/BatchTestSupport.hpp"

namespace bolo::batch {

namespace fs = std::filesystem;

namespace {

const fs::path kCounter = fs::path(BOLO_SOURCE_DIR) / "tests/batch/payloads/checkpoint-counter.sh";

SiteCatalogue clusterCatalogue() {
  return siteCatalogueFromJson(
      nlohmann::json::parse(R"({"default_site": "cluster", "sites": {"cluster": {
    "backend": "slurm", "queues": {
      "cpu": {"resource": "cpu", "partition": "cpu"},
      "gpu": {"resource": "gpu", "partition": "gpu", "gpu_model": "fake", "gpus_per_slot": 2}}}}})"));
}

class SlurmClusterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ::setenv("SLURM_CONF", BOLO_SLURM_DIR "/slurm.conf", 1); }
  void SetUp() override {
    m_dir = test::makeTempDir("slurm-cluster");
    m_service = std::make_unique<JobService>(clusterCatalogue(), m_dir, m_runner);
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(m_dir);
  }

  SubmitRequest job(std::vector<std::string> command, const std::string& name = "test") {
    SubmitRequest s;
    s.job.name = name;
    s.job.command = std::move(command);
    s.job.resources.memoryMb = 500;
    return s;
  }

  JobRecord waitFor(const std::string& id, double seconds = 60) {
    const auto r = m_service->wait(id, seconds, 0.5);
    EXPECT_TRUE(isFinal(r.state)) << id << " still " << toString(r.state);
    return r;
  }

  /// Poll until `predicate` holds (at most `seconds`).
  template <typename Predicate>
  bool eventually(Predicate predicate, double seconds = 30) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (std::chrono::steady_clock::now() < until) {
      if (predicate()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return predicate();
  }

  int counterValue(const fs::path& state) {
    std::error_code ec;
    if (!fs::exists(state, ec)) return 0;
    const std::string text = test::readText(state);
    return text.empty() ? 0 : std::stoi(text);
  }

  fs::path m_dir;
  SystemCommandRunner m_runner;
  std::unique_ptr<JobService> m_service;
};

}  // namespace

TEST_F(SlurmClusterTest, FailingJobIsFailedWithItsExitCode) {
  const auto ok = m_service->submit(job({"bash", "-c", "echo fine"}, "ok"));
  const auto bad = m_service->submit(job({"bash", "-c", "echo broken >&2; exit 3"}, "bad"));
  EXPECT_EQ(waitFor(ok.id).state, JobState::kCompleted);
  const auto done = waitFor(bad.id);
  EXPECT_EQ(done.state, JobState::kFailed);
  EXPECT_EQ(done.exitCode, 3);
  const auto logs = m_service->logFiles(bad.id);
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_NE(test::readText(logs[0]).find("broken"), std::string::npos);
  EXPECT_EQ(test::readText(done.jobDir / "exit.0"), "3\n");  // the record kept beyond MinJobAge
}

TEST_F(SlurmClusterTest, GpuJobRunsInTheGpuPartitionWithOneGpu) {
  auto s = job(
      {"bash", "-c", "printf '%s' \"$CUDA_VISIBLE_DEVICES\" > \"$0\"", (m_dir / "cvd").string()},
      "gpu");
  s.job.resources.gpus = 1;
  const auto record = m_service->submit(s);
  EXPECT_EQ(record.queue, "gpu");
  EXPECT_EQ(waitFor(record.id).state, JobState::kCompleted);
  const std::string cvd = test::readText(m_dir / "cvd");
  EXPECT_TRUE(cvd == "0" || cvd == "1") << cvd;  // exactly one of the two fake GPUs
}

TEST_F(SlurmClusterTest, CancelledJob) {
  const auto record = m_service->submit(job({"sleep", "300"}, "cancel-me"));
  ASSERT_TRUE(
      eventually([&] { return m_service->refresh(record.id).state == JobState::kRunning; }));
  m_service->cancel(record.id);
  EXPECT_EQ(waitFor(record.id).state, JobState::kCancelled);
}

TEST_F(SlurmClusterTest, JobPastItsTimeLimit) {
  auto s = job({"sleep", "600"}, "too-long");
  s.job.resources.timeMinutes = 1;  // SLURM's smallest limit; enforced within ~30 s after it
  s.job.checkpointWarningSeconds = 0;
  const auto done = waitFor(m_service->submit(s).id, 150);
  EXPECT_EQ(done.state, JobState::kTimeout);
}

// Pre-emption: SLURM requeues a running job (SIGTERM to the payload, which saves its count
// and exits 75); the job runs again and continues from its checkpoint.
TEST_F(SlurmClusterTest, PreemptedJobIsRequeuedAndResumesFromItsCheckpoint) {
  const fs::path state = m_dir / "state", result = m_dir / "result";
  const auto record = m_service->submit(
      job({kCounter.string(), state.string(), result.string(), "30", "0.1"}, "preempt"));
  ASSERT_TRUE(eventually([&] { return counterValue(state) >= 5; }));
  const auto requeue = runProcess({"scontrol", "requeue", record.backendId});
  ASSERT_EQ(requeue.exitCode, 0) << requeue.err;
  const auto done = waitFor(record.id, 90);
  EXPECT_EQ(done.state, JobState::kCompleted);
  EXPECT_GE(done.tasks.at(0).restarts, 1);
  EXPECT_EQ(test::readText(result), "done 30\n");  // finished exactly once
  const std::string starts = test::readText(fs::path(state.string() + ".starts"));
  EXPECT_EQ(starts.rfind("start 0\n", 0), 0u) << starts;
  EXPECT_NE(starts.find("start ", 8), std::string::npos) << starts;
  EXPECT_EQ(starts.find("start 0\n", 8), std::string::npos)
      << "the rerun started from scratch: " << starts;
}

// The time-limit warning: SIGUSR1 to the batch shell (what --signal=B:USR1@T does) reaches
// the payload, which saves and exits 75; the script requeues its own job, which resumes.
TEST_F(SlurmClusterTest, CheckpointWarningRequeuesTheJobItself) {
  const fs::path state = m_dir / "state", result = m_dir / "result";
  const auto record = m_service->submit(
      job({kCounter.string(), state.string(), result.string(), "30", "0.1"}, "warned"));
  ASSERT_TRUE(eventually([&] { return counterValue(state) >= 5; }));
  const auto signal = runProcess({"scancel", "--batch", "--signal=USR1", record.backendId});
  ASSERT_EQ(signal.exitCode, 0) << signal.err;
  const auto done = waitFor(record.id, 90);
  EXPECT_EQ(done.state, JobState::kCompleted);
  EXPECT_GE(done.tasks.at(0).restarts, 1);
  EXPECT_EQ(test::readText(result), "done 30\n");
  const auto logs = m_service->logFiles(record.id);
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_NE(test::readText(logs[0]).find("requeueing job"), std::string::npos);
}

// A scan-like array where some tasks die: the workflow retries only those tasks, then runs
// the collect step; every result exists exactly once.
TEST_F(SlurmClusterTest, ScanArrayWithDyingTasksIsRetriedAndNothingIsLost) {
  for (int t : {2, 5, 7}) std::ofstream(m_dir / ("die." + std::to_string(t))) << "";
  std::vector<WorkflowStep> steps(2);
  steps[0].name = "scan";
  steps[0].command = {kCounter.string(),
                      (m_dir / "state.{task}").string(),
                      (m_dir / "result.{task}").string(),
                      "3",
                      "0.1",
                      (m_dir / "die.{task}").string()};
  steps[0].arraySize = 10;
  steps[0].arrayLimit = 4;
  steps[0].resources.gpus = 1;  // scan jobs are GPU jobs: they go to the gpu partition
  steps[0].resources.memoryMb = 500;
  steps[1].name = "collect";
  steps[1].command = {"bash", "-c", "cat \"$0\"/result.* > \"$0\"/collected", m_dir.string()};
  steps[1].resources.gpus = 0;
  steps[1].resources.memoryMb = 500;
  steps[1].after = {"scan"};
  WorkflowOptions options;
  options.name = "scan-test";
  options.site = "cluster";
  options.retries = 1;
  options.pollSeconds = 0.5;
  options.timeoutSeconds = 120;
  const auto summary = runWorkflow(*m_service, steps, options);
  ASSERT_TRUE(summary.completed) << toJson(summary).dump(2);
  EXPECT_EQ(summary.steps[0].jobs.size(), 2u);
  EXPECT_EQ(summary.steps[0].retries, 1);
  const auto first = m_service->store().load(summary.steps[0].jobs[0]);
  EXPECT_EQ(first.queue, "gpu");
  int failedFirst = 0;
  for (const auto& t : first.tasks) failedFirst += t.state == JobState::kFailed;
  EXPECT_EQ(failedFirst, 3);
  const auto retry = m_service->store().load(summary.steps[0].jobs[1]);
  ASSERT_EQ(retry.tasks.size(), 3u);
  EXPECT_EQ(retry.tasks[0].index, 2);
  std::string all;
  for (int t = 0; t < 10; ++t) {
    EXPECT_EQ(test::readText(m_dir / ("result." + std::to_string(t))), "done 3\n") << "task " << t;
    all += "done 3\n";
  }
  EXPECT_EQ(test::readText(m_dir / "collected"), all);
  EXPECT_EQ(m_service->store().load(summary.steps[1].jobs.back()).queue, "cpu");
}

// The verbs end to end: `bolo submit` a real verb to SLURM, `bolo wait`, `bolo status`.
TEST_F(SlurmClusterTest, SubmitWaitAndStatusVerbs) {
  const fs::path catalogue = m_dir / "sites.json";
  std::ofstream(catalogue) << toJson(clusterCatalogue()).dump(2);
  const std::string workdir = (m_dir / "work").string();
  const auto submit = runProcess({BOLO_EXECUTABLE, "submit", "--workdir", workdir, "--catalogue",
                                  catalogue.string(), "--mem", "500M", "--", "init"});
  ASSERT_EQ(submit.exitCode, 0) << submit.err;
  const std::string id = submit.out.substr(0, submit.out.find('\n'));
  const auto wait = runProcess({BOLO_EXECUTABLE, "wait", "--workdir", workdir, "--catalogue",
                                catalogue.string(), "--poll", "0.5", "--timeout", "60", id});
  EXPECT_EQ(wait.exitCode, 0) << wait.err;
  EXPECT_TRUE(fs::exists(fs::path(workdir) / "configs" /
                         "sites.json"));  // what `bolo init` wrote in the job
  const auto status = runProcess({BOLO_EXECUTABLE, "status", "--workdir", workdir, "--json", id});
  ASSERT_EQ(status.exitCode, 0) << status.err;
  const auto records = nlohmann::json::parse(status.out);
  EXPECT_EQ(records.at(0).at("state"), "COMPLETED");
  EXPECT_EQ(records.at(0).at("backend"), "slurm");

  const auto gpuless =
      runProcess({BOLO_EXECUTABLE, "submit", "--workdir", workdir, "--catalogue",
                  catalogue.string(), "--gpus", "1", "--gpu-model", "A100", "--", "init"});
  EXPECT_EQ(gpuless.exitCode, 2);
  EXPECT_NE(gpuless.err.find("gpu: GPU model fake is not the requested A100"), std::string::npos)
      << gpuless.err;
}

}  // namespace bolo::batch
