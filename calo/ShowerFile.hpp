#pragma once
// CaloChallenge shower files (HDF5): `incident_energies` (N,1) and `showers` (N,V), in MeV,
// float32 or float64, contiguous or chunked/compressed. Reading goes in row chunks so a
// multi-GB file never has to fit in memory; writing is atomic (temporary name, then rename).

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace bolo {

/// A block of consecutive showers, row-major: showers[i * voxels + v].
struct ShowerBatch {
  std::size_t voxels = 0;
  std::vector<double> incidentEnergies;  ///< MeV, one per shower
  std::vector<float> showers;            ///< MeV, size() * voxels values

  std::size_t size() const { return incidentEnergies.size(); }
  const float* row(std::size_t i) const { return showers.data() + i * voxels; }
  float* row(std::size_t i) { return showers.data() + i * voxels; }
};

enum class ShowerPrecision { kFloat32, kFloat64 };

/// Reads a shower file. Opening checks that both datasets exist with consistent shapes;
/// values are checked as they are read (NaN, inf, negative energies) unless disabled.
class ShowerFileReader {
 public:
  explicit ShowerFileReader(const std::filesystem::path& path, bool checkValues = true);
  /// Read a whole file held in memory (HDF5 core driver); `name` stands for the path in
  /// messages. For fuzzing and for files that arrive as bytes.
  static ShowerFileReader fromImage(const std::string& image, const std::string& name,
                                    bool checkValues = true);
  ~ShowerFileReader();
  ShowerFileReader(ShowerFileReader&&) noexcept;
  ShowerFileReader& operator=(ShowerFileReader&&) noexcept;

  std::size_t events() const;
  std::size_t voxels() const;
  ShowerPrecision precision() const;
  const std::filesystem::path& path() const;

  /// All incident energies (N values; small even for large files).
  std::vector<double> incidentEnergies() const;
  /// Rows [first, first + count).
  ShowerBatch read(std::size_t first, std::size_t count) const;
  /// The whole file (for files known to be small).
  ShowerBatch readAll() const { return read(0, events()); }
  /// Call `visit` on consecutive chunks of at most `chunkRows` rows.
  void forEachChunk(
      std::size_t chunkRows,
      const std::function<void(const ShowerBatch& chunk, std::size_t first)>& visit) const;

 private:
  struct Impl;
  explicit ShowerFileReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

struct ShowerWriterOptions {
  ShowerPrecision precision = ShowerPrecision::kFloat32;
  std::size_t chunkRows = 1000;  ///< HDF5 chunk height; rows per chunk
  int gzipLevel = 4;             ///< 0 disables compression
};

/// Writes a shower file by appending batches; the file appears under its final name only
/// when `close()` succeeds. Destroying an unclosed writer removes the temporary file.
class ShowerFileWriter {
 public:
  ShowerFileWriter(const std::filesystem::path& path, std::size_t voxels,
                   ShowerWriterOptions options = {});
  ~ShowerFileWriter();
  ShowerFileWriter(const ShowerFileWriter&) = delete;
  ShowerFileWriter& operator=(const ShowerFileWriter&) = delete;

  void append(const ShowerBatch& batch);
  std::size_t written() const;
  /// Flush, close, fsync and rename into place.
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

/// Write a whole batch to `path` (convenience for small files and tests).
void writeShowerFile(const std::filesystem::path& path, const ShowerBatch& batch,
                     ShowerWriterOptions options = {});

}  // namespace bolo
