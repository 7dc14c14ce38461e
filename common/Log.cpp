#include "common/Log.hpp"

#include <spdlog/sinks/stdout_sinks.h>

namespace bolo::log {

void configure(bool verbose, bool quiet) {
  auto logger = spdlog::stderr_logger_st("bolo");
  // "bolo: warning: ..." reads like the error line main() prints.
  logger->set_pattern("bolo: %l: %v");
  logger->set_level(quiet     ? spdlog::level::warn
                    : verbose ? spdlog::level::debug
                              : spdlog::level::info);
  spdlog::set_default_logger(logger);
}

}  // namespace bolo::log
