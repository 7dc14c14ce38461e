// bolo wait: block until jobs end. Exit 0 when all completed, 1 when any did not (or the
// timeout passed), 130 on Ctrl-C (the jobs keep running).

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "apps/bolo/SharedOptions.hpp"
#include "apps/bolo/Verbs.hpp"
#include "batch/JobService.hpp"
#include "common/Error.hpp"
#include "common/Log.hpp"
#include "common/WorkDir.hpp"

namespace bolo::app {

namespace {

struct WaitOptions {
  std::string workdir;
  std::string catalogue;
  std::vector<std::string> ids;
  double timeout = 0;
  double poll = 5;
  bool json = false;
};

void runWait(const WaitOptions& o) {
  const WorkDir dir = resolveWorkDir(o.workdir);
  batch::SystemCommandRunner runner;
  batch::JobService service(batch::loadSiteCatalogue(o.catalogue, dir.configs()), dir.root, runner);
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::string> problems;
  nlohmann::json all = nlohmann::json::array();
  for (const auto& id : o.ids) {
    double left = 0;
    if (o.timeout > 0) {
      left = o.timeout -
             std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (left <= 0) left = 0.001;
    }
    const auto r = service.wait(id, left, o.poll);
    all.push_back(batch::toJson(r));
    log::info("job {}: {}{}", id, batch::toString(r.state),
              r.reason.empty() ? "" : " (" + r.reason + ")");
    if (!batch::isFinal(r.state)) {
      problems.push_back(
          fmt::format("{} still {} after {} s", id, batch::toString(r.state), o.timeout));
    } else if (r.state != batch::JobState::kCompleted) {
      problems.push_back(
          fmt::format("{} ended {} (exit {})", id, batch::toString(r.state), r.exitCode));
    }
  }
  if (o.json) printJson(all);
  if (!problems.empty()) throw RuntimeFailure(fmt::format("{}", fmt::join(problems, "; ")));
}

}  // namespace

void setupWait(CLI::App& app) {
  auto o = std::make_shared<WaitOptions>();
  auto* verb = app.add_subcommand("wait", "Wait until jobs end; exit 0 only if all completed");
  addWorkDirOption(verb, o->workdir);
  verb->add_option("--catalogue", o->catalogue,
                   "Site catalogue (default: <workdir>/configs/sites.json)");
  verb->add_option("--timeout", o->timeout, "Give up after this many seconds (0: never)")
      ->check(CLI::NonNegativeNumber);
  verb->add_option("--poll", o->poll, "Seconds between state checks")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  verb->add_flag("--json", o->json, "Print the final job records as JSON on stdout");
  verb->add_option("ids", o->ids, "Job ids")->required();
  verb->callback([o] { runWait(*o); });
}

}  // namespace bolo::app
