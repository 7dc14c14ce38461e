#include <gtest/gtest.h>

#include "batch/Workflow.hpp"
#include "common/Error.hpp"
#include "tests/batch/BatchTestSupport.hpp"

namespace bolo::batch {

namespace fs = std::filesystem;

TEST(Workflow, CaloTrainsInParallelThenPicksTheBestIterations) {
  const auto steps = planCaloWorkflow(WorkflowConfig{}, "bolo");
  ASSERT_EQ(steps.size(), 5u);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(steps[i].after.empty()) << steps[i].name;
  EXPECT_EQ(steps[0].command, (std::vector<std::string>{"bolo", "train", "pions", "--resume"}));
  EXPECT_EQ(steps[1].command,
            (std::vector<std::string>{"bolo", "train", "photons", "--gan", "low", "--resume"}));
  EXPECT_EQ(steps[2].command,
            (std::vector<std::string>{"bolo", "train", "photons", "--gan", "high", "--resume"}));
  EXPECT_EQ(steps[3].name, "bestiter-pions");
  EXPECT_EQ(steps[3].after, (std::vector<std::string>{"train-pions"}));
  // bestiter photons scores both photon GANs, so it waits for both trainings.
  EXPECT_EQ(steps[4].after, (std::vector<std::string>{"train-photons-low", "train-photons-high"}));
  EXPECT_EQ(steps[0].resources.gpus, 1);
}

TEST(Workflow, ScanIsPlanThenOneArrayThenCollectThenRetrain) {
  WorkflowConfig config;
  config.scanJobs = 80;
  const auto steps = planScanWorkflow(config, "/opt/bolo/bin/bolo");
  ASSERT_EQ(steps.size(), 4u);
  EXPECT_EQ(steps[0].command,
            (std::vector<std::string>{"/opt/bolo/bin/bolo", "scan", "plan", "--jobs", "80"}));
  EXPECT_EQ(steps[1].arraySize, 80);
  EXPECT_EQ(steps[1].arrayLimit, 10);
  EXPECT_EQ(steps[1].command.back(), "output/scan/jobs/job_{task:03}.json");
  EXPECT_EQ(steps[1].after, (std::vector<std::string>{"plan"}));
  EXPECT_EQ(steps[2].after, (std::vector<std::string>{"scan"}));
  EXPECT_EQ(steps[2].resources.gpus, 0);  // collecting small JSON files needs no GPU
  EXPECT_EQ(steps[3].command, (std::vector<std::string>{"/opt/bolo/bin/bolo", "scan", "retrain",
                                                        "best", "medium", "worst"}));
  EXPECT_EQ(steps[3].after, (std::vector<std::string>{"collect"}));
}

TEST(Workflow, TaskPlaceholdersArePaddedOnRequest) {
  const auto digits = [](int width) {
    return width == 0 ? std::string("7")
                      : std::string(static_cast<std::size_t>(width) - 1, '0') + "7";
  };
  EXPECT_EQ(substituteTask("jobs/job_{task:03}.json", digits), "jobs/job_007.json");
  EXPECT_EQ(substituteTask("--index={task}", digits), "--index=7");
  EXPECT_EQ(substituteTask("{task:09}{task", digits), "{task:09}{task");
}

TEST(Workflow, ConfigIsStrictAndRoundTrips) {
  WorkflowConfig config;
  config.retries = 5;
  config.scanJobs = 12;
  const auto again = workflowConfigFromJson(toJson(config));
  EXPECT_EQ(toJson(again), toJson(config));
  auto j = toJson(config);
  j["scan"]["sise"] = 3;
  EXPECT_THROW(workflowConfigFromJson(j), InputError);
  j = toJson(config);
  j["calo"]["train_pions"] = nlohmann::json::array();
  EXPECT_THROW(workflowConfigFromJson(j), InputError);
}

// A scan-like workflow on the local back-end: three array tasks die on their first run and
// are retried alone; collect waits for all of them; every result exists exactly once.
TEST(Workflow, RetriesFailedArrayTasksAndRunsDependentsAfter) {
  const fs::path dir = test::makeTempDir("workflow");
  const auto catalogue = siteCatalogueFromJson(nlohmann::json::parse(R"({"sites": {"here": {
    "backend": "local", "queues": {"cpu": {"resource": "cpu", "slots": 4}}}}})"));
  SystemCommandRunner runner;
  JobService service(catalogue, dir, runner);
  for (int t : {1, 4, 6}) std::ofstream(dir / ("die." + std::to_string(t))) << "";
  const std::string counter =
      fs::path(BOLO_SOURCE_DIR) / "tests/batch/payloads/checkpoint-counter.sh";
  std::vector<WorkflowStep> steps(2);
  steps[0].name = "scan";
  steps[0].command = {
      counter, (dir / "state.{task}").string(), (dir / "result.{task}").string(), "2",
      "0.01",  (dir / "die.{task}").string()};
  steps[0].arraySize = 8;
  steps[0].arrayLimit = 4;
  steps[0].resources.gpus = 0;
  steps[1].name = "collect";
  steps[1].command = {"bash", "-c", "cat \"$0\"/result.* > \"$0\"/collected", dir.string()};
  steps[1].after = {"scan"};
  WorkflowOptions options;
  options.name = "scan-test";
  options.site = "here";
  options.retries = 1;
  options.pollSeconds = 0.1;
  options.timeoutSeconds = 60;
  const auto summary = runWorkflow(service, steps, options);
  EXPECT_TRUE(summary.completed) << toJson(summary).dump(2);
  EXPECT_EQ(summary.steps[0].retries, 1);
  EXPECT_EQ(summary.steps[0].jobs.size(), 2u);
  EXPECT_EQ(summary.steps[0].tasksDone, 8);
  for (int t = 0; t < 8; ++t)
    EXPECT_EQ(test::readText(dir / ("result." + std::to_string(t))), "done 2\n") << t;
  std::string all;
  for (int t = 0; t < 8; ++t) all += "done 2\n";
  EXPECT_EQ(test::readText(dir / "collected"), all);

  const auto retry = service.store().load(summary.steps[0].jobs[1]);
  ASSERT_EQ(retry.tasks.size(), 3u);  // only the three tasks that died
  EXPECT_EQ(retry.tasks[0].index, 1);
  EXPECT_EQ(retry.retryOf, summary.steps[0].jobs[0]);
  fs::remove_all(dir);
}

