#include "apps/bolo/AppSupport.hpp"

#include <cstdio>
#include <thread>

namespace bolo::app {

void addWorkDirOption(CLI::App* verb, std::string& workdir) {
  verb->add_option("--workdir", workdir,
                   "Working directory made by 'bolo init' (default: $BOLO_WORKDIR or ./bolo-work)");
}

void printJson(const nlohmann::json& result) {
  const std::string text = result.dump(2) + "\n";
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

int resolveThreads(int option) {
  if (option > 0) return option;
  const unsigned n = std::thread::hardware_concurrency();
  return n ? static_cast<int>(n) : 1;
}

}  // namespace bolo::app
