// The registry of verbs and benchmarks: the one place to add a new verb file.

#include "apps/bolo/Verbs.hpp"

namespace bolo::app {

std::vector<VerbSetup> verbSetups() {
  return {
      setupInit,
      setupInspect,
      setupBench,
  };
}

std::vector<VerbSetup> benchSetups() {
  return {};
}

}  // namespace bolo::app
