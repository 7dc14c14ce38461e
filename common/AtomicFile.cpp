#include "common/AtomicFile.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "common/Error.hpp"

namespace bolo {

namespace fs = std::filesystem;

fs::path temporaryPathFor(const fs::path& path) {
  static std::atomic<unsigned> counter{0};
  const auto name = fmt::format(".{}.tmp.{}.{}", path.filename().string(), ::getpid(), counter++);
  return path.parent_path() / name;
}

void syncPath(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

void produceFileAtomically(const fs::path& path,
                           const std::function<void(const fs::path& tmp)>& writer) {
  const fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  std::error_code ec;
  fs::create_directories(dir, ec);
  const fs::path tmp = temporaryPathFor(path);
  try {
    writer(tmp);
    syncPath(tmp);
    fs::rename(tmp, path);
  } catch (const fs::filesystem_error& e) {
    fs::remove(tmp, ec);
    throw RuntimeFailure(
        fmt::format("{}: cannot write file: {}", path.string(), e.code().message()));
  } catch (...) {
    fs::remove(tmp, ec);
    throw;
  }
  syncPath(dir);
}

void writeFileAtomically(const fs::path& path, const std::string& content) {
  produceFileAtomically(path, [&](const fs::path& tmp) {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) {
      throw RuntimeFailure(
          fmt::format("{}: cannot create file: {}", tmp.string(), std::strerror(errno)));
    }
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.flush();
    if (!out) throw RuntimeFailure(fmt::format("{}: write failed (disk full?)", tmp.string()));
  });
}

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot open file", path.string()));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace bolo
