#include "calo/CheckpointRecord.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "common/ConfigReader.hpp"
#include "common/Error.hpp"

namespace bolo {

namespace {

[[noreturn]] void reject(const std::string& why) {
  throw InputError(why);
}

/// A non-negative JSON integer within [lo, hi]; a float, a string or a value out of range is
/// rejected rather than converted.
std::uint64_t integerField(const nlohmann::json& meta, const char* key, std::uint64_t lo,
                           std::uint64_t hi) {
  const auto it = meta.find(key);
  if (it == meta.end()) reject(fmt::format("sidecar has no '{}'", key));
  std::uint64_t value = 0;
  if (it->is_number_unsigned()) {
    value = it->get<std::uint64_t>();
  } else if (it->is_number_integer() && it->get<std::int64_t>() >= 0) {
    value = static_cast<std::uint64_t>(it->get<std::int64_t>());
  } else {
    reject(fmt::format("sidecar '{}' is not a non-negative integer", key));
  }
  if (value < lo || value > hi)
    reject(fmt::format("sidecar '{}' is not an integer in [{}, {}]", key, lo, hi));
  return value;
}

void requireType(const nlohmann::json& meta, const char* key, nlohmann::json::value_t type,
                 const char* what) {
  const auto it = meta.find(key);
  if (it != meta.end() && it->type() != type &&
      !(type == nlohmann::json::value_t::number_float && it->is_number()))
    reject(fmt::format("sidecar '{}' is not {}", key, what));
}

/// The archive must sit beside the sidecar: a plain file name, so that a record can never
/// point a resume or a crc check at another directory.
bool plainArchiveName(const std::string& name) {
  return name.size() > 3 && name.size() < 256 && name.find('/') == std::string::npos &&
         name.find('\0') == std::string::npos && name[0] != '.' &&
         name.compare(name.size() - 3, 3, ".pt") == 0;
}

}  // namespace

CheckpointRecord parseCheckpointSidecar(const std::string& text) {
  CheckpointRecord record;
  try {
    record.meta = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    reject(fmt::format("sidecar unreadable ({})", std::string(e.what()).substr(0, 200)));
  }
  const auto& meta = record.meta;
  if (!meta.is_object()) reject("sidecar is not a JSON object");
  const auto format = meta.find("format");
  if (format == meta.end() || !format->is_string() ||
      format->get_ref<const std::string&>() != kCheckpointFormat) {
    reject("sidecar is not a bolo GAN checkpoint record");
  }
  constexpr auto kInt64Max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  record.iteration = static_cast<long long>(integerField(meta, "iteration", 0, kInt64Max));
  record.bytes = integerField(meta, "bytes", 0, kInt64Max);
  record.crc32 = static_cast<std::uint32_t>(
      integerField(meta, "crc32", 0, std::numeric_limits<std::uint32_t>::max()));
  const auto archive = meta.find("archive");
  if (archive == meta.end() || !archive->is_string() ||
      !plainArchiveName(archive->get_ref<const std::string&>())) {
    reject("sidecar 'archive' is not a .pt file name beside the sidecar");
  }
  record.archive = archive->get<std::string>();
  using T = nlohmann::json::value_t;
  requireType(meta, "training_seconds", T::number_float, "a number");
  if (meta.contains("training_seconds")) {
    record.trainingSeconds = meta["training_seconds"].get<double>();
    if (!std::isfinite(record.trainingSeconds) || record.trainingSeconds < 0)
      reject("sidecar 'training_seconds' is not a non-negative number");
  }
  requireType(meta, "gan", T::string, "a string");
  requireType(meta, "particle", T::string, "a string");
  requireType(meta, "architecture", T::object, "an object");
  requireType(meta, "config", T::object, "an object");
  requireType(meta, "preprocessing", T::object, "an object");
  return record;
}

CheckpointModel checkpointModelFromMeta(const nlohmann::json& meta, const std::string& origin) {
  auto fail = [&](const std::string& why) {
    throw InputError(fmt::format("{}: incomplete checkpoint record: {}", origin, why));
  };
  if (!meta.is_object()) fail("not an object");
  CheckpointModel model;
  for (const char* key : {"config", "preprocessing", "architecture"}) {
    if (!meta.contains(key) || !meta[key].is_object()) fail(fmt::format("no '{}' object", key));
  }
  ConfigReader reader(meta["config"], origin + ":config");
  // Keys an older checkpoint lacks take the struct defaults: the recipe before presets.
  model.config = ganConfigFromJson(reader, GanConfig{});
  try {
    model.voxels = static_cast<int>(integerField(
        meta, "voxels", 1, static_cast<std::uint64_t>(std::numeric_limits<int>::max())));
  } catch (const InputError& e) {
    fail(e.what());
  }
  model.preprocessing = preprocessingFromJson(meta["preprocessing"], origin);
  const auto range = meta.find("energy_range_mev");
  if (range == meta.end() || !range->is_array() || range->size() != 2 || !(*range)[0].is_number() ||
      !(*range)[1].is_number()) {
    fail("'energy_range_mev' is not two numbers");
  }
  model.loMeV = (*range)[0].get<double>();
  model.hiMeV = (*range)[1].get<double>();
  if (!std::isfinite(model.loMeV) || !std::isfinite(model.hiMeV) || model.loMeV > model.hiMeV)
    fail("'energy_range_mev' is not an increasing pair of finite numbers");
  const auto& architecture = meta["architecture"];
  if (const auto layers = architecture.find("layer_voxels"); layers != architecture.end()) {
    if (!layers->is_array() || layers->size() > 1000) fail("'layer_voxels' is not a short list");
    for (const auto& v : *layers) {
      if (!v.is_number_integer() || v.get<long long>() <= 0 || v.get<long long>() > model.voxels) {
        fail("'layer_voxels' holds a value that is not a voxel count");
      }
      model.layerVoxels.push_back(v.get<int64_t>());
    }
  }
  if (meta.contains("gan") && meta["gan"].is_string()) model.gan = meta["gan"].get<std::string>();
  if (meta.contains("particle") && meta["particle"].is_string())
    model.particle = meta["particle"].get<std::string>();
  return model;
}

}  // namespace bolo
