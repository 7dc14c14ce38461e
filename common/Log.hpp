#pragma once
// Human-readable messages go to stderr through spdlog; stdout is reserved for results
// (--json). main() configures the level; library code only calls these helpers.

#include <spdlog/spdlog.h>

namespace bolo::log {

/// Route spdlog's default logger to stderr with the "bolo: <level>: " prefix.
void configure(bool verbose, bool quiet);

template <typename... Args>
void info(fmt::format_string<Args...> format, Args&&... args) {
  spdlog::info(format, std::forward<Args>(args)...);
}
template <typename... Args>
void warn(fmt::format_string<Args...> format, Args&&... args) {
  spdlog::warn(format, std::forward<Args>(args)...);
}
template <typename... Args>
void debug(fmt::format_string<Args...> format, Args&&... args) {
  spdlog::debug(format, std::forward<Args>(args)...);
}

}  // namespace bolo::log
