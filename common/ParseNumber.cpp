#include "common/ParseNumber.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "common/Error.hpp"

namespace bolo {

namespace {

/// The text quoted in a message, cut short (it may be anything, of any length).
std::string shortQuote(std::string_view text) {
  if (text.size() > 40) return fmt::format("'{}...'", text.substr(0, 37));
  return fmt::format("'{}'", text);
}

template <typename T>
std::optional<T> fromChars(std::string_view text) {
  T value{};
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
  return value;
}

}  // namespace

std::string_view trimSpaces(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

std::optional<long long> toInteger(std::string_view text, long long lo, long long hi) {
  const auto value = fromChars<long long>(text);
  if (!value || *value < lo || *value > hi) return std::nullopt;
  return value;
}

std::optional<unsigned long long> toUnsigned(std::string_view text, unsigned long long hi) {
  // from_chars would read "-1" for an unsigned type as an error already; say so explicitly.
  if (!text.empty() && text.front() == '-') return std::nullopt;
  const auto value = fromChars<unsigned long long>(text);
  if (!value || *value > hi) return std::nullopt;
  return value;
}

std::optional<double> toNumber(std::string_view text, double lo, double hi) {
  // from_chars reads "inf" and "nan" as numbers and "+1" not at all; neither is wanted here.
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  const auto value = fromChars<double>(text);
  if (!value || !std::isfinite(*value) || *value < lo || *value > hi) return std::nullopt;
  return value;
}

long long parseInteger(std::string_view text, long long lo, long long hi,
                       const std::string& source) {
  if (const auto value = toInteger(text, lo, hi)) return *value;
  throw InputError(
      fmt::format("{}: expected an integer in [{}, {}], got {}", source, lo, hi, shortQuote(text)));
}

double parseNumber(std::string_view text, double lo, double hi, const std::string& source) {
  if (const auto value = toNumber(text, lo, hi)) return *value;
  throw InputError(
      fmt::format("{}: expected a number in [{}, {}], got {}", source, lo, hi, shortQuote(text)));
}

}  // namespace bolo
