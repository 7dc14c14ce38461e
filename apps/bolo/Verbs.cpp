// The registry of verbs and benchmarks: the one place to add a new verb file.

#include "apps/bolo/Verbs.hpp"

namespace bolo::app {

std::vector<VerbSetup> verbSetups() {
  return {
      // Data and set-up
      setupInit,
      setupInspect,
      // Calorimeter simulation

      // Calorimeter GAN training and generation

      // Calorimeter evaluation

      // Flavour tagging
      setupJets,
      setupTagger,
      setupScan,

      // Batch submission

      // Site validation

      // Benchmarks
      setupBench,
  };
}

std::vector<VerbSetup> benchSetups() {
  return {
      // Calorimeter simulation

      // Calorimeter GAN training and generation

      // Calorimeter evaluation

      // Flavour tagging
      setupBenchScan,

      // Batch submission

  };
}

}  // namespace bolo::app
