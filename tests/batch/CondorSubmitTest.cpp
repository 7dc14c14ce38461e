#include <gtest/gtest.h>

#include "batch/CondorBackend.hpp"
#include "batch/CondorSubmit.hpp"
#include "common/Error.hpp"
#include "tests/batch/BatchTestSupport.hpp"
#include "tests/batch/FakeCommandRunner.hpp"

namespace bolo::batch {

namespace fs = std::filesystem;

namespace {

SiteSpec gridSite(const std::string& runtime = "apptainer") {
  SiteSpec site;
  site.name = "grid-condor";
  site.backend = BackendKind::kHtcondor;
  site.container.runtime = runtime;
  site.container.image = runtime == "docker"
                             ? "docker://ghcr.io/bolo/bolo:1.0"
                             : "/cvmfs/unpacked.cern.ch/registry.hub.docker.com/bolo/bolo:1.0";
  QueueSpec q;
  q.name = "gpu";
  q.resource = "gpu";
  q.label = "nvidia-gpu";
  q.gpuModel = "V100";
  q.gpuMemoryGb = 32;
  q.gpusPerSlot = 1;
  site.queues.push_back(q);
  return site;
}

JobRequest scanRequest() {
  JobRequest r;
  r.name = "scan";
  r.command = {"bolo",
               "scan",
               "run",
               "--input",
               "combination_{task}.json",
               "--output",
               "result_{task}.json"};
  r.resources.gpus = 1;
  r.resources.gpuMemoryGb = 16;
  r.resources.timeMinutes = 120;
  r.arraySize = 800;
  r.inputFiles = {"scan/combination_{task}.json"};
  r.outputFiles = {"result_{task}.json"};
  r.logDir = "/home/jdoe/bolo-work/logs";
  return r;
}

/// Split HTCondor's new-syntax arguments back into words (the manual's rules: blanks
/// separate, single quotes group, '' and "" are literal quotes).
std::vector<std::string> splitCondorArguments(const std::string& text) {
  std::vector<std::string> words;
  std::string current;
  bool quoted = false, inWord = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if ((c == '\'' || c == '"') && i + 1 < text.size() && text[i + 1] == c) {
      current += c;
      ++i;
      inWord = true;
    } else if (c == '\'') {
      quoted = !quoted;
      inWord = true;
    } else if ((c == ' ' || c == '\t') && !quoted) {
      if (inWord) words.push_back(current);
      current.clear();
      inWord = false;
    } else {
      current += c;
      inWord = true;
    }
  }
  if (inWord) words.push_back(current);
  return words;
}

}  // namespace

TEST(CondorSubmit, ScanArrayWithApptainerMatchesGolden) {
  const auto site = gridSite();
  test::expectGolden("condor_scan_array.sub",
                     renderCondorSubmit(scanRequest(), site, site.queues[0]));
}

TEST(CondorSubmit, SingleJobInDockerUniverseMatchesGolden) {
  const auto site = gridSite("docker");
  JobRequest r;
  r.name = "train photons-low";
  r.command = {"bolo", "train", "photons", "--energy-range", "low"};
  r.resources.gpus = 1;
  r.resources.gpuModel = "A100";
  r.resources.timeMinutes = 1440;
  r.resources.memoryMb = 16000;
  r.outputFiles = {"output/photons-low/summary.json"};
  r.logDir = "/home/jdoe/bolo-work/logs";
  test::expectGolden("condor_train_docker.sub", renderCondorSubmit(r, site, site.queues[0]));
}

