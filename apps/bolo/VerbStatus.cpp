// bolo status: the state of submitted jobs, read back from the batch systems and kept in
// <workdir>/jobs/ (so it works after restarts and after SLURM has forgotten a job).
// Library entry point: batch::jobStatus (batch/JobCommands.hpp).

#include <cstdio>

#include "apps/bolo/SharedOptions.hpp"
#include "apps/bolo/Verbs.hpp"
#include "batch/JobCommands.hpp"

namespace bolo::app {

void setupStatus(CLI::App& app) {
  struct Options {
    batch::JobQuery query;
    std::vector<std::string> cancel;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  auto* verb =
      app.add_subcommand("status", "Show the state of submitted jobs (all, or the ids given)");
  addWorkDirOption(verb, o->query.workdir);
  verb->add_option("--catalogue", o->query.catalogue,
                   "Site catalogue (default: <workdir>/configs/sites.json)");
  verb->add_option("--cancel", o->cancel, "Cancel these jobs first");
  addJsonFlag(verb, o->json, "Print the job records as JSON on stdout");
  verb->add_option("ids", o->query.ids, "Job ids (default: every job of the work directory)");
  verb->callback([o] {
    const auto records = batch::jobStatus(o->query, o->cancel);
    if (o->json) {
      nlohmann::json all = nlohmann::json::array();
      for (const auto& r : records) all.push_back(batch::toJson(r));
      printJson(all);
      return;
    }
    const std::string table = batch::formatJobTable(records);
    std::fwrite(table.data(), 1, table.size(), stdout);
  });
}

}  // namespace bolo::app
