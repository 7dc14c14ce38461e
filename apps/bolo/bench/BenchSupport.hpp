#pragma once
// Shared plumbing of the `bolo bench ...` benchmarks: every report carries the benchmark
// name, date, machine, tool version, and goes to --out (atomically) and/or stdout.

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <string>

namespace bolo::app {

struct BenchOutput {
  std::string outPath;  ///< --out FILE; empty prints to stdout only
};

/// Add --out to a benchmark subcommand.
void addBenchOutputOption(CLI::App* bench, BenchOutput& output);

/// Wrap `results` with name, date, machine and version; write to --out and print on stdout.
void reportBenchmark(const BenchOutput& output, const std::string& name,
                     const nlohmann::json& results);

}  // namespace bolo::app
