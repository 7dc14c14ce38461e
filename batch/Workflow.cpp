#include "batch/Workflow.hpp"

#include <fmt/format.h>

#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "calo/CaloLayout.hpp"
#include "common/ConfigReader.hpp"
#include "common/Error.hpp"
#include "common/Log.hpp"
#include "common/Manifest.hpp"
#include "common/StopSignal.hpp"
#include "ftag/FtagLayout.hpp"

namespace bolo::batch {

namespace {

StepResources readResources(ConfigReader reader, StepResources r) {
  reader.read("gpus", r.gpus);
  if (r.gpus < 0) reader.fail("gpus", "an integer >= 0");
  reader.readPositive("time_minutes", r.timeMinutes);
  reader.readPositive("memory_mb", r.memoryMb);
  reader.finish();
  return r;
}

nlohmann::json resourcesJson(const StepResources& r) {
  return {{"gpus", r.gpus}, {"time_minutes", r.timeMinutes}, {"memory_mb", r.memoryMb}};
}

void readCommand(ConfigReader& reader, const std::string& key, std::vector<std::string>& value) {
  reader.read(key, value);
  if (value.empty()) reader.fail(key, "a non-empty list of bolo arguments");
}

ResourceRequest toRequest(const StepResources& r) {
  ResourceRequest request;
  request.gpus = r.gpus;
  request.timeMinutes = r.timeMinutes;
  request.memoryMb = r.memoryMb;
  return request;
}

std::vector<std::string> withBolo(const std::string& bolo, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {bolo};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

struct StepState {
  const WorkflowStep* step = nullptr;
  std::vector<int> all;
  std::set<int> done;
  std::string activeJob;
  std::vector<std::string> jobs;
  int retries = 0;
  bool needsSubmit = true;
  bool failed = false;
  std::string reason;

  bool complete() const { return done.size() == all.size(); }
};

}  // namespace

std::vector<std::string> photonTrainCommand(std::size_t index) {
  const auto particle = Particle::kPhotons;
  return {"train", particleName(particle), "--gan", ganNames(particle).at(index), "--resume"};
}

std::string scanJobFileArgument() {
  return scanLayout(WorkDir{}, "").jobFileTemplate().string();
}

WorkflowConfig workflowConfigFromJson(const nlohmann::json& json) {
  ConfigReader reader(json, "");
  WorkflowConfig c;
  reader.read("retries", c.retries);
  if (c.retries < 0) reader.fail("retries", "an integer >= 0");
  {
    auto calo = reader.section("calo");
    readCommand(calo, "train_pions", c.trainPions);
    readCommand(calo, "train_photons_low", c.trainPhotonsLow);
    readCommand(calo, "train_photons_high", c.trainPhotonsHigh);
    readCommand(calo, "bestiter_pions", c.bestiterPions);
    readCommand(calo, "bestiter_photons", c.bestiterPhotons);
    c.train = readResources(calo.section("train_resources"), c.train);
    c.bestiter = readResources(calo.section("bestiter_resources"), c.bestiter);
    calo.finish();
  }
  {
    auto scan = reader.section("scan");
    scan.readPositive("jobs", c.scanJobs);
    scan.readPositive("array_limit", c.scanArrayLimit);
    readCommand(scan, "plan", c.scanPlan);
    readCommand(scan, "run", c.scanRun);
    readCommand(scan, "collect", c.scanCollect);
    readCommand(scan, "retrain", c.scanRetrain);
    c.scanJob = readResources(scan.section("run_resources"), c.scanJob);
    c.collect = readResources(scan.section("collect_resources"), c.collect);
    c.retrain = readResources(scan.section("retrain_resources"), c.retrain);
    scan.finish();
  }
  reader.finish();
  return c;
}

nlohmann::json toJson(const WorkflowConfig& c) {
  return {{"retries", c.retries},
          {"calo",
           {{"train_pions", c.trainPions},
            {"train_photons_low", c.trainPhotonsLow},
            {"train_photons_high", c.trainPhotonsHigh},
            {"bestiter_pions", c.bestiterPions},
            {"bestiter_photons", c.bestiterPhotons},
            {"train_resources", resourcesJson(c.train)},
            {"bestiter_resources", resourcesJson(c.bestiter)}}},
          {"scan",
           {{"jobs", c.scanJobs},
            {"array_limit", c.scanArrayLimit},
            {"plan", c.scanPlan},
            {"run", c.scanRun},
            {"collect", c.scanCollect},
            {"retrain", c.scanRetrain},
            {"run_resources", resourcesJson(c.scanJob)},
            {"collect_resources", resourcesJson(c.collect)},
            {"retrain_resources", resourcesJson(c.retrain)}}}};
}

WorkflowConfig loadWorkflowConfig(const std::string& option, const WorkDir& dir) {
  const auto path = dir.configFile(option, "workflows.json");
  if (path.empty()) return {};
  return workflowConfigFromJson(readJsonFile(path.string()));
}

std::vector<WorkflowStep> planCaloWorkflow(const WorkflowConfig& c, const std::string& bolo) {
  std::vector<WorkflowStep> steps;
  steps.push_back({"train-pions", withBolo(bolo, c.trainPions), 0, 0, toRequest(c.train), {}});
  steps.push_back(
      {"train-photons-low", withBolo(bolo, c.trainPhotonsLow), 0, 0, toRequest(c.train), {}});
  steps.push_back(
      {"train-photons-high", withBolo(bolo, c.trainPhotonsHigh), 0, 0, toRequest(c.train), {}});
  steps.push_back({"bestiter-pions",
                   withBolo(bolo, c.bestiterPions),
                   0,
                   0,
                   toRequest(c.bestiter),
                   {"train-pions"}});
  steps.push_back({"bestiter-photons",
                   withBolo(bolo, c.bestiterPhotons),
                   0,
                   0,
                   toRequest(c.bestiter),
                   {"train-photons-low", "train-photons-high"}});
  return steps;
}

std::vector<WorkflowStep> planScanWorkflow(const WorkflowConfig& c, const std::string& bolo) {
  std::vector<WorkflowStep> steps;
  auto plan = withBolo(bolo, c.scanPlan);
  plan.insert(plan.end(), {"--jobs", std::to_string(c.scanJobs)});
  steps.push_back({"plan", plan, 0, 0, toRequest(c.collect), {}});
  steps.push_back({"scan",
                   withBolo(bolo, c.scanRun),
                   c.scanJobs,
                   c.scanArrayLimit,
                   toRequest(c.scanJob),
                   {"plan"}});
  steps.push_back({"collect", withBolo(bolo, c.scanCollect), 0, 0, toRequest(c.collect), {"scan"}});
  steps.push_back(
      {"retrain", withBolo(bolo, c.scanRetrain), 0, 0, toRequest(c.retrain), {"collect"}});
  return steps;
}

nlohmann::json toJson(const WorkflowSummary& s) {
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& o : s.steps) {
    steps.push_back({{"name", o.name},
                     {"state", o.state},
                     {"jobs", o.jobs},
                     {"retries", o.retries},
                     {"tasks_done", o.tasksDone},
                     {"tasks_total", o.tasksTotal},
                     {"reason", o.reason}});
  }
  return {{"workflow", s.name},
          {"completed", s.completed},
          {"started", s.started},
          {"finished", s.finished},
          {"steps", steps}};
}

WorkflowSummary runWorkflow(JobService& service, const std::vector<WorkflowStep>& steps,
                            const WorkflowOptions& options) {
  std::map<std::string, StepState> states;
  for (const auto& step : steps) {
    if (states.count(step.name))
      throw InputError(fmt::format("workflow step '{}' appears twice", step.name));
    for (const auto& dep : step.after) {
      if (!states.count(dep))
        throw InputError(
            fmt::format("step {} waits for '{}', which is not an earlier step", step.name, dep));
    }
    StepState s;
    s.step = &step;
    JobRequest probe;
    probe.arraySize = step.arraySize;
    s.all = probe.taskIndices();
    states[step.name] = s;
  }
  WorkflowSummary summary;
  summary.name = options.name;
  summary.started = utcNow();
  const auto start = std::chrono::steady_clock::now();

  // Cancel the running jobs of every step that (transitively) waits for `name`.
  const auto cancelDependents = [&](const std::string& name) {
    std::set<std::string> affected = {name};
    for (const auto& step : steps) {
      for (const auto& dep : step.after) {
        if (affected.count(dep)) affected.insert(step.name);
      }
    }
    for (const auto& step : steps) {
      auto& s = states[step.name];
      if (step.name != name && affected.count(step.name) && !s.activeJob.empty())
        service.cancel(s.activeJob);
    }
  };

  for (;;) {
    // Submit what can be submitted: dependencies complete or running under an active job.
    for (const auto& step : steps) {
      auto& s = states[step.name];
      if (s.complete() || s.failed || !s.activeJob.empty() || !s.needsSubmit) continue;
      std::vector<std::string> dependsOn;
      bool ready = true;
      for (const auto& dep : step.after) {
        const auto& d = states[dep];
        if (d.failed) {
          s.failed = true;
          s.reason = fmt::format("not run: step {} failed", dep);
          break;
        }
        if (d.complete()) continue;
        if (d.activeJob.empty())
          ready = false;
        else
          dependsOn.push_back(d.activeJob);
      }
      if (s.failed || !ready) continue;
      SubmitRequest request;
      request.site = options.site;
      request.queue = options.queue;
      request.workflow = options.name;
      request.retryOf = s.jobs.empty() ? "" : s.jobs.back();
      request.dependsOn = dependsOn;
      request.job.name = step.name;
      request.job.command = step.command;
      request.job.resources = step.resources;
      request.job.arraySize = step.arraySize;
      request.job.arrayLimit = step.arrayLimit;
      if (step.arraySize > 0 && !s.done.empty()) {
        for (const int t : s.all) {
          if (!s.done.count(t)) request.job.arrayTasks.push_back(t);
        }
      }
      const auto record = service.submit(request);
      s.activeJob = record.id;
      s.jobs.push_back(record.id);
      s.needsSubmit = false;
    }
    // Follow the active jobs.
    for (const auto& step : steps) {
      auto& s = states[step.name];
      if (s.activeJob.empty()) continue;
      const JobRecord record = service.refresh(s.activeJob);
      if (!isFinal(record.state)) continue;
      for (const auto& t : record.tasks) {
        if (t.state == JobState::kCompleted) s.done.insert(t.index);
      }
      s.activeJob.clear();
      if (s.complete()) {
        log::info("workflow {}: step {} completed", options.name, step.name);
        continue;
      }
      s.needsSubmit = true;
      bool blocked = false;
      for (const auto& dep : step.after) blocked = blocked || !states[dep].complete();
      if (blocked) continue;  // cancelled because a dependency is being retried
      const std::string what =
          fmt::format("{} ({}{})", toString(record.state),
                      record.tasks.size() > 1
                          ? fmt::format("{} of {} tasks done, ", s.done.size(), s.all.size())
                          : "",
                      record.reason.empty() ? "no reason given" : record.reason);
      cancelDependents(step.name);
      if (s.retries < options.retries) {
        ++s.retries;
        log::warn("workflow {}: step {} ended {}; retry {} of {}", options.name, step.name, what,
                  s.retries, options.retries);
      } else {
        s.failed = true;
        s.needsSubmit = false;
        s.reason = what;
        log::warn("workflow {}: step {} failed for good: {}", options.name, step.name, what);
      }
    }
    bool finished = true;
    for (const auto& step : steps) {
      const auto& s = states[step.name];
      if (!s.complete() && !s.failed) finished = false;
    }
    if (finished) break;
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (options.timeoutSeconds > 0 && elapsed > options.timeoutSeconds) {
      throw RuntimeFailure(fmt::format(
          "workflow {} not finished after {:.0f} s; its jobs keep running", options.name, elapsed));
    }
    const auto until =
        std::chrono::steady_clock::now() + std::chrono::duration<double>(options.pollSeconds);
    while (std::chrono::steady_clock::now() < until) {
      if (stopRequested()) {
        throw Interrupted(
            stopExitCode(),
            fmt::format("stopped following workflow {}; its jobs keep running", options.name));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

  summary.completed = true;
  for (const auto& step : steps) {
    const auto& s = states[step.name];
    StepOutcome o;
    o.name = step.name;
    const bool notRun = s.jobs.empty() || s.reason.rfind("not run", 0) == 0;
    o.state = s.complete() ? "COMPLETED" : (notRun ? "NOT_RUN" : "FAILED");
    o.jobs = s.jobs;
    o.retries = s.retries;
    o.tasksDone = static_cast<int>(s.done.size());
    o.tasksTotal = static_cast<int>(s.all.size());
    o.reason = s.reason;
    if (!s.complete()) summary.completed = false;
    summary.steps.push_back(o);
  }
  summary.finished = utcNow();
  return summary;
}

}  // namespace bolo::batch
