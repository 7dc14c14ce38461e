#include <gtest/gtest.h>

#include "common/AtomicFile.hpp"
#include "common/Error.hpp"
#include "support/TempDir.hpp"

namespace fs = std::filesystem;

TEST(AtomicFile, WritesAndReplaces) {
  bolo::test::TempDir dir;
  bolo::writeFileAtomically(dir / "sub/a.txt", "first");
  EXPECT_EQ(bolo::readFile(dir / "sub/a.txt"), "first");
  bolo::writeFileAtomically(dir / "sub/a.txt", "second");
  EXPECT_EQ(bolo::readFile(dir / "sub/a.txt"), "second");
}

TEST(AtomicFile, FailedWriterLeavesTargetUntouchedAndNoTemporary) {
  bolo::test::TempDir dir;
  bolo::writeFileAtomically(dir / "b.txt", "kept");
  EXPECT_THROW(bolo::produceFileAtomically(dir / "b.txt",
                                           [](const fs::path& tmp) {
                                             bolo::writeFileAtomically(tmp, "partial");
                                             throw bolo::RuntimeFailure("writer died");
                                           }),
               bolo::RuntimeFailure);
  EXPECT_EQ(bolo::readFile(dir / "b.txt"), "kept");
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path())) ++files;
  EXPECT_EQ(files, 1u);
}

TEST(AtomicFile, ReadingAMissingFileIsAnInputError) {
  EXPECT_THROW(bolo::readFile("/nonexistent/file"), bolo::InputError);
}
