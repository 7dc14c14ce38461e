#include "batch/ShellQuote.hpp"

#include <fmt/format.h>

#include "common/Error.hpp"

namespace bolo::batch {

std::string shellQuote(const std::string& value) {
  std::string out = "'";
  for (const char c : value) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  out += '\'';
  return out;
}

std::string shellQuoteIfNeeded(const std::string& value) {
  const bool plain = !value.empty() && value.find_first_not_of(
                                           "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                           "0123456789._/:,@+-") == std::string::npos;
  return plain ? value : shellQuote(value);
}

std::string shellJoin(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& word : argv) {
    if (!out.empty()) out += ' ';
    out += shellQuote(word);
  }
  return out;
}

std::string sanitizeJobName(const std::string& name) {
  std::string out;
  for (const char c : name) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '_' || c == '-';
    out += keep ? c : '_';
    if (out.size() == 64) break;
  }
  while (!out.empty() && (out.front() == '-' || out.front() == '.')) out.erase(out.begin());
  if (out.find_first_not_of('_') == std::string::npos) return "bolo-job";
  return out;
}

void requireSingleLine(const std::string& value, const std::string& what) {
  if (value.find_first_of(std::string("\n\r\0", 3)) != std::string::npos) {
    throw InputError(fmt::format("{} must not contain a newline or NUL character", what));
  }
}

}  // namespace bolo::batch
