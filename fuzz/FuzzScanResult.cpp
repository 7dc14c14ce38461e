// Fuzz target: the per-combination results of a scan (output/scan/results/<id>.json), read
// back by a resumed `bolo scan run` to skip finished combinations and by `bolo scan collect`
// (ftag/ScanResults). Accepted or rejected with InputError; what is accepted survives a round
// trip through the JSON Bolo writes.

#include <cstdio>
#include <cstdlib>

#include "common/ConfigReader.hpp"
#include "ftag/ScanResults.hpp"
#include "fuzz/FuzzSupport.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bolo;
  const std::string input = fuzz::text(data, size);
  fuzz::expectOnlyInputErrors([&] {
    const auto result = scanResultFromJson(parseJson(input, "result.json"), "result.json");
    try {
      (void)scanResultFromJson(toJson(result), "round trip");
    } catch (const InputError& e) {
      std::fprintf(stderr, "round trip rejected: %s\n", e.what());
      std::abort();
    }
  });
  return 0;
}
