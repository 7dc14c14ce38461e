// Fuzz target: metrics.jsonl of a GAN training, cut back to the checkpoint on resume and read
// for the loss plot (calo/TrainingMetrics). Nothing may throw, and what is kept must be
// consistent: strictly increasing iterations, none past the checkpoint, and cutting twice
// changes nothing. No known-class filter: lines are parsed without exceptions.

#include <cstdlib>

#include "calo/TrainingMetrics.hpp"
#include "fuzz/FuzzSupport.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bolo;
  const std::string input = fuzz::text(data, size);
  constexpr long long kCheckpoint = 1000;
  const std::string kept = metricsUpTo(input, kCheckpoint);
  if (metricsUpTo(kept, kCheckpoint) != kept) std::abort();
  long long previous = -1;
  bool first = true;
  for (const auto& record : parseLossRecords(kept)) {
    if (record.iteration > kCheckpoint || (!first && record.iteration <= previous)) std::abort();
    previous = record.iteration;
    first = false;
  }
  (void)parseLossRecords(input);
  return 0;
}
