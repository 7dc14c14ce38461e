#pragma once
// Writing LibTorch archives atomically (common/AtomicFile) so that a failed write, typically a
// full disk, is a RuntimeFailure naming the file and the reason. LibTorch's own file writer
// cannot be used for that: after a failed write its destructor throws again while the first
// exception unwinds, and the program terminates (exit 134, no checkpoint message, the
// temporary file left behind). Torch-free header: the archive is forward-declared.

#include <filesystem>

namespace torch::serialize {
class OutputArchive;
}

namespace bolo::nn {

/// Save `archive` to `path` through a temporary file, fsync and rename.
void saveArchiveAtomically(torch::serialize::OutputArchive& archive,
                           const std::filesystem::path& path);

}  // namespace bolo::nn
