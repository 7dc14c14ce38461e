// Fuzz target: the sidecar of a GAN checkpoint (iter_<N>.json), read on `bolo train --resume`
// to pick the checkpoint and by bestiter/generate to rebuild the generator
// (calo/CheckpointRecord). A sidecar is accepted or rejected with InputError; its model facts
// likewise. No known-class filter here: this reader never dumps a value and turns a number
// beyond a double into InputError itself.

#include "calo/CheckpointRecord.hpp"
#include "fuzz/FuzzSupport.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bolo;
  const std::string input = fuzz::text(data, size);
  fuzz::expectOnlyInputErrors([&] {
    const auto record = parseCheckpointSidecar(input);
    (void)checkpointModelFromMeta(record.meta, "iter_000000010.json");
  });
  return 0;
}
