// bolo wait: block until jobs end. Exit 0 when all completed, 1 when any did not (or the
// timeout passed), 130 on Ctrl-C (the jobs keep running).
// Library entry point: batch::waitForJobs (batch/JobCommands.hpp).

#include "apps/bolo/SharedOptions.hpp"
#include "apps/bolo/Verbs.hpp"
#include "batch/JobCommands.hpp"

namespace bolo::app {

void setupWait(CLI::App& app) {
  struct Options {
    batch::JobQuery query;
    double timeout = 0;
    double poll = 5;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  auto* verb = app.add_subcommand("wait", "Wait until jobs end; exit 0 only if all completed");
  addWorkDirOption(verb, o->query.workdir);
  verb->add_option("--catalogue", o->query.catalogue,
                   "Site catalogue (default: <workdir>/configs/sites.json)");
  verb->add_option("--timeout", o->timeout, "Give up after this many seconds (0: never)")
      ->check(nonNegativeNumber());
  verb->add_option("--poll", o->poll, "Seconds between state checks")
      ->check(positiveNumber())
      ->capture_default_str();
  addJsonFlag(verb, o->json, "Print the final job records as JSON on stdout");
  verb->add_option("ids", o->query.ids, "Job ids")->required();
  verb->callback([o] {
    const auto outcome = batch::waitForJobs(o->query, o->timeout, o->poll);
    if (o->json) {
      nlohmann::json all = nlohmann::json::array();
      for (const auto& r : outcome.records) all.push_back(batch::toJson(r));
      printJson(all);
    }
    batch::requireCompleted(outcome);
  });
}

}  // namespace bolo::app
