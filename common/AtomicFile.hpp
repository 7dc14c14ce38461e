#pragma once
// Files that are either complete or absent: written to a temporary name in the same
// directory, fsynced, then renamed over the target. A killed run never leaves a half file
// under the final name.

#include <filesystem>
#include <functional>
#include <string>

namespace bolo {

/// Write `content` to `path` atomically (temp file + fsync + rename + directory fsync).
void writeFileAtomically(const std::filesystem::path& path, const std::string& content);

/// Let `writer` produce a file at a temporary path, then fsync and rename it to `path`.
/// If `writer` or the fsync fails, the temporary file is removed, `path` is untouched, and the
/// error is a bolo::Error: a library exception (e.g. LibTorch's, on a full disk) becomes a
/// RuntimeFailure naming the file and the reason.
void produceFileAtomically(const std::filesystem::path& path,
                           const std::function<void(const std::filesystem::path& tmp)>& writer);

/// The temporary name used for `path` (same directory, hidden, unique per process).
std::filesystem::path temporaryPathFor(const std::filesystem::path& path);

/// Read a whole file; InputError if it cannot be opened.
std::string readFile(const std::filesystem::path& path);

/// fsync an existing file or directory (no-op where unsupported).
void syncPath(const std::filesystem::path& path);
/// fsync a file that is about to be renamed into place; RuntimeFailure with the reason if the
/// data did not reach the disk (full disk, quota).
void syncFileOrThrow(const std::filesystem::path& path);

}  // namespace bolo
