#include "apps/bolo/SharedOptions.hpp"

#include <fmt/format.h>

#include <cstdio>

#include "common/ParseNumber.hpp"

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
  return verb->add_option("--threads", threads, help)->check(integerIn(0, kMaxThreads));
}

CLI::Option* addJsonFlag(CLI::App* verb, bool& json, const std::string& help) {
  return verb->add_flag("--json", json, help);
}

namespace {

/// The value quoted in a message, cut short.
std::string shortQuote(const std::string& text) {
  return fmt::format("'{}'", text.size() > 40 ? text.substr(0, 37) + "..." : text);
}

/// "a positive integer", "an integer in [0, 4096]", "a positive number up to 1e+09": the
/// words for a range, without printing the bound of a type in full.
std::string integerWords(long long lo, long long hi) {
  const bool open = hi >= std::numeric_limits<int>::max();
  if (open && lo == 0) return "a non-negative integer";
  if (open && lo == 1) return "a positive integer";
  if (open) return fmt::format("an integer >= {}", lo);
  return fmt::format("an integer in [{}, {}]", lo, hi);
}

std::string numberWords(double lo, double hi) {
  const bool open = hi >= std::numeric_limits<double>::max();
  const bool positive = lo == std::numeric_limits<double>::min();
  if (open && lo == 0) return "a non-negative number";
  if (open && positive) return "a positive number";
  if (positive) return fmt::format("a positive number up to {:g}", hi);
  return fmt::format("a number in [{:g}, {:g}]", lo, hi);
}

}  // namespace

CLI::Validator integerIn(long long lo, long long hi) {
  const std::string words = integerWords(lo, hi);
  return CLI::Validator(
      [lo, hi, words](std::string& text) -> std::string {
        if (toInteger(text, lo, hi)) return {};
        return fmt::format("expected {}, got {}", words, shortQuote(text));
      },
      lo == 0 && hi >= std::numeric_limits<int>::max()   ? "NONNEGATIVE"
      : lo == 1 && hi >= std::numeric_limits<int>::max() ? "POSITIVE"
                                                         : fmt::format("{}..{}", lo, hi));
}

CLI::Validator numberIn(double lo, double hi) {
  const std::string words = numberWords(lo, hi);
  return CLI::Validator(
      [lo, hi, words](std::string& text) -> std::string {
        if (toNumber(text, lo, hi)) return {};
        return fmt::format("expected {}, got {}", words, shortQuote(text));
      },
      fmt::format("{:g}..{:g}", lo, hi));
}

CLI::Validator unsignedInteger() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        if (toUnsigned(text, std::numeric_limits<unsigned long long>::max())) return {};
        return fmt::format("expected a non-negative integer, got {}", shortQuote(text));
      },
      "NONNEGATIVE");
}

CLI::Validator positiveNumber() {
  return numberIn(std::numeric_limits<double>::min(), std::numeric_limits<double>::max())
      .description("POSITIVE");
}

CLI::Validator positiveNumberUpTo(double hi) {
  return numberIn(std::numeric_limits<double>::min(), hi).description(fmt::format("(0..{:g}]", hi));
}

CLI::Validator nonNegativeNumber() {
  return numberIn(0, std::numeric_limits<double>::max()).description("NONNEGATIVE");
}

void printJson(const nlohmann::json& result) {
  const std::string text = result.dump(2) + "\n";
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

}  // namespace bolo::app
