#include "calo/nn/Checkpoint.hpp"

#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <mutex>
#include <set>

#include "calo/CheckpointRecord.hpp"
#include "common/AtomicFile.hpp"
#include "common/ConfigReader.hpp"
#include "common/Error.hpp"
#include "common/Log.hpp"

namespace bolo::nn {

namespace fs = std::filesystem;

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
  CheckpointRecord record;
  try {
    record = parseCheckpointSidecar(readFile(sidecar));
  } catch (const InputError& e) {
    return e.what();
  }
  const fs::path archive = sidecar.parent_path() / record.archive;
  std::error_code ec;
  const auto size = fs::file_size(archive, ec);
  if (ec) return fmt::format("archive {} missing", record.archive);
  if (size != record.bytes) {
    return fmt::format("archive has {} bytes, sidecar records {} (truncated?)", size, record.bytes);
  }
  if (fileCrc32(archive) != record.crc32) return "archive crc32 does not match (corrupted)";
  if (metaOut) *metaOut = std::move(record.meta);
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

std::size_t removeStaleTemporaries(const fs::path& dir) {
  std::size_t removed = 0;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return 0;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const auto name = entry.path().filename().string();
    const auto tag = name.find(".tmp.");
    if (name.rfind(".iter_", 0) != 0 || tag == std::string::npos) continue;
    // temporaryPathFor() names: .<file>.tmp.<pid>.<counter>
    const auto digits = name.substr(tag + 5, name.find('.', tag + 5) - (tag + 5));
    if (digits.empty() || digits.size() > 9 ||
        digits.find_first_not_of("0123456789") != std::string::npos)
      continue;
    const auto pid = static_cast<pid_t>(std::stol(digits));
    if (pid == ::getpid() || pid <= 0 || ::kill(pid, 0) == 0 || errno != ESRCH) continue;
    removed += fs::remove(entry.path(), ec) ? 1 : 0;
  }
  return removed;
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
