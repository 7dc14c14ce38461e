// The strict reading of checkpoint sidecars: a complete record is accepted; a mistyped,
// incomplete or hostile one is an InputError (never a JSON type error, which would end a
// resume as "internal error"), and the archive must sit beside the sidecar.

#include <gtest/gtest.h>

#include "calo/CheckpointRecord.hpp"
#include "common/Error.hpp"

namespace bolo {
namespace {

nlohmann::json completeSidecar() {
  return {{"format", kCheckpointFormat},
          {"iteration", 40},
          {"archive", "iter_000000040.pt"},
          {"bytes", 1234},
          {"crc32", 4294967295u},
          {"training_seconds", 2.5},
          {"voxels", 3},
          {"energy_range_mev", {1.0, 2.0}},
          {"architecture", {{"layer_voxels", {1, 2}}}},
          {"config", nlohmann::json::object()},
          {"preprocessing", nlohmann::json::object()}};
}

TEST(CheckpointRecord, ReadsACompleteSidecar) {
  const auto record = parseCheckpointSidecar(completeSidecar().dump());
  EXPECT_EQ(record.iteration, 40);
  EXPECT_EQ(record.archive, "iter_000000040.pt");
  EXPECT_EQ(record.bytes, 1234u);
  EXPECT_EQ(record.crc32, 4294967295u);
  EXPECT_DOUBLE_EQ(record.trainingSeconds, 2.5);
}

TEST(CheckpointRecord, RejectsMistypedAndIncompleteRecordsAsInputErrors) {
  const std::vector<std::pair<std::string, nlohmann::json>> spoiled = {
      {"format", 1},
      {"format", "other"},
      {"iteration", "40"},
      {"iteration", 4.5},
      {"iteration", -1},
      {"bytes", -3},
      {"crc32", 4294967296u},
      {"archive", 7},
      {"archive", "../../etc/passwd.pt"},
      {"archive", ".hidden.pt"},
      {"archive", "iter.json"},
      {"training_seconds", "soon"},
      {"training_seconds", -1.0},
      {"config", "[]"},
      {"architecture", 3}};
  for (const auto& [key, value] : spoiled) {
    auto json = completeSidecar();
    json[key] = value;
    EXPECT_THROW(parseCheckpointSidecar(json.dump()), InputError) << key << " = " << value;
  }
  for (const char* key : {"format", "iteration", "bytes", "crc32", "archive"}) {
    auto json = completeSidecar();
    json.erase(key);
    EXPECT_THROW(parseCheckpointSidecar(json.dump()), InputError) << "without " << key;
  }
  EXPECT_THROW(parseCheckpointSidecar("{\"format\": \"bolo-gan-che"), InputError);
  EXPECT_THROW(parseCheckpointSidecar("[1, 2]"), InputError);
}

TEST(CheckpointRecord, ModelFactsAreCheckedBeforeANetworkIsBuilt) {
  auto meta = completeSidecar();
  meta["energy_range_mev"] = {5.0, 1.0};
  EXPECT_THROW(checkpointModelFromMeta(meta, "x"), InputError);
  meta = completeSidecar();
  meta["voxels"] = 0;
  EXPECT_THROW(checkpointModelFromMeta(meta, "x"), InputError);
  meta = completeSidecar();
  meta["architecture"]["layer_voxels"] = {1, -2};
  EXPECT_THROW(checkpointModelFromMeta(meta, "x"), InputError);
}

}  // namespace
}  // namespace bolo
