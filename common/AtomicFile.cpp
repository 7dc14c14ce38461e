#include "common/AtomicFile.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
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

void syncFileOrThrow(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    throw RuntimeFailure(
        fmt::format("{}: cannot open to sync: {}", path.string(), std::strerror(errno)));
  // A full disk can surface only here (delayed allocation, NFS): a file that was not synced
  // must not be renamed into place.
  const int status = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (status != 0 && error != EINVAL && error != EROFS) {
    throw RuntimeFailure(
        fmt::format("{}: cannot write file: {}", path.string(), std::strerror(error)));
  }
}

namespace {

/// The first line of a library's message (LibTorch appends a multi-line backtrace).
std::string firstLine(const std::string& message) {
  const auto end = message.find('\n');
  return message.substr(0, std::min<std::size_t>(end, 300));
}

}  // namespace

void produceFileAtomically(const fs::path& path,
                           const std::function<void(const fs::path& tmp)>& writer) {
  const fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  std::error_code ec;
  fs::create_directories(dir, ec);
  const fs::path tmp = temporaryPathFor(path);
  try {
    writer(tmp);
    syncFileOrThrow(tmp);
    fs::rename(tmp, path);
  } catch (const fs::filesystem_error& e) {
    fs::remove(tmp, ec);
    throw RuntimeFailure(
        fmt::format("{}: cannot write file: {}", path.string(), e.code().message()));
  } catch (const Error&) {
    fs::remove(tmp, ec);
    throw;
  } catch (const std::exception& e) {
    // A library writer (LibTorch's archive, XGBoost) failing mid-write, typically for lack of
    // space: a run-time failure with its reason, not an internal error.
    fs::remove(tmp, ec);
    throw RuntimeFailure(
        fmt::format("{}: cannot write file: {}", path.string(), firstLine(e.what())));
  } catch (...) {
    fs::remove(tmp, ec);
    throw;
  }
  syncPath(dir);
}

void writeFileAtomically(const fs::path& path, const std::string& content) {
  produceFileAtomically(path, [&](const fs::path& tmp) {
    // POSIX writes rather than a stream, so that the reason of a failure (EFBIG, ENOSPC,
    // EDQUOT) reaches the message.
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
      throw RuntimeFailure(
          fmt::format("{}: cannot create file: {}", path.string(), std::strerror(errno)));
    }
    std::size_t done = 0;
    while (done < content.size()) {
      const auto n = ::write(fd, content.data() + done, content.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        const int error = n < 0 ? errno : ENOSPC;
        ::close(fd);
        throw RuntimeFailure(
            fmt::format("{}: cannot write file: {}", path.string(), std::strerror(error)));
      }
      done += static_cast<std::size_t>(n);
    }
    if (::close(fd) != 0) {
      throw RuntimeFailure(
          fmt::format("{}: cannot write file: {}", path.string(), std::strerror(errno)));
    }
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
