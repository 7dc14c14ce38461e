// The local back-end with real processes: detached supervisors, slots, exit codes, requeue
// after exit 75, cancellation, dependencies, and records that survive a new JobService.

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <set>
#include <thread>

#include "batch/JobService.hpp"
#include "batch/LocalBackend.hpp"
#include "common/Error.hpp"
#include "tests/batch/BatchTestSupport.hpp"

namespace bolo::batch {

namespace fs = std::filesystem;

namespace {

SiteCatalogue localCatalogue() {
  return siteCatalogueFromJson(nlohmann::json::parse(R"({"default_site": "here", "sites": {"here": {
    "backend": "local", "queues": {
      "gpu": {"resource": "gpu", "slots": 2},
      "cpu": {"resource": "cpu", "slots": 3, "array_limit": 3}}}}})"));
}

class LocalBackendTest : public ::testing::Test {
 protected:
  void SetUp() override { m_dir = test::makeTempDir("local"); }
  void TearDown() override { fs::remove_all(m_dir); }

  SubmitRequest shell(const std::string& script, int gpus = 0) {
    SubmitRequest s;
    s.job.name = "sh";
    s.job.command = {"bash", "-c", script, "payload"};
    s.job.resources.gpus = gpus;
    return s;
  }

  fs::path m_dir;
  SystemCommandRunner m_runner;
};

}  // namespace

TEST_F(LocalBackendTest, CompletedAndFailedJobsWithTheirExitCodes) {
  JobService service(localCatalogue(), m_dir, m_runner);
  const auto ok = service.submit(shell("echo hello"));
  const auto bad = service.submit(shell("echo oops >&2; exit 3"));
  EXPECT_EQ(ok.queue, "cpu");
  const auto okDone = service.wait(ok.id, 30, 0.1);
  const auto badDone = service.wait(bad.id, 30, 0.1);
  EXPECT_EQ(okDone.state, JobState::kCompleted);
  EXPECT_EQ(badDone.state, JobState::kFailed);
  EXPECT_EQ(badDone.exitCode, 3);
  const auto logs = service.logFiles(bad.id);
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_EQ(test::readText(logs[0]), "oops\n");
  // A fresh service (a later `bolo status`) reads the same records from disk.
  JobService later(localCatalogue(), m_dir, m_runner);
  EXPECT_EQ(later.refresh(bad.id).state, JobState::kFailed);
  EXPECT_EQ(later.store().list().size(), 2u);
}

TEST_F(LocalBackendTest, GpuJobsGetOneGpuEachAndCpuJobsNone) {
  JobService service(localCatalogue(), m_dir, m_runner);
  const auto out = (m_dir / "cvd").string();
  auto gpuJob =
      shell("printf '%s' \"$CUDA_VISIBLE_DEVICES\" > \"$0.$BOLO_BATCH_TASK.gpu\"; sleep 0.5", 1);
  gpuJob.job.command.back() = out;
  gpuJob.job.arraySize = 2;
  auto cpuJob = shell("printf '[%s]' \"${CUDA_VISIBLE_DEVICES-unset}\" > \"$0.cpu\"");
  cpuJob.job.command.back() = out;
  const auto g = service.submit(gpuJob);
  const auto c = service.submit(cpuJob);
  EXPECT_EQ(g.queue, "gpu");
  EXPECT_EQ(service.wait(g.id, 30, 0.1).state, JobState::kCompleted);
  EXPECT_EQ(service.wait(c.id, 30, 0.1).state, JobState::kCompleted);
  // Two tasks ran at once on the two GPU slots: one saw GPU 0, the other GPU 1.
  const std::set<std::string> seen = {test::readText(out + ".0.gpu"),
                                      test::readText(out + ".1.gpu")};
  EXPECT_EQ(seen, (std::set<std::string>{"0", "1"}));
  EXPECT_EQ(test::readText(out + ".cpu"), "[]");
}

TEST_F(LocalBackendTest, ExitSeventyFiveRunsTheTaskAgain) {
  JobService service(localCatalogue(), m_dir, m_runner);
  const auto flag = (m_dir / "saved").string();
  auto s = shell("if [ -f \"$0\" ]; then echo resumed; else touch \"$0\"; exit 75; fi");
  s.job.command.back() = flag;
  const auto done = service.wait(service.submit(s).id, 30, 0.1);
  EXPECT_EQ(done.state, JobState::kCompleted);
  EXPECT_EQ(done.tasks.at(0).restarts, 1);
}