TEST(Workflow, AStepThatKeepsFailingStopsItsDependents) {
  const fs::path dir = test::makeTempDir("workflow-fail");
  const auto catalogue = siteCatalogueFromJson(nlohmann::json::parse(R"({"sites": {"here": {
    "backend": "local", "queues": {"cpu": {"resource": "cpu", "slots": 2}}}}})"));
  SystemCommandRunner runner;
  JobService service(catalogue, dir, runner);
  std::vector<WorkflowStep> steps(2);
  steps[0].name = "train";
  steps[0].command = {"bash", "-c", "exit 3"};
  steps[0].resources.gpus = 0;
  steps[1].name = "bestiter";
  steps[1].command = {"bash", "-c", "touch \"$0\"/ran", dir.string()};
  steps[1].resources.gpus = 0;
  steps[1].after = {"train"};
  WorkflowOptions options;
  options.site = "here";
  options.retries = 2;
  options.pollSeconds = 0.1;
  options.timeoutSeconds = 60;
  const auto summary = runWorkflow(service, steps, options);
  EXPECT_FALSE(summary.completed);
  EXPECT_EQ(summary.steps[0].state, "FAILED");
  EXPECT_EQ(summary.steps[0].jobs.size(), 3u);  // first run + two retries
  EXPECT_NE(summary.steps[0].reason.find("exit code 3"), std::string::npos)
      << summary.steps[0].reason;
  EXPECT_EQ(summary.steps[1].state, "NOT_RUN");
  EXPECT_FALSE(fs::exists(dir / "ran"));
  fs::remove_all(dir);
}

}  // namespace bolo::batch
