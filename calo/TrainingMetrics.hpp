#pragma once
// metrics.jsonl of a GAN training: one JSON object per line, {"iteration": N, "critic_loss":
// ..., ...}, appended as the training runs. A killed run may leave a torn last line, and a run
// resumed from an earlier checkpoint has records past it; the readers here, torch-free so they
// can be fuzzed, keep only what is consistent.

#include <string>
#include <vector>

namespace bolo {

/// The lines of `text` to keep when resuming from the checkpoint at `iteration`: records with
/// an integer iteration in (previous kept, `iteration`], in file order. Torn or malformed lines,
/// duplicates and records past the checkpoint are dropped, so appending continues a file with
/// strictly increasing iterations.
std::string metricsUpTo(const std::string& text, long long iteration);

struct LossRecord {
  long long iteration = 0;
  double criticLoss = 0, generatorLoss = 0, wasserstein = 0, gradientPenalty = 0;
};

/// The loss records of `text` (the lines that have all five fields as numbers); others skipped.
std::vector<LossRecord> parseLossRecords(const std::string& text);

}  // namespace bolo
