#pragma once
// Every verb of the bolo program: one file each (VerbXxx.cpp) with an options struct, a
// setupXxx(CLI::App&) that declares its options, and a run function. main() calls the
// setups in the order of verbSetups(); `bolo bench` does the same with benchSetups().

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <vector>

namespace bolo::app {

using VerbSetup = void (*)(CLI::App& parent);

// Data and set-up
void setupInit(CLI::App& app);
void setupInspect(CLI::App& app);
// Calorimeter simulation
void setupSimulate(CLI::App& app);
void setupBenchSimulate(CLI::App& bench);

// Calorimeter GAN training and generation
void setupTrain(CLI::App& app);
void setupGenerate(CLI::App& app);
void setupBestIter(CLI::App& app);
void setupExport(CLI::App& app);
void setupBenchTrain(CLI::App& bench);
void setupBenchGenerate(CLI::App& bench);
void setupBenchBestIter(CLI::App& bench);

// Calorimeter evaluation
void setupEvaluate(CLI::App& app);
/// The default evaluate.json (VerbEvaluate.cpp).
nlohmann::json evaluateDefaultConfig();
/// bolo bench quality: chi2/NDF versus training wall time (BenchQuality.cpp).
void setupBenchQuality(CLI::App& bench);

// Flavour tagging
void setupJets(CLI::App& app);
void setupTagger(CLI::App& app);
void setupScan(CLI::App& app);
void setupBenchScan(CLI::App& bench);

// Batch submission
void setupSubmit(CLI::App& app);
void setupStatus(CLI::App& app);
void setupWait(CLI::App& app);
void setupLogs(CLI::App& app);

// Site validation
void setupGpuCheck(CLI::App& app);

// Benchmarks
void setupBench(CLI::App& app);

/// All verbs, in the order `bolo --help` lists them (defined in Verbs.cpp).
std::vector<VerbSetup> verbSetups();
/// All benchmarks under `bolo bench` (defined in Verbs.cpp).
std::vector<VerbSetup> benchSetups();

}  // namespace bolo::app
