#pragma once
// Small helpers shared by the verb files: common options and result printing.

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "common/WorkDir.hpp"

namespace bolo::app {

/// Add --workdir to a verb (default: $BOLO_WORKDIR or ./bolo-work).
void addWorkDirOption(CLI::App* verb, std::string& workdir);

/// Print `result` as JSON on stdout (for --json).
void printJson(const nlohmann::json& result);

/// Threads for CPU work: the option if positive, else all cores.
int resolveThreads(int option);

}  // namespace bolo::app
