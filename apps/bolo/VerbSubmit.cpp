// bolo submit: send any bolo verb to a batch site (`bolo submit --site hpc --gpus 1 -- train
// pions`), or run a ready workflow (`bolo submit --workflow calo --site hpc`). The broker
// picks the queue; the job record goes to <workdir>/jobs/<id>.json.
// Library entry point: batch::submitJobs (batch/JobCommands.hpp).

#include <cstdio>

#include "apps/bolo/SharedOptions.hpp"
#include "apps/bolo/Verbs.hpp"
#include "batch/JobCommands.hpp"

namespace bolo::app {

namespace {

void printOutcome(const batch::SubmissionOutcome& outcome, bool json) {
  if (outcome.workflow) {
    if (json) printJson(batch::toJson(*outcome.workflow));
    batch::requireCompleted(*outcome.workflow);
  } else if (json) {
    printJson(batch::toJson(*outcome.job));
  } else {
    std::fprintf(stdout, "%s\n", outcome.job->id.c_str());
  }
}

}  // namespace

void setupSubmit(CLI::App& app) {
  auto o = std::make_shared<VerbOptions<batch::Submission>>();
  auto& r = o->request;
  auto* verb =
      app.add_subcommand("submit", "Submit a bolo verb (after --) or a workflow to a batch site");
  addWorkDirOption(verb, r.workdir);
  verb->add_option("--catalogue", r.catalogue,
                   "Site catalogue (default: <workdir>/configs/sites.json, else built in)");
  verb->add_option("--site", r.site, "Site from the catalogue (default: its default_site)");
  verb->add_option("--queue", r.queue, "Queue of the site (default: chosen by the broker)");
  verb->add_option("--gpus", r.gpus, "GPUs the job needs (0: a CPU job, kept off GPU queues)")
      ->check(nonNegativeInteger<int>());
  verb->add_option("--gpu-model", r.gpuModel, "Required GPU model, e.g. A100");
  verb->add_option("--gpu-memory", r.gpuMemory, "Least memory per GPU in GB")
      ->check(nonNegativeNumber());
  verb->add_option("--time", r.time, "Wall-clock limit: minutes, 90m, 2h or H:MM:SS")
      ->capture_default_str();
  verb->add_option("--mem", r.mem, "Memory: MB, 2000M or 16G")->capture_default_str();
  verb->add_option("--cpus", r.cpus, "CPU cores")
      ->check(positiveInteger<int>())
      ->capture_default_str();
  verb->add_option("--name", r.name, "Job name (sanitised for the batch system)");
  verb->add_option("--array", r.array,
                   "Run N tasks; '{task}' in the arguments becomes the task index")
      ->check(nonNegativeInteger<int>());
  verb->add_option("--array-limit", r.arrayLimit,
                   "Tasks running at once (default: the queue's array_limit)")
      ->check(nonNegativeInteger<int>());
  verb->add_option("--after", r.after, "Job ids that must complete successfully first");
  verb->add_option("--input", r.inputs, "Input file to transfer (HTCondor, grid)");
  verb->add_option("--output", r.outputs, "Output file to transfer back (HTCondor, grid)");
  verb->add_option("--max-requeues", r.maxRequeues, "Requeues after exit 75 (state saved)")
      ->check(nonNegativeInteger<int>())
      ->capture_default_str();
  verb->add_option("--checkpoint-warning", r.checkpointWarning,
                   "Seconds before the time limit to send SIGUSR1 (0: none)")
      ->check(nonNegativeInteger<int>())
      ->capture_default_str();
  verb->add_option("--workflow", r.workflow, "Run a ready workflow instead of one verb")
      ->check(CLI::IsMember({"calo", "scan"}));
  verb->add_option("--workflow-config", r.workflowConfig,
                   "Workflow config (default: <workdir>/configs/workflows.json)");
  verb->add_option("--retries", r.retries,
                   "Workflow: resubmissions of a failed step (default from the config)")
      ->check(nonNegativeInteger<int>());
  verb->add_option("--poll", r.poll, "Workflow: seconds between state checks")
      ->check(positiveNumber())
      ->capture_default_str();
  addJsonFlag(verb, o->json, "Print the job record (or workflow summary) as JSON on stdout");
  verb->add_option("command", r.command, "The bolo verb and its arguments, after --");
  CLI::App* parent = &app;
  verb->callback([o, parent] {
    std::vector<std::string> verbs;
    for (const auto* sub : parent->get_subcommands([](const CLI::App*) { return true; }))
      verbs.push_back(sub->get_name());
    printOutcome(batch::submitJobs(o->request, verbs), o->json);
  });
}

}  // namespace bolo::app
