// Fuzz target: the CaloChallenge binning XML (calo/ShowerGeometry), read by every verb that
// touches showers (`--geometry` or the shipped data/geometry files). Accepted or rejected with
// InputError; an accepted geometry must have consistent voxel counts.

#include <cstdlib>

#include "calo/ShowerGeometry.hpp"
#include "fuzz/FuzzSupport.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bolo;
  const std::string input = fuzz::text(data, size);
  fuzz::expectOnlyInputErrors([&] {
    const auto geometry = ShowerGeometry::fromXmlText(input, "binning.xml");
    std::size_t total = 0;
    for (const auto count : geometry.layerVoxelCounts()) total += static_cast<std::size_t>(count);
    if (total != geometry.voxelCount()) std::abort();  // layers must tile the voxel vector
  });
  return 0;
}
