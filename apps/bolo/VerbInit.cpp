// bolo init: prepare the working directory and write the default configs. Safe to repeat:
// existing files are never overwritten, so users' edits survive.

#include <fmt/format.h>

#include <filesystem>

#include "apps/bolo/DefaultConfigs.hpp"
#include "apps/bolo/SharedOptions.hpp"
#include "apps/bolo/Verbs.hpp"
#include "common/AtomicFile.hpp"
#include "common/Error.hpp"
#include "common/Log.hpp"
#include "common/WorkDir.hpp"

namespace bolo::app {

namespace fs = std::filesystem;

namespace {

struct InitOptions {
  std::string workdir;
  bool json = false;
};

void runInit(const InitOptions& options) {
  const WorkDir dir = resolveWorkDir(options.workdir);
  for (const auto& sub : {dir.configs(), dir.data(), dir.checkpoints(), dir.logs(), dir.output()}) {
    std::error_code ec;
    fs::create_directories(sub, ec);
    if (ec)
      throw EnvironmentError(
          fmt::format("{}: cannot create directory: {}", sub.string(), ec.message()));
  }
  nlohmann::json written = nlohmann::json::array(), kept = nlohmann::json::array();
  for (const auto& config : defaultConfigs()) {
    const fs::path path = dir.configs() / config.fileName;
    if (fs::exists(path)) {
      kept.push_back(path.string());
      continue;
    }
    writeFileAtomically(path, config.content.dump(2) + "\n");
    written.push_back(path.string());
  }
  log::info("work directory ready: {} ({} config(s) written, {} kept as they were)",
            fs::absolute(dir.root).string(), written.size(), kept.size());
  if (options.json) {
    printJson({{"workdir", fs::absolute(dir.root).string()},
               {"configs_written", written},
               {"configs_kept", kept}});
  }
}

}  // namespace

void setupInit(CLI::App& app) {
  auto options = std::make_shared<InitOptions>();
  auto* verb = app.add_subcommand(
      "init", "Prepare the output, checkpoint and log directories and default configs");
  addWorkDirOption(verb, options->workdir);
  verb->add_flag("--json", options->json, "Print what was done as JSON on stdout");
  verb->callback([options] { runInit(*options); });
}

}  // namespace bolo::app