TEST(CondorSubmit, HostileArgumentsSurviveHTCondorQuoting) {
  const auto site = gridSite();
  JobRequest r = scanRequest();
  r.arraySize = 0;
  r.inputFiles.clear();
  r.outputFiles.clear();
  r.command = {
      "bolo", "two words", "it's", "say \"hi\"", "$(touch x)", "`touch y`", "--output=/etc/passwd",
      "-rf"};
  const std::string submit = renderCondorSubmit(r, site, site.queues[0]);
  const auto start = submit.find("arguments = \"") + 13;
  const auto end = submit.find("\"\n", start);
  const std::string rendered = submit.substr(start, end - start);
  // condor_submit would turn $(DOLLAR) back into '$' and expand nothing else.
  const std::string macro = "$(DOLLAR)";
  std::string args;
  for (std::size_t i = 0; i < rendered.size(); ++i) {
    if (rendered.compare(i, macro.size(), macro) == 0) {
      args.push_back('$');
      i += macro.size() - 1;
    } else {
      args.push_back(rendered[i]);
    }
  }
  const std::vector<std::string> expected(r.command.begin() + 1, r.command.end());
  EXPECT_EQ(splitCondorArguments(args), expected) << args;
  EXPECT_EQ(submit.find("$(touch"), std::string::npos);

  r.command = {"bolo", "line\nqueue 1000"};
  EXPECT_THROW(renderCondorSubmit(r, site, site.queues[0]), InputError);
  r.command = {"bolo"};
  r.inputFiles = {"a.json, /etc/shadow"};
  EXPECT_THROW(renderCondorSubmit(r, site, site.queues[0]), InputError);
}

TEST(CondorSubmit, DependenciesAreRefusedRatherThanIgnored) {
  const auto site = gridSite();
  JobRequest r = scanRequest();
  r.afterOk = {"4020"};
  EXPECT_THROW(renderCondorSubmit(r, site, site.queues[0]), InputError);
}

TEST(CondorSubmit, ParsesRecordedQueueAndHistory) {
  const fs::path dir = fs::path(BOLO_SOURCE_DIR) / "tests/batch/recorded";
  const auto queue = parseCondorJobAds(test::readText(dir / "condor_q.json"));
  ASSERT_EQ(queue.size(), 4u);
  EXPECT_EQ(queue[0].cluster, "4021");
  EXPECT_EQ(queue[0].state, JobState::kRunning);
  EXPECT_EQ(queue[1].state, JobState::kPending);
  EXPECT_EQ(queue[2].state, JobState::kOutOfMemory);
  EXPECT_EQ(queue[3].state, JobState::kTimeout);
  const auto history = parseCondorJobAds(test::readText(dir / "condor_history.json"));
  ASSERT_EQ(history.size(), 4u);
  EXPECT_EQ(history[0].state, JobState::kCompleted);
  EXPECT_EQ(history[1].state, JobState::kFailed);
  EXPECT_EQ(history[1].exitCode, 3);
  EXPECT_EQ(history[2].state, JobState::kCancelled);
  EXPECT_TRUE(parseCondorJobAds("\n").empty());
  EXPECT_THROW(parseCondorJobAds("[{"), RuntimeFailure);
  // Read with the same depth limit as every JSON: a batch system's failure, not a crash.
  EXPECT_THROW(parseCondorJobAds(std::string(100000, '[') + std::string(100000, ']')),
               RuntimeFailure);
  EXPECT_EQ(parseCondorSubmitCluster("4021.0 - 4021.799\n"), "4021");
  EXPECT_THROW(parseCondorSubmitCluster("ERROR: no such file\n"), RuntimeFailure);
}

TEST(CondorSubmit, BackendMergesQueueAndHistoryPreferringTheQueue) {
  const fs::path dir = fs::path(BOLO_SOURCE_DIR) / "tests/batch/recorded";
  test::FakeCommandRunner runner;
  runner.answer("condor_q", {0, test::readText(dir / "condor_q.json"), ""});
  runner.answer("condor_history", {0, test::readText(dir / "condor_history.json"), ""});
  CondorBackend backend(runner);
  JobRecord record;
  record.backendId = "4021";
  record.arraySize = 8;
  record.tasks = initialTasks(8);
  backend.refresh(record);
  EXPECT_EQ(record.tasks[0].state,
            JobState::kRunning);  // still queued: the old history entry loses
  EXPECT_EQ(record.tasks[2].state, JobState::kOutOfMemory);
  EXPECT_EQ(record.tasks[4].state, JobState::kCompleted);
  EXPECT_EQ(record.tasks[7].state, JobState::kUnknown);
  EXPECT_EQ(record.state, JobState::kRunning);
  EXPECT_EQ(runner.calls.at(0), (std::vector<std::string>{"condor_q", "4021", "-json"}));
}

}  // namespace bolo::batch