TEST_F(LocalBackendTest, CancelStopsRunningAndPendingTasks) {
  JobService service(localCatalogue(), m_dir, m_runner);
  auto s = shell("sleep 60");
  s.job.arraySize = 5;  // three run (array_limit 3), two wait
  const auto job = service.submit(s);
  for (int i = 0; i < 100 && service.refresh(job.id).state != JobState::kRunning; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  service.cancel(job.id);
  const auto done = service.wait(job.id, 30, 0.1);
  EXPECT_EQ(done.state, JobState::kCancelled);
  for (const auto& t : done.tasks) EXPECT_EQ(t.state, JobState::kCancelled) << t.index;
}

TEST_F(LocalBackendTest, DependentJobRunsOnlyAfterSuccess) {
  JobService service(localCatalogue(), m_dir, m_runner);
  const auto marker = (m_dir / "order").string();
  auto first = shell("sleep 0.3; echo first >> \"$0\"");
  first.job.command.back() = marker;
  const auto a = service.submit(first);
  auto second = shell("echo second >> \"$0\"");
  second.job.command.back() = marker;
  second.dependsOn = {a.id};
  const auto b = service.submit(second);
  EXPECT_EQ(service.wait(b.id, 30, 0.1).state, JobState::kCompleted);
  EXPECT_EQ(test::readText(marker), "first\nsecond\n");

  const auto failing = service.submit(shell("exit 1"));
  auto after = shell("echo never >> \"$0\"");
  after.job.command.back() = marker;
  after.dependsOn = {failing.id};
  const auto c = service.wait(service.submit(after).id, 30, 0.1);
  EXPECT_EQ(c.state, JobState::kCancelled);
  EXPECT_NE(c.reason.find("did not complete"), std::string::npos) << c.reason;
  EXPECT_EQ(test::readText(marker), "first\nsecond\n");
}

TEST_F(LocalBackendTest, KilledSupervisorIsReportedNotHidden) {
  JobService service(localCatalogue(), m_dir, m_runner);
  const auto job = service.submit(shell("sleep 60"));
  const long pid = liveSupervisorPid(job.jobDir);
  ASSERT_GT(pid, 0);
  long payload = 0;
  for (int i = 0; i < 100 && payload == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::error_code ec;
    if (fs::exists(job.jobDir / "task.0.json", ec)) {
      payload =
          nlohmann::json::parse(test::readText(job.jobDir / "task.0.json")).at("pid").get<long>();
    }
  }
  ASSERT_GT(payload, 0);
  ::kill(static_cast<pid_t>(pid), SIGKILL);
  for (int i = 0; i < 100 && liveSupervisorPid(job.jobDir) != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const auto after = service.refresh(job.id);
  EXPECT_EQ(after.state, JobState::kUnknown);
  EXPECT_NE(after.reason.find("supervisor is gone"), std::string::npos);
  // The orphaned payload leads its own process group: end exactly that group.
  ::kill(static_cast<pid_t>(-payload), SIGKILL);
}

// The supervisor's time limit, driven directly with a one-second limit (jobs submitted
// through the service have limits in whole minutes): TERM first, KILL when TERM is ignored.
TEST_F(LocalBackendTest, TimeLimitEndsTheTaskAsTimeout) {
  LocalPlan plan;
  plan.command = {"bash", "-c", "trap '' TERM; sleep 30"};
  plan.tasks = {0};
  plan.queue = "cpu";
  plan.logName = "limit";
  plan.workdir = m_dir;
  plan.logDir = m_dir / "logs";
  plan.jobDir = m_dir / "jobs" / "limit";
  plan.slotDir = m_dir / "jobs" / "slots";
  plan.timeLimitSeconds = 1;
  plan.killGraceSeconds = 1;
  fs::create_directories(plan.jobDir);
  fs::create_directories(plan.logDir);
  std::ofstream(plan.jobDir / "plan.json") << nlohmann::json({{"tasks", plan.tasks}}).dump();
  const auto start = std::chrono::steady_clock::now();
  startLocalSupervisor(plan);
  std::vector<TaskRecord> tasks;
  for (int i = 0; i < 200; ++i) {
    tasks = readLocalTasks(plan.jobDir, {0});
    if (isFinal(tasks[0].state)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(tasks[0].state, JobState::kTimeout);
  EXPECT_EQ(tasks[0].exitCode, 128 + SIGKILL);  // it ignored TERM
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(8));
}

TEST_F(LocalBackendTest, MultiGpuIsRefusedLocally) {
  auto catalogue = localCatalogue();
  catalogue.sites[0].queues[1].multiGpu = true;  // queues are sorted: cpu, gpu
  catalogue.sites[0].queues[1].gpusPerSlot = 2;
  JobService service(catalogue, m_dir, m_runner);
  EXPECT_THROW(service.submit(shell("true", 2)), InputError);
}

}  // namespace bolo::batch
