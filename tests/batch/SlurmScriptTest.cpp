#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "batch/SlurmScript.hpp"
#include "common/Error.hpp"
#include "common/Subprocess.hpp"
#include "tests/batch/BatchTestSupport.hpp"

namespace bolo::batch {

namespace fs = std::filesystem;

namespace {

QueueSpec gpuQueue() {
  QueueSpec q;
  q.name = "a100";
  q.partition = "gpu";
  q.resource = "gpu";
  q.label = "nvidia-gpu";
  q.gpusPerSlot = 4;
  q.arrayLimit = 10;
  return q;
}

JobRequest trainRequest() {
  JobRequest r;
  r.name = "train pions";
  r.command = {"apptainer", "exec",   "--nv", "/shared/bolo.sif", "bolo", "train",
               "pions",     "--seed", "7"};
  r.resources.gpus = 1;
  r.resources.timeMinutes = 720;
  r.resources.memoryMb = 16000;
  r.resources.cpus = 4;
  r.workdir = "/home/jdoe/bolo work";
  r.logDir = "/home/jdoe/bolo work/logs";
  r.statusDir = "/home/jdoe/bolo work/jobs/20261125-120000-abcd";
  r.checkpointWarningSeconds = 300;
  return r;
}

}  // namespace

TEST(SlurmScript, GpuTrainingJobMatchesGolden) {
  test::expectGolden("slurm_train_gpu.sbatch", renderSbatchScript(trainRequest(), gpuQueue()));
}

TEST(SlurmScript, ScanArrayWithDependencyMatchesGolden) {
  JobRequest r = trainRequest();
  r.name = "scan";
  r.command = {"bolo", "scan", "run", "--index", "{task}"};
  r.arraySize = 80;
  r.afterOk = {"1234", "1235"};
  r.resources.timeMinutes = 60;
  r.resources.cpus = 1;
  r.resources.memoryMb = 2000;
  test::expectGolden("slurm_scan_array.sbatch", renderSbatchScript(r, gpuQueue()));
}

TEST(SlurmScript, SbatchArgumentsCarryPathsAsSeparateWords) {
  JobRequest r = trainRequest();
  r.logDir = "/tmp/100%done";
  const auto argv = sbatchArguments(r, "/home/jdoe/bolo work/jobs/x/job.sbatch");
  const std::vector<std::string> expected = {"sbatch", "--parsable", "--chdir=/home/jdoe/bolo work",
                                             "--output=/tmp/100%%done/train_pions-%j.log",
                                             "/home/jdoe/bolo work/jobs/x/job.sbatch"};
  EXPECT_EQ(argv, expected);
}

TEST(SlurmScript, DirectivesHoldOnlyPlainTokens) {
  JobRequest r = trainRequest();
  r.name = "x\n#SBATCH --uid=0 $(reboot)";
  const std::string script = renderSbatchScript(r, gpuQueue());
  EXPECT_NE(script.find("#SBATCH --job-name=x__SBATCH_--uid_0___reboot_\n"), std::string::npos)
      << script;
  EXPECT_EQ(script.find("--uid=0"), std::string::npos);
  r.afterOk = {"12; rm -rf /"};
  EXPECT_THROW(renderSbatchScript(r, gpuQueue()), InputError);
}

// The proof that hostile values never run as code: render a script whose payload gets every
// hostile argument, run it with a real bash, and compare the argv the payload received.
TEST(SlurmScript, HostileArgumentsReachThePayloadUnchanged) {
  const fs::path dir = test::makeTempDir("slurm-hostile");
  const fs::path workdir = dir / "work dir $(touch side.workdir) 'q'";
  fs::create_directories(workdir);
  const std::string side = (dir / "side").string();
  JobRequest r;
  r.name = "$(touch " + side + ".name)";
  r.command = {test::writeArgvPrinter(dir).string()};
  for (const auto& a : test::hostileArguments(side)) r.command.push_back(a);
  r.command.push_back("--index={task}");
  r.command.push_back("jobs/job_{task:03}.json");
  r.workdir = workdir;
  r.statusDir = dir / "status";
  const fs::path script = dir / "job.sbatch";
  std::ofstream(script) << renderSbatchScript(r, gpuQueue());

  const auto result =
      runProcess({"bash", script.string()}, workdir, "",
                 {{"ARGV_OUT", (dir / "argv").string()}, {"SLURM_ARRAY_TASK_ID", "7"}});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  std::vector<std::string> expected(r.command.begin() + 1, r.command.end());
  expected[expected.size() - 2] = "--index=7";
  expected.back() = "jobs/job_007.json";
  EXPECT_EQ(test::readNulSeparated(dir / "argv"), expected);
  EXPECT_EQ(test::readText(dir / "argv.workdir"), workdir.string());
  for (const char* suffix : {".dollar", ".backtick", ".single", ".double", ".newline", ".name"}) {
    EXPECT_FALSE(fs::exists(side + suffix)) << suffix;
  }
  EXPECT_FALSE(fs::exists(workdir / "side.workdir"));
  EXPECT_FALSE(fs::exists(dir / "side.workdir"));
  EXPECT_EQ(test::readText(dir / "status" / "exit.7"), "0\n");
  fs::remove_all(dir);
}

// The script passes SIGUSR1 (SLURM's time-limit warning) on to the payload, which saves its
// state and exits 75; outside SLURM nothing is requeued and no final exit record is written.
TEST(SlurmScript, ForwardsTheCheckpointSignalToThePayload) {
  const fs::path dir = test::makeTempDir("slurm-signal");
  JobRequest r;
  r.name = "counter";
  r.command = {fs::path(BOLO_SOURCE_DIR) / "tests/batch/payloads/checkpoint-counter.sh"};
  r.command.push_back((dir / "state").string());
  r.command.push_back((dir / "result").string());
  r.command.push_back("1000");
  r.command.push_back("0.05");
  r.statusDir = dir / "status";
  const fs::path script = dir / "job.sbatch";
  std::ofstream(script) << renderSbatchScript(r, gpuQueue());

  const pid_t pid = ::fork();
  if (pid == 0) {
    ::execlp("bash", "bash", script.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  // Wait until the payload has made progress, then warn the batch shell as SLURM would.
  for (int i = 0; i < 200 && !fs::exists(dir / "state"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_TRUE(fs::exists(dir / "state"));
  ::kill(pid, SIGUSR1);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 75);
  EXPECT_FALSE(fs::exists(dir / "result"));
  EXPECT_FALSE(fs::exists(dir / "status" / "exit.0"));
  EXPECT_GT(std::stoi(test::readText(dir / "state")), 0);
  fs::remove_all(dir);
}

TEST(SlurmScript, ParsesScontrolRecords) {
  const std::string text =
      test::readText(fs::path(BOLO_SOURCE_DIR) / "tests/batch/recorded/scontrol_show_job.txt");
  const auto jobs = parseScontrolShowJob(text);
  ASSERT_EQ(jobs.size(), 7u);
  EXPECT_EQ(jobs[0].state, JobState::kCompleted);
  EXPECT_EQ(jobs[1].state, JobState::kFailed);
  EXPECT_EQ(jobs[1].exitCode, 3);
  EXPECT_EQ(jobs[2].state, JobState::kTimeout);
  EXPECT_EQ(jobs[3].state, JobState::kCancelled);
  EXPECT_EQ(jobs[4].state, JobState::kOutOfMemory);
  EXPECT_EQ(jobs[4].exitSignal, 9);
  EXPECT_EQ(jobs[5].arrayJobId, "6");
  EXPECT_EQ(jobs[5].arrayTaskId, "0");
  EXPECT_EQ(jobs[5].restarts, 1);
  EXPECT_EQ(jobs[6].state, JobState::kPending);
  EXPECT_EQ(expandTaskRange(jobs[6].arrayTaskId), (std::vector<int>{4, 5, 6, 7, 8, 9}));
}

TEST(SlurmScript, StatesAndIds) {
  EXPECT_EQ(jobStateFromSlurm("COMPLETING"), JobState::kRunning);
  EXPECT_EQ(jobStateFromSlurm("NODE_FAIL"), JobState::kFailed);
  EXPECT_EQ(jobStateFromSlurm("PREEMPTED"), JobState::kRequeued);
  EXPECT_EQ(jobStateFromSlurm("DEADLINE"), JobState::kTimeout);
  EXPECT_EQ(jobStateFromSlurm("WHATEVER"), JobState::kUnknown);
  EXPECT_EQ(parseSbatchJobId("42;cluster\n"), "42");
  EXPECT_THROW(parseSbatchJobId("sbatch: error: bad\n"), RuntimeFailure);
  EXPECT_EQ(expandTaskRange("1,4-6%2"), (std::vector<int>{1, 4, 5, 6}));
  // Numbers from squeue are parsed with range checks: no exception, no billion-entry list.
  EXPECT_EQ(expandTaskRange("99999999999999999999"), std::vector<int>{});
  EXPECT_EQ(expandTaskRange("0-2000000000,3"), std::vector<int>{3});
  EXPECT_EQ(expandTaskRange("5-3"), std::vector<int>{});
}

}  // namespace bolo::batch
