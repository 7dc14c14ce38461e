// Fuzz target: the config of `bolo simulate` (calo/SimulationConfig).
// Any text is read as the program reads the file (parseJson, then the strict reader); it must
// be accepted or rejected with InputError. What is accepted must survive a round trip: the
// JSON Bolo writes for it is read back without complaint (a file Bolo writes, Bolo accepts).

#include <cstdio>
#include <cstdlib>

#include "calo/SimulationConfig.hpp"
#include "common/ConfigReader.hpp"
#include "fuzz/FuzzSupport.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bolo;
  const std::string input = fuzz::text(data, size);
  fuzz::expectOnlyInputErrors([&] {
    const nlohmann::json json = parseJson(input, "fuzz.json");
    const auto parsed = simulationConfigFromJson(json, "");
    try {
      (void)simulationConfigFromJson(toJson(parsed), "");
    } catch (const InputError& e) {
      std::fprintf(stderr, "round trip rejected: %s\n", e.what());
      std::abort();
    }
  });
  return 0;
}
