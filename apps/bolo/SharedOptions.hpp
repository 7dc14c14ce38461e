#pragma once
// The options many verbs share, declared once: --workdir, --config, --run, --device,
// --threads and --json, and how a verb prints its JSON result. A verb passes the help text
// that names its own default where that differs.

#include <CLI/CLI.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

namespace bolo::app {

/// --workdir (default: $BOLO_WORKDIR or ./bolo-work; see resolveWorkDir).
void addWorkDirOption(CLI::App* verb, std::string& workdir);
/// --config FILE; `help` names the verb's default file.
CLI::Option* addConfigOption(CLI::App* verb, std::string& config, const std::string& help);
/// --run NAME; `help` says where the run lives.
CLI::Option* addRunOption(CLI::App* verb, std::string& run, const std::string& help);
/// --device auto|cpu|cuda|cuda:N (resolved by nn::resolveDevice).
CLI::Option* addDeviceOption(CLI::App* verb, std::string& device,
                             const std::string& help = "auto, cpu, cuda, cuda:N");
/// --threads N (<= 0: all cores, unless the verb's help says otherwise).
CLI::Option* addThreadsOption(CLI::App* verb, int& threads,
                              const std::string& help = "CPU threads (default: all cores)");
/// --json: print the verb's result as JSON on stdout.
CLI::Option* addJsonFlag(CLI::App* verb, bool& json,
                         const std::string& help = "Print a summary as JSON on stdout");

/// Print `result` as JSON on stdout (for --json).
void printJson(const nlohmann::json& result);

/// What a verb parses its command line into: the request of its library entry point, and
/// --json.
template <typename Request>
struct VerbOptions {
  Request request;
  bool json = false;
};

/// When `verb` is chosen, call its library entry point `entry(request)` and print the JSON
/// result it returns on --json.
template <typename Request, typename Entry>
void callOnRun(CLI::App* verb, const std::shared_ptr<VerbOptions<Request>>& options, Entry entry) {
  verb->callback([options, entry] {
    const nlohmann::json result = entry(options->request);
    if (options->json) printJson(result);
  });
}

}  // namespace bolo::app
