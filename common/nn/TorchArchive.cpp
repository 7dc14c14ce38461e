#include "common/nn/TorchArchive.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <torch/torch.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/AtomicFile.hpp"
#include "common/Error.hpp"

namespace bolo::nn {

void saveArchiveAtomically(torch::serialize::OutputArchive& archive,
                           const std::filesystem::path& path) {
  produceFileAtomically(path, [&](const std::filesystem::path& tmp) {
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
      throw RuntimeFailure(
          fmt::format("{}: cannot create file: {}", path.string(), std::strerror(errno)));
    }
    // LibTorch's writer must never see a failure (see the header): the first error is kept,
    // the rest of the archive is dropped, and the error is reported once the writer is done.
    int error = 0;
    archive.save_to([&](const void* data, std::size_t size) -> std::size_t {
      const char* bytes = static_cast<const char*>(data);
      std::size_t left = size;
      while (error == 0 && left > 0) {
        const auto n = ::write(fd, bytes, left);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
          error = n < 0 ? errno : ENOSPC;
          break;
        }
        bytes += n;
        left -= static_cast<std::size_t>(n);
      }
      return size;
    });
    if (::close(fd) != 0 && error == 0) error = errno;
    if (error != 0) {
      throw RuntimeFailure(
          fmt::format("{}: cannot write file: {}", path.string(), std::strerror(error)));
    }
  });
}

}  // namespace bolo::nn
