// bolo status: the state of submitted jobs, read back from the batch systems and kept in
// <workdir>/jobs/ (so it works after restarts and after SLURM has forgotten a job).

#include <fmt/format.h>

#include <map>

#include "apps/bolo/SharedOptions.hpp"
#include "apps/bolo/Verbs.hpp"
#include "batch/JobService.hpp"
#include "common/Error.hpp"
#include "common/Log.hpp"
#include "common/WorkDir.hpp"

namespace bolo::app {

namespace {

struct StatusOptions {
  std::string workdir;
  std::string catalogue;
  std::vector<std::string> ids;
  std::vector<std::string> cancel;
  bool json = false;
};

std::string taskCounts(const batch::JobRecord& r) {
  if (r.tasks.size() <= 1) return "";
  std::map<std::string, int> counts;
  for (const auto& t : r.tasks) ++counts[batch::toString(t.state)];
  std::string text;
  for (const auto& [state, n] : counts)
    text += fmt::format("{}{} {}", text.empty() ? "" : ", ", n, state);
  return text;
}

void runStatus(const StatusOptions& o) {
  const WorkDir dir = resolveWorkDir(o.workdir);
  batch::SystemCommandRunner runner;
  batch::JobService service(batch::loadSiteCatalogue(o.catalogue, dir.configs()), dir.root, runner);
  for (const auto& id : o.cancel) {
    service.cancel(id);
    log::info("job {}: cancel requested", id);
  }
  std::vector<batch::JobRecord> records;
  if (o.ids.empty()) {
    records = service.refreshAll();
  } else {
    for (const auto& id : o.ids) records.push_back(service.refresh(id));
  }
  if (o.json) {
    nlohmann::json all = nlohmann::json::array();
    for (const auto& r : records) all.push_back(batch::toJson(r));
    printJson(all);
    return;
  }
  std::string table = fmt::format("{:<21} {:<20} {:<16} {:<10} {:<13} {:>4}  {}\n", "ID", "NAME",
                                  "SITE/QUEUE", "BATCH ID", "STATE", "EXIT", "DETAIL");
  for (const auto& r : records) {
    std::string detail = taskCounts(r);
    if (!r.reason.empty()) detail += (detail.empty() ? "" : "; ") + r.reason;
    table += fmt::format("{:<21} {:<20} {:<16} {:<10} {:<13} {:>4}  {}\n", r.id,
                         r.name.substr(0, 20), (r.site + "/" + r.queue).substr(0, 16),
                         r.backendId.substr(0, 10), batch::toString(r.state), r.exitCode, detail);
  }
  std::fwrite(table.data(), 1, table.size(), stdout);
}

}  // namespace

void setupStatus(CLI::App& app) {
  auto o = std::make_shared<StatusOptions>();
  auto* verb =
      app.add_subcommand("status", "Show the state of submitted jobs (all, or the ids given)");
  addWorkDirOption(verb, o->workdir);
  verb->add_option("--catalogue", o->catalogue,
                   "Site catalogue (default: <workdir>/configs/sites.json)");
  verb->add_option("--cancel", o->cancel, "Cancel these jobs first");
  verb->add_flag("--json", o->json, "Print the job records as JSON on stdout");
  verb->add_option("ids", o->ids, "Job ids (default: every job of the work directory)");
  verb->callback([o] { runStatus(*o); });
}

}  // namespace bolo::app
