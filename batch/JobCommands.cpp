#include "batch/JobCommands.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <chrono>
#include <map>

#include "batch/CommandRunner.hpp"
#include "batch/JobService.hpp"
#include "common/AtomicFile.hpp"
#include "common/Error.hpp"
#include "common/Log.hpp"
#include "common/Manifest.hpp"
#include "common/WorkDir.hpp"

namespace bolo::batch {

namespace fs = std::filesystem;

namespace {

/// The job service of a work directory, with the real batch commands.
struct WorkDirJobs {
  WorkDirJobs(const std::string& workdir, const std::string& catalogue)
      : dir(resolveWorkDir(workdir)),
        service(loadSiteCatalogue(catalogue, dir.configs()), dir.root, runner) {}

  WorkDir dir;
  SystemCommandRunner runner;
  JobService service;
};

/// The program the jobs run: the site's bolo_command, else this very executable.
std::string boloForSite(const SiteSpec& site) {
  if (!site.boloCommand.empty()) return site.boloCommand;
  std::error_code ec;
  const auto self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("bolo") : self.string();
}

WorkflowSummary runWorkflowForm(const Submission& o, JobService& service, const WorkDir& dir) {
  const auto config = loadWorkflowConfig(o.workflowConfig, dir);
  const auto& site = service.catalogue().site(o.site);
  const std::string bolo = boloForSite(site);
  const auto steps =
      o.workflow == "calo" ? planCaloWorkflow(config, bolo) : planScanWorkflow(config, bolo);
  WorkflowOptions options;
  options.name = o.workflow;
  options.site = site.name;
  options.queue = o.queue;
  options.retries = o.retries >= 0 ? o.retries : config.retries;
  options.pollSeconds = o.poll;
  const auto summary = runWorkflow(service, steps, options);
  const fs::path outDir =
      dir.output() / "workflows" / fmt::format("{}-{}", o.workflow, service.store().newId());
  writeResolvedConfig(outDir, toJson(config));
  writeFileAtomically(outDir / "summary.json", toJson(summary).dump(2) + "\n");
  for (const auto& step : summary.steps) {
    log::info("  {:<20} {:<10} tasks {}/{} retries {} jobs {}{}", step.name, step.state,
              step.tasksDone, step.tasksTotal, step.retries, fmt::join(step.jobs, ","),
              step.reason.empty() ? "" : "  " + step.reason);
  }
  log::info("workflow {} {}; summary in {}", o.workflow,
            summary.completed ? "completed" : "did not complete",
            (outDir / "summary.json").string());
  return summary;
}

std::string taskCounts(const JobRecord& r) {
  if (r.tasks.size() <= 1) return "";
  std::map<std::string, int> counts;
  for (const auto& t : r.tasks) ++counts[toString(t.state)];
  std::string text;
  for (const auto& [state, n] : counts)
    text += fmt::format("{}{} {}", text.empty() ? "" : ", ", n, state);
  return text;
}

}  // namespace

SubmissionOutcome submitJobs(const Submission& o, const std::vector<std::string>& verbs) {
  WorkDirJobs jobs(o.workdir, o.catalogue);
  auto& service = jobs.service;
  if (!o.workflow.empty()) {
    if (!o.command.empty())
      throw InputError("give either --workflow or a command after --, not both");
    return {std::nullopt, runWorkflowForm(o, service, jobs.dir)};
  }
  if (o.command.empty())
    throw InputError("nothing to submit: give a bolo verb after -- (or --workflow calo|scan)");
  if (std::find(verbs.begin(), verbs.end(), o.command.front()) == verbs.end()) {
    throw InputError(fmt::format("unknown verb '{}' to submit: valid verbs are {}",
                                 o.command.front(), fmt::join(verbs, ", ")));
  }
  const auto& site = service.catalogue().site(o.site);
  SubmitRequest request;
  request.site = site.name;
  request.queue = o.queue;
  request.dependsOn = o.after;
  auto& job = request.job;
  job.name =
      o.name.empty()
          ? fmt::format("{}", fmt::join(o.command.begin(),
                                        o.command.begin() +
                                            std::min<std::ptrdiff_t>(
                                                2, static_cast<std::ptrdiff_t>(o.command.size())),
                                        "-"))
          : o.name;
  job.command = {boloForSite(site)};
  job.command.insert(job.command.end(), o.command.begin(), o.command.end());
  job.resources.gpus = o.gpus;
  job.resources.gpuModel = o.gpuModel;
  job.resources.gpuMemoryGb = o.gpuMemory;
  job.resources.timeMinutes = parseMinutes(o.time);
  job.resources.memoryMb = parseMegabytes(o.mem);
  job.resources.cpus = o.cpus;
  job.arraySize = o.array;
  job.arrayLimit = o.arrayLimit;
  job.inputFiles = o.inputs;
  job.outputFiles = o.outputs;
  job.maxRequeues = o.maxRequeues;
  job.checkpointWarningSeconds = o.checkpointWarning;
  return {service.submit(request), std::nullopt};
}

void requireCompleted(const WorkflowSummary& summary) {
  if (!summary.completed)
    throw RuntimeFailure(
        fmt::format("workflow {} did not complete (see the summary)", summary.name));
}

std::vector<JobRecord> jobStatus(const JobQuery& query, const std::vector<std::string>& cancel) {
  WorkDirJobs jobs(query.workdir, query.catalogue);
  for (const auto& id : cancel) {
    jobs.service.cancel(id);
    log::info("job {}: cancel requested", id);
  }
  if (query.ids.empty()) return jobs.service.refreshAll();
  std::vector<JobRecord> records;
  for (const auto& id : query.ids) records.push_back(jobs.service.refresh(id));
  return records;
}

std::string formatJobTable(const std::vector<JobRecord>& records) {
  std::string table = fmt::format("{:<21} {:<20} {:<16} {:<10} {:<13} {:>4}  {}\n", "ID", "NAME",
                                  "SITE/QUEUE", "BATCH ID", "STATE", "EXIT", "DETAIL");
  for (const auto& r : records) {
    std::string detail = taskCounts(r);
    if (!r.reason.empty()) detail += (detail.empty() ? "" : "; ") + r.reason;
    table += fmt::format("{:<21} {:<20} {:<16} {:<10} {:<13} {:>4}  {}\n", r.id,
                         r.name.substr(0, 20), (r.site + "/" + r.queue).substr(0, 16),
                         r.backendId.substr(0, 10), toString(r.state), r.exitCode, detail);
  }
  return table;
}

WaitOutcome waitForJobs(const JobQuery& query, double timeoutSeconds, double pollSeconds) {
  WorkDirJobs jobs(query.workdir, query.catalogue);
  const auto start = std::chrono::steady_clock::now();
  WaitOutcome outcome;
  for (const auto& id : query.ids) {
    double left = 0;
    if (timeoutSeconds > 0) {
      left = timeoutSeconds -
             std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (left <= 0) left = 0.001;
    }
    const auto r = jobs.service.wait(id, left, pollSeconds);
    outcome.records.push_back(r);
    log::info("job {}: {}{}", id, toString(r.state), r.reason.empty() ? "" : " (" + r.reason + ")");
    if (!isFinal(r.state)) {
      outcome.problems.push_back(
          fmt::format("{} still {} after {} s", id, toString(r.state), timeoutSeconds));
    } else if (r.state != JobState::kCompleted) {
      outcome.problems.push_back(
          fmt::format("{} ended {} (exit {})", id, toString(r.state), r.exitCode));
    }
  }
  return outcome;
}

void requireCompleted(const WaitOutcome& outcome) {
  if (!outcome.problems.empty())
    throw RuntimeFailure(fmt::format("{}", fmt::join(outcome.problems, "; ")));
}

std::vector<fs::path> jobLogFiles(const JobQuery& query, int task) {
  WorkDirJobs jobs(query.workdir, query.catalogue);
  const std::string& id = query.ids.at(0);
  auto files = jobs.service.logFiles(id);
  if (task >= 0) {
    const std::string suffix = fmt::format("_{}.log", task);
    std::erase_if(files, [&](const fs::path& f) {
      const auto name = f.filename().string();
      return name.size() < suffix.size() ||
             name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0;
    });
  }
  if (files.empty()) {
    throw InputError(fmt::format("job {} has no log files yet{}", id,
                                 task >= 0 ? fmt::format(" for task {}", task) : ""));
  }
  return files;
}

std::string lastLines(const std::string& text, int lines) {
  if (lines <= 0) return text;
  std::size_t pos = text.size();
  for (int n = 0; n <= lines && pos > 0; ++n) {
    pos = text.rfind('\n', pos - 1);
    if (pos == std::string::npos) {
      pos = 0;
      break;
    }
  }
  return text.substr(pos == 0 ? 0 : pos + 1);
}

}  // namespace bolo::batch
