// bolo logs: print what a job wrote (all its log files, or one array task's).

#include <fmt/format.h>

#include <deque>
#include <fstream>

#include "apps/bolo/SharedOptions.hpp"
#include "apps/bolo/Verbs.hpp"
#include "batch/JobService.hpp"
#include "common/AtomicFile.hpp"
#include "common/Error.hpp"
#include "common/WorkDir.hpp"

namespace bolo::app {

namespace fs = std::filesystem;

namespace {

struct LogsOptions {
  std::string workdir;
  std::string catalogue;
  std::string id;
  int task = -1;
  int tail = 0;
  bool list = false;
};

void runLogs(const LogsOptions& o) {
  const WorkDir dir = resolveWorkDir(o.workdir);
  batch::SystemCommandRunner runner;
  batch::JobService service(batch::loadSiteCatalogue(o.catalogue, dir.configs()), dir.root, runner);
  auto files = service.logFiles(o.id);
  if (o.task >= 0) {
    const std::string suffix = fmt::format("_{}.log", o.task);
    std::erase_if(files, [&](const fs::path& f) {
      const auto name = f.filename().string();
      return name.size() < suffix.size() ||
             name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0;
    });
  }
  if (files.empty()) {
    throw InputError(fmt::format("job {} has no log files yet{}", o.id,
                                 o.task >= 0 ? fmt::format(" for task {}", o.task) : ""));
  }
  for (const auto& file : files) {
    if (o.list) {
      std::fprintf(stdout, "%s\n", file.c_str());
      continue;
    }
    if (files.size() > 1) std::fprintf(stdout, "==> %s <==\n", file.c_str());
    std::string text = readFile(file);
    if (o.tail > 0) {
      std::size_t pos = text.size();
      for (int n = 0; n <= o.tail && pos > 0; ++n) {
        pos = text.rfind('\n', pos - 1);
        if (pos == std::string::npos) {
          pos = 0;
          break;
        }
      }
      text = text.substr(pos == 0 ? 0 : pos + 1);
    }
    std::fwrite(text.data(), 1, text.size(), stdout);
  }
}

}  // namespace

void setupLogs(CLI::App& app) {
  auto o = std::make_shared<LogsOptions>();
  auto* verb = app.add_subcommand("logs", "Print the log files of a job");
  addWorkDirOption(verb, o->workdir);
  verb->add_option("--catalogue", o->catalogue,
                   "Site catalogue (default: <workdir>/configs/sites.json)");
  verb->add_option("--task", o->task, "Only this array task")->check(CLI::NonNegativeNumber);
  verb->add_option("--tail", o->tail, "Only the last N lines of each file")
      ->check(CLI::NonNegativeNumber);
  verb->add_flag("--list", o->list, "Print the file names instead of their contents");
  verb->add_option("id", o->id, "Job id")->required();
  verb->callback([o] { runLogs(*o); });
}

}  // namespace bolo::app
