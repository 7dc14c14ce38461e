// bolo bench ...: the performance benchmarks, each in its own Bench*.cpp file, each writing
// a JSON report (see docs/benchmarks.md for the recorded results).

#include "apps/bolo/Verbs.hpp"

namespace bolo::app {

void setupBench(CLI::App& app) {
  auto* bench = app.add_subcommand("bench", "Run a performance benchmark and report JSON");
  bench->require_subcommand(1);
  for (auto* setup : benchSetups()) setup(*bench);
}

}  // namespace bolo::app
