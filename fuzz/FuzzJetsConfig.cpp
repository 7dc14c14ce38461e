// Fuzz target: jets.json of `bolo jets` (ftag/JetGenerator).
// Any text is read as the program reads the file (parseJson, then the strict reader); it must
// be accepted or rejected with InputError. What is accepted must survive a round trip: the
// JSON Bolo writes for it is read back without complaint (a file Bolo writes, Bolo accepts).

#include <cstdio>
#include <cstdlib>

#include "common/ConfigReader.hpp"
#include "ftag/JetGenerator.hpp"
#include "fuzz/FuzzSupport.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bolo;
  const std::string input = fuzz::text(data, size);
  fuzz::expectOnlyInputErrors([&] {
    const nlohmann::json json = parseJson(input, "fuzz.json");
    const auto parsed = jetGeneratorConfigFromJson(json, "");
    try {
      (void)jetGeneratorConfigFromJson(toJson(parsed), "");
    } catch (const InputError& e) {
      std::fprintf(stderr, "round trip rejected: %s\n", e.what());
      std::abort();
    }
  });
  return 0;
}
