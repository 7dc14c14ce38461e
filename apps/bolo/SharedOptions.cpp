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

/// "a positive integer" rather than "an integer in [1, 9223372036854775807]".
std::string rangeWords(const char* kind, long double lo, long double hi, long double typeMax) {
  if (hi >= typeMax) {
    if (lo == 0) return fmt::format("a non-negative {}", kind);
    if (lo == 1 || lo == std::numeric_limits<double>::min())
      return fmt::format("a positive {}", kind);
    return fmt::format("{} {} >= {}", kind[0] == 'i' ? "an" : "a", kind, static_cast<double>(lo));
  }
  return fmt::format("{} {} in [{}, {}]", kind[0] == 'i' ? "an" : "a", kind,
                     static_cast<double>(lo), static_cast<double>(hi));
}

}  // namespace

CLI::Validator integerIn(long long lo, long long hi) {
  const std::string words =
      rangeWords("integer", static_cast<long double>(lo), static_cast<long double>(hi),
                 static_cast<long double>(std::numeric_limits<int>::max()));
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
  const std::string words = rangeWords("number", lo, hi, std::numeric_limits<double>::max());
  return CLI::Validator(
      [lo, hi, words](std::string& text) -> std::string {
        if (toNumber(text, lo, hi)) return {};
        return fmt::format("expected {}, got {}", words, shortQuote(text));
      },
      fmt::format("{}..{}", lo, hi));
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

CLI::Validator nonNegativeNumber() {
  return numberIn(0, std::numeric_limits<double>::max()).description("NONNEGATIVE");
}

void printJson(const nlohmann::json& result) {
  const std::string text = result.dump(2) + "\n";
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

}  // namespace bolo::app
