#include "apps/bolo/SharedOptions.hpp"

#include <cstdio>

namespace bolo::app {

void addWorkDirOption(CLI::App* verb, std::string& workdir) {
  verb->add_option("--workdir", workdir,
                   "Working directory made by 'bolo init' (default: $BOLO_WORKDIR or ./bolo-work)");
}

CLI::Option* addConfigOption(CLI::App* verb, std::string& config, const std::string& help) {
  return verb->add_option("--config", config, help);
}

CLI::Option* addRunOption(CLI::App* verb, std::string& run, const std::string& help) {
  return verb->add_option("--run", run, help);
}

CLI::Option* addDeviceOption(CLI::App* verb, std::string& device, const std::string& help) {
  return verb->add_option("--device", device, help);
}

CLI::Option* addThreadsOption(CLI::App* verb, int& threads, const std::string& help) {
  return verb->add_option("--threads", threads, help);
}

CLI::Option* addJsonFlag(CLI::App* verb, bool& json, const std::string& help) {
  return verb->add_flag("--json", json, help);
}

void printJson(const nlohmann::json& result) {
  const std::string text = result.dump(2) + "\n";
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

}  // namespace bolo::app
