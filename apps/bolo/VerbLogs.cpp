// bolo logs: print what a job wrote (all its log files, or one array task's).
// Library entry point: batch::jobLogFiles (batch/JobCommands.hpp).

#include <cstdio>

#include "apps/bolo/SharedOptions.hpp"
#include "apps/bolo/Verbs.hpp"
#include "batch/JobCommands.hpp"
#include "common/AtomicFile.hpp"

namespace bolo::app {

void setupLogs(CLI::App& app) {
  struct Options {
    batch::JobQuery query;
    std::string id;
    int task = -1;
    int tail = 0;
    bool list = false;
  };
  auto o = std::make_shared<Options>();
  auto* verb = app.add_subcommand("logs", "Print the log files of a job");
  addWorkDirOption(verb, o->query.workdir);
  verb->add_option("--catalogue", o->query.catalogue,
                   "Site catalogue (default: <workdir>/configs/sites.json)");
  verb->add_option("--task", o->task, "Only this array task")->check(nonNegativeInteger<int>());
  verb->add_option("--tail", o->tail, "Only the last N lines of each file")
      ->check(nonNegativeInteger<int>());
  verb->add_flag("--list", o->list, "Print the file names instead of their contents");
  verb->add_option("id", o->id, "Job id")->required();
  verb->callback([o] {
    o->query.ids = {o->id};
    const auto files = batch::jobLogFiles(o->query, o->task);
    for (const auto& file : files) {
      if (o->list) {
        std::fprintf(stdout, "%s\n", file.c_str());
        continue;
      }
      if (files.size() > 1) std::fprintf(stdout, "==> %s <==\n", file.c_str());
      const std::string text = batch::lastLines(readFile(file), o->tail);
      std::fwrite(text.data(), 1, text.size(), stdout);
    }
  });
}

}  // namespace bolo::app
