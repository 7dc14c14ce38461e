// Fuzz target: the job files of a scan (output/scan/jobs/job_NNN.json) that `bolo scan run`
// reads (ftag/ScanSpace, scanJobFromJson). Accepted or rejected with InputError, nothing else.

#include "common/ConfigReader.hpp"
#include "ftag/ScanSpace.hpp"
#include "fuzz/FuzzSupport.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bolo;
  const std::string input = fuzz::text(data, size);
  fuzz::expectOnlyInputErrors([&] {
    const auto job = scanJobFromJson(parseJson(input, "job_000.json"));
    // The runner names each combination's result file from its JSON: it must serialise.
    for (const auto& combination : job.combinations) (void)toJson(combination).dump();
  });
  return 0;
}
