// bolo init: prepare the working directory and write the default configs. Safe to repeat:
// existing files are never overwritten, so users' edits survive.
// Library entry point: initWorkDir (common/WorkDir.hpp), with the configs of DefaultConfigs.cpp.

#include <utility>
#include <vector>

#include "apps/bolo/DefaultConfigs.hpp"
#include "apps/bolo/SharedOptions.hpp"
#include "apps/bolo/Verbs.hpp"
#include "common/WorkDir.hpp"

namespace bolo::app {

namespace {

nlohmann::json initWithDefaultConfigs(const std::string& workdir) {
  std::vector<std::pair<std::string, nlohmann::json>> configs;
  for (const auto& config : defaultConfigs()) configs.emplace_back(config.fileName, config.content);
  return initWorkDir(resolveWorkDir(workdir), configs);
}

}  // namespace

void setupInit(CLI::App& app) {
  auto o = std::make_shared<VerbOptions<std::string>>();
  auto* verb = app.add_subcommand(
      "init", "Prepare the output, checkpoint and log directories and default configs");
  addWorkDirOption(verb, o->request);
  addJsonFlag(verb, o->json, "Print what was done as JSON on stdout");
  callOnRun(verb, o, initWithDefaultConfigs);
}

}  // namespace bolo::app
