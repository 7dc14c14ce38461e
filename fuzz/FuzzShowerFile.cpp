// Fuzz target: CaloChallenge shower files (calo/ShowerFile), fed to the reader as in-memory
// HDF5 file images (core driver), the way `bolo inspect`, `train`, `bestiter` and `evaluate`
// read them from disk. Opening, the incident energies and a few row blocks must succeed or
// fail with InputError. HDF5 itself is Debian's build, not instrumented: coverage guides the
// fuzzer through Bolo's checks only.

#include <algorithm>

#include "calo/ShowerFile.hpp"
#include "fuzz/FuzzSupport.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bolo;
  fuzz::expectOnlyInputErrors([&] {
    const auto reader = ShowerFileReader::fromImage(fuzz::text(data, size), "showers.h5");
    // A few kilobytes can declare a billion rows of fill values: read a bounded part, as a
    // chunked reader does, so the fuzzer measures checks rather than memory bandwidth.
    const std::size_t events = reader.events();
    if (events <= (1u << 16)) (void)reader.incidentEnergies();
    const std::size_t rows = std::min<std::size_t>(events, 4);
    (void)reader.read(0, rows);
    if (events > rows) (void)reader.read(events - rows, rows);
  });
  return 0;
}
