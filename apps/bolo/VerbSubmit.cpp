// bolo submit: send any bolo verb to a batch site (`bolo submit --site hpc --gpus 1 -- train
// pions`), or run a ready workflow (`bolo submit --workflow calo --site hpc`). The broker
// picks the queue; the job record goes to <workdir>/jobs/<id>.json.

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <filesystem>

#include "apps/bolo/SharedOptions.hpp"
#include "apps/bolo/Verbs.hpp"
#include "batch/JobService.hpp"
#include "batch/Workflow.hpp"
#include "common/AtomicFile.hpp"
#include "common/ConfigReader.hpp"
#include "common/Error.hpp"
#include "common/Log.hpp"
#include "common/Manifest.hpp"
#include "common/WorkDir.hpp"

namespace bolo::app {

namespace fs = std::filesystem;

namespace {

struct SubmitOptions {
  std::string workdir;
  std::string catalogue;
  std::string site;
  std::string queue;
  std::string name;
  std::string time = "60";
  std::string mem = "2000M";
  int gpus = 0;
  int cpus = 1;
  std::string gpuModel;
  double gpuMemory = 0;
  int array = 0;
  int arrayLimit = 0;
  int maxRequeues = 3;
  int checkpointWarning = 60;
  std::vector<std::string> after;
  std::vector<std::string> inputs;
  std::vector<std::string> outputs;
  std::string workflow;
  std::string workflowConfig;
  int retries = -1;
  double poll = 10;
  bool json = false;
  std::vector<std::string> command;
};

/// The program the jobs run: the site's bolo_command, else this very executable.
std::string boloForSite(const batch::SiteSpec& site) {
  if (!site.boloCommand.empty()) return site.boloCommand;
  std::error_code ec;
  const auto self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("bolo") : self.string();
}

batch::WorkflowConfig loadWorkflowConfig(const std::string& option, const WorkDir& dir) {
  if (!option.empty()) return batch::workflowConfigFromJson(readJsonFile(option));
  const fs::path path = dir.configs() / "workflows.json";
  std::error_code ec;
  if (fs::exists(path, ec)) return batch::workflowConfigFromJson(readJsonFile(path.string()));
  return {};
}

void runWorkflowForm(const SubmitOptions& o, batch::JobService& service, const WorkDir& dir) {
  const auto config = loadWorkflowConfig(o.workflowConfig, dir);
  const auto& site = service.catalogue().site(o.site);
  const std::string bolo = boloForSite(site);
  const auto steps = o.workflow == "calo" ? batch::planCaloWorkflow(config, bolo)
                                          : batch::planScanWorkflow(config, bolo);
  batch::WorkflowOptions options;
  options.name = o.workflow;
  options.site = site.name;
  options.queue = o.queue;
  options.retries = o.retries >= 0 ? o.retries : config.retries;
  options.pollSeconds = o.poll;
  const auto summary = batch::runWorkflow(service, steps, options);
  const fs::path outDir =
      dir.output() / "workflows" / fmt::format("{}-{}", o.workflow, service.store().newId());
  writeResolvedConfig(outDir, batch::toJson(config));
  writeFileAtomically(outDir / "summary.json", batch::toJson(summary).dump(2) + "\n");
  for (const auto& step : summary.steps) {
    log::info("  {:<20} {:<10} tasks {}/{} retries {} jobs {}{}", step.name, step.state,
              step.tasksDone, step.tasksTotal, step.retries, fmt::join(step.jobs, ","),
              step.reason.empty() ? "" : "  " + step.reason);
  }
  log::info("workflow {} {}; summary in {}", o.workflow,
            summary.completed ? "completed" : "did not complete",
            (outDir / "summary.json").string());
  if (o.json) printJson(batch::toJson(summary));
  if (!summary.completed)
    throw RuntimeFailure(fmt::format("workflow {} did not complete (see the summary)", o.workflow));
}

void runSubmit(const SubmitOptions& o, const std::vector<std::string>& verbs) {
  const WorkDir dir = resolveWorkDir(o.workdir);
  batch::SystemCommandRunner runner;
  batch::JobService service(batch::loadSiteCatalogue(o.catalogue, dir.configs()), dir.root, runner);
  if (!o.workflow.empty()) {
    if (!o.command.empty())
      throw InputError("give either --workflow or a command after --, not both");
    runWorkflowForm(o, service, dir);
    return;
  }
  if (o.command.empty())
    throw InputError("nothing to submit: give a bolo verb after -- (or --workflow calo|scan)");
  if (std::find(verbs.begin(), verbs.end(), o.command.front()) == verbs.end()) {
    throw InputError(fmt::format("unknown verb '{}' to submit: valid verbs are {}",
                                 o.command.front(), fmt::join(verbs, ", ")));
  }
  const auto& site = service.catalogue().site(o.site);
  batch::SubmitRequest request;
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
  job.resources.timeMinutes = batch::parseMinutes(o.time);
  job.resources.memoryMb = batch::parseMegabytes(o.mem);
  job.resources.cpus = o.cpus;
  job.arraySize = o.array;
  job.arrayLimit = o.arrayLimit;
  job.inputFiles = o.inputs;
  job.outputFiles = o.outputs;
  job.maxRequeues = o.maxRequeues;
  job.checkpointWarningSeconds = o.checkpointWarning;
  const auto record = service.submit(request);
  if (o.json) {
    printJson(batch::toJson(record));
  } else {
    std::fprintf(stdout, "%s\n", record.id.c_str());
  }
}

}  // namespace

void setupSubmit(CLI::App& app) {
  auto o = std::make_shared<SubmitOptions>();
  auto* verb =
      app.add_subcommand("submit", "Submit a bolo verb (after --) or a workflow to a batch site");
  addWorkDirOption(verb, o->workdir);
  verb->add_option("--catalogue", o->catalogue,
                   "Site catalogue (default: <workdir>/configs/sites.json, else built in)");
  verb->add_option("--site", o->site, "Site from the catalogue (default: its default_site)");
  verb->add_option("--queue", o->queue, "Queue of the site (default: chosen by the broker)");
  verb->add_option("--gpus", o->gpus, "GPUs the job needs (0: a CPU job, kept off GPU queues)")
      ->check(CLI::NonNegativeNumber);
  verb->add_option("--gpu-model", o->gpuModel, "Required GPU model, e.g. A100");
  verb->add_option("--gpu-memory", o->gpuMemory, "Least memory per GPU in GB")
      ->check(CLI::NonNegativeNumber);
  verb->add_option("--time", o->time, "Wall-clock limit: minutes, 90m, 2h or H:MM:SS")
      ->capture_default_str();
  verb->add_option("--mem", o->mem, "Memory: MB, 2000M or 16G")->capture_default_str();
  verb->add_option("--cpus", o->cpus, "CPU cores")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  verb->add_option("--name", o->name, "Job name (sanitised for the batch system)");
  verb->add_option("--array", o->array,
                   "Run N tasks; '{task}' in the arguments becomes the task index")
      ->check(CLI::NonNegativeNumber);
  verb->add_option("--array-limit", o->arrayLimit,
                   "Tasks running at once (default: the queue's array_limit)")
      ->check(CLI::NonNegativeNumber);
  verb->add_option("--after", o->after, "Job ids that must complete successfully first");
  verb->add_option("--input", o->inputs, "Input file to transfer (HTCondor, grid)");
  verb->add_option("--output", o->outputs, "Output file to transfer back (HTCondor, grid)");
  verb->add_option("--max-requeues", o->maxRequeues, "Requeues after exit 75 (state saved)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  verb->add_option("--checkpoint-warning", o->checkpointWarning,
                   "Seconds before the time limit to send SIGUSR1 (0: none)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  verb->add_option("--workflow", o->workflow, "Run a ready workflow instead of one verb")
      ->check(CLI::IsMember({"calo", "scan"}));
  verb->add_option("--workflow-config", o->workflowConfig,
                   "Workflow config (default: <workdir>/configs/workflows.json)");
  verb->add_option("--retries", o->retries,
                   "Workflow: resubmissions of a failed step (default from the config)")
      ->check(CLI::NonNegativeNumber);
  verb->add_option("--poll", o->poll, "Workflow: seconds between state checks")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  verb->add_flag("--json", o->json, "Print the job record (or workflow summary) as JSON on stdout");
  verb->add_option("command", o->command, "The bolo verb and its arguments, after --");
  CLI::App* parent = &app;
  verb->callback([o, parent] {
    std::vector<std::string> verbs;
    for (const auto* sub : parent->get_subcommands([](const CLI::App*) { return true; }))
      verbs.push_back(sub->get_name());
    runSubmit(*o, verbs);
  });
}

}  // namespace bolo::app
