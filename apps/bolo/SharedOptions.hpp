#pragma once
// The options many verbs share, declared once: --workdir, --config, --run, --device,
// --threads and --json, and how a verb prints its JSON result. A verb passes the help text
// that names its own default where that differs.

#include <CLI/CLI.hpp>
#include <algorithm>
#include <limits>
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
/// --threads N in [0, kMaxThreads]; 0 means all cores in every verb (negatives are refused).
CLI::Option* addThreadsOption(CLI::App* verb, int& threads,
                              const std::string& help = "CPU threads (default: all cores)");
/// --json: print the verb's result as JSON on stdout.
CLI::Option* addJsonFlag(CLI::App* verb, bool& json,
                         const std::string& help = "Print a summary as JSON on stdout");

// --- Ranges of numeric options -----------------------------------------------------------
// Every numeric option of every verb and benchmark checks its value with one of these, so a
// value outside is a usage error (exit 2) naming the option, e.g.
//   bolo: error: --batch: expected a positive integer, got '0' (see bolo --help)
// instead of being replaced silently by a default (CLI11's own PositiveNumber also printed
// its bound as a 309-digit number, and lets "nan" through).

/// Most CPU threads an option may ask for (a typo like 100000 would start that many).
inline constexpr int kMaxThreads = 4096;

/// Whole decimal numbers in [lo, hi].
CLI::Validator integerIn(long long lo, long long hi);
/// Finite numbers in [lo, hi] ("nan" and "inf" are refused).
CLI::Validator numberIn(double lo, double hi);

/// Integers >= 1 that fit `Int`.
template <typename Int>
CLI::Validator positiveInteger() {
  return integerIn(1, static_cast<long long>(std::numeric_limits<Int>::max()));
}
/// Integers >= 0 that fit `Int` (counts where 0 has a documented meaning, seeds).
template <typename Int>
CLI::Validator nonNegativeInteger() {
  return integerIn(0, static_cast<long long>(std::min<unsigned long long>(
                          std::numeric_limits<Int>::max(), std::numeric_limits<long long>::max())));
}
/// Any unsigned 64-bit integer (seeds of unsigned type); "-1" is refused, not wrapped.
CLI::Validator unsignedInteger();
/// Finite numbers > 0 (durations, intervals).
CLI::Validator positiveNumber();
/// Finite numbers in (0, hi].
CLI::Validator positiveNumberUpTo(double hi);
/// Finite numbers >= 0.
CLI::Validator nonNegativeNumber();

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
