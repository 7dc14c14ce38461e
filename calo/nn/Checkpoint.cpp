#include "calo/nn/Checkpoint.hpp"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <fstream>
#include <mutex>
#include <set>

#include "common/AtomicFile.hpp"
#include "common/ConfigReader.hpp"
#include "common/Error.hpp"
#include "common/Log.hpp"

namespace bolo::nn {

namespace fs = std::filesystem;

constexpr const char* kCheckpointFormat = "bolo-gan-checkpoint-1";

std::string checkpointStem(long long iteration) {
  return fmt::format("iter_{:09d}", iteration);
}

std::uint32_t fileCrc32(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot open", path.string()));
  uLong crc = crc32(0L, Z_NULL, 0);
  std::vector<char> buffer(1 << 20);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const auto n = in.gcount();
    if (n > 0)
      crc = crc32(crc, reinterpret_cast<const Bytef*>(buffer.data()), static_cast<uInt>(n));
  }
  return static_cast<std::uint32_t>(crc);
}

std::string checkpointProblem(const fs::path& sidecar, nlohmann::json* metaOut) {
  nlohmann::json meta;
  try {
    meta = parseJson(readFile(sidecar), sidecar.string());
  } catch (const std::exception& e) {
    return fmt::format("sidecar unreadable ({})", e.what());
  }
  if (!meta.is_object() || meta.value("format", "") != kCheckpointFormat ||
      !meta.contains("crc32") || !meta.contains("bytes") || !meta.contains("iteration") ||
      !meta.contains("archive")) {
    return "sidecar is not a bolo GAN checkpoint record";
  }
  const fs::path archive = sidecar.parent_path() / meta["archive"].get<std::string>();
  std::error_code ec;
  const auto size = fs::file_size(archive, ec);
  if (ec) return fmt::format("archive {} missing", archive.filename().string());
  if (size != meta["bytes"].get<std::uintmax_t>()) {
    return fmt::format("archive has {} bytes, sidecar records {} (truncated?)", size,
                       meta["bytes"].get<std::uintmax_t>());
  }
  if (fileCrc32(archive) != meta["crc32"].get<std::uint32_t>())
    return "archive crc32 does not match (corrupted)";
  if (metaOut) *metaOut = std::move(meta);
  return {};
}

namespace {

void warnOnce(const fs::path& path, const std::string& problem) {
  static std::mutex mutex;
  static std::set<std::string> warned;
  std::lock_guard lock(mutex);
  if (warned.insert(path.string()).second)
    log::warn("skipping checkpoint {}: {}", path.string(), problem);
}

}  // namespace

std::vector<CheckpointInfo> listCheckpoints(const fs::path& dir) {
  std::vector<CheckpointInfo> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  std::set<std::string> withSidecar;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const auto name = entry.path().filename().string();
    if (name.rfind("iter_", 0) != 0) continue;
    if (entry.path().extension() == ".pt") continue;
    if (entry.path().extension() != ".json") continue;
    withSidecar.insert(entry.path().stem().string());
    CheckpointInfo info;
    const auto problem = checkpointProblem(entry.path(), &info.meta);
    if (!problem.empty()) {
      warnOnce(entry.path(), problem);
      continue;
    }
    info.sidecar = entry.path();
    info.archive = dir / info.meta["archive"].get<std::string>();
    info.iteration = info.meta["iteration"].get<long long>();
    out.push_back(std::move(info));
  }
  for (const auto& entry : fs::directory_iterator(dir)) {
    const auto name = entry.path().filename().string();
    if (name.rfind("iter_", 0) == 0 && entry.path().extension() == ".pt" &&
        !withSidecar.count(entry.path().stem().string())) {
      warnOnce(entry.path(), "no sidecar yet (being written, or the run stopped while writing it)");
    }
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.iteration < b.iteration; });
  return out;
}

std::optional<CheckpointInfo> latestCheckpoint(const fs::path& dir) {
  auto all = listCheckpoints(dir);
  if (all.empty()) return std::nullopt;
  return all.back();
}

CheckpointInfo resolveCheckpoint(const fs::path& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    auto latest = latestCheckpoint(path);
    if (!latest)
      throw InputError(fmt::format("{}: no valid checkpoint in this directory", path.string()));
    return *latest;
  }
  fs::path sidecar = path;
  if (path.extension() == ".pt") sidecar.replace_extension(".json");
  if (!fs::exists(sidecar, ec))
    throw InputError(fmt::format("{}: checkpoint not found", path.string()));
  CheckpointInfo info;
  const auto problem = checkpointProblem(sidecar, &info.meta);
  if (!problem.empty())
    throw InputError(fmt::format("{}: unusable checkpoint: {}", path.string(), problem));
  info.sidecar = sidecar;
  info.archive = sidecar.parent_path() / info.meta["archive"].get<std::string>();
  info.iteration = info.meta["iteration"].get<long long>();
  return info;
}

void writeCheckpointSidecar(const fs::path& archive, long long iteration, nlohmann::json meta) {
  meta["format"] = kCheckpointFormat;
  meta["iteration"] = iteration;
  meta["archive"] = archive.filename().string();
  meta["bytes"] = fs::file_size(archive);
  meta["crc32"] = fileCrc32(archive);
  fs::path sidecar = archive;
  sidecar.replace_extension(".json");
  writeFileAtomically(sidecar, meta.dump(2) + "\n");
}

}  // namespace bolo::nn
