#pragma once
// Every verb of the bolo program: one file each (VerbXxx.cpp) with an options struct, a
// setupXxx(CLI::App&) that declares its options, and a run function. main() calls the
// setups in the order of verbSetups(); `bolo bench` does the same with benchSetups().

#include <CLI/CLI.hpp>
#include <vector>

namespace bolo::app {

using VerbSetup = void (*)(CLI::App& parent);

// Data and set-up
void setupInit(CLI::App& app);
void setupInspect(CLI::App& app);
// Calorimeter simulation

// Calorimeter GAN training and generation

// Calorimeter evaluation

// Flavour tagging
void setupJets(CLI::App& app);
void setupTagger(CLI::App& app);
void setupScan(CLI::App& app);
void setupBenchScan(CLI::App& bench);

// Batch submission

// Site validation

// Benchmarks
void setupBench(CLI::App& app);

/// All verbs, in the order `bolo --help` lists them (defined in Verbs.cpp).
std::vector<VerbSetup> verbSetups();
/// All benchmarks under `bolo bench` (defined in Verbs.cpp).
std::vector<VerbSetup> benchSetups();

}  // namespace bolo::app
