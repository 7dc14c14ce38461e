// The registry of verbs and benchmarks: the one place to add a new verb file.

#include "apps/bolo/Verbs.hpp"

namespace bolo::app {

std::vector<VerbSetup> verbSetups() {
  return {
      // Data and set-up
      setupInit,
      setupInspect,
      // Calorimeter simulation
      setupSimulate,

      // Calorimeter GAN training and generation
      setupTrain,
      setupGenerate,
      setupBestIter,
      setupExport,

      // Calorimeter evaluation
      setupEvaluate,

      // Flavour tagging
      setupJets,
      setupTagger,
      setupScan,

      // Batch submission
      setupSubmit,
      setupStatus,
      setupWait,
      setupLogs,

      // Site validation
      setupGpuCheck,

      // Benchmarks
      setupBench,
  };
}

std::vector<VerbSetup> benchSetups() {
  return {
      // Calorimeter simulation
      setupBenchSimulate,

      // Calorimeter GAN training and generation
      setupBenchTrain, setupBenchGenerate, setupBenchBestIter,

      // Calorimeter evaluation
      setupBenchQuality,

      // Flavour tagging
      setupBenchScan,

      // Batch submission

  };
}

}  // namespace bolo::app
