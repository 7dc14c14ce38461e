#include "calo/ShowerFile.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <hdf5.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>

#include "calo/ShowerGeometry.hpp"
#include "common/AtomicFile.hpp"
#include "common/CheckedMath.hpp"
#include "common/Error.hpp"

namespace bolo {

namespace fs = std::filesystem;

namespace {

/// Owns one HDF5 identifier and closes it with the right function.
class Hid {
 public:
  Hid() = default;
  Hid(hid_t id, herr_t (*closer)(hid_t)) : m_id(id), m_closer(closer) {}
  ~Hid() { reset(); }
  Hid(Hid&& o) noexcept : m_id(o.m_id), m_closer(o.m_closer) { o.m_id = H5I_INVALID_HID; }
  Hid& operator=(Hid&& o) noexcept {
    if (this != &o) {
      reset();
      m_id = o.m_id;
      m_closer = o.m_closer;
      o.m_id = H5I_INVALID_HID;
    }
    return *this;
  }
  Hid(const Hid&) = delete;
  Hid& operator=(const Hid&) = delete;
  hid_t get() const { return m_id; }
  bool valid() const { return m_id >= 0; }
  void reset() { (void)close(); }
  /// Close now and return HDF5's status (a close may write, and fail on a full disk).
  herr_t close() {
    herr_t status = 0;
    if (m_id >= 0 && m_closer) status = m_closer(m_id);
    m_id = H5I_INVALID_HID;
    return status;
  }

 private:
  hid_t m_id = H5I_INVALID_HID;
  herr_t (*m_closer)(hid_t) = nullptr;
};

/// HDF5 prints its error stack to stderr by default; Bolo reports one line instead. Debian's
/// HDF5 is thread-safe, where the setting is per thread: writers run on worker threads too.
void silenceHdf5Errors() {
  thread_local const bool done = [] {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    return true;
  }();
  (void)done;
}

struct DatasetShape {
  std::size_t rows = 0;
  std::size_t cols = 0;
};

DatasetShape shapeOf(hid_t dataset, const std::string& where, bool allowRank1) {
  Hid space(H5Dget_space(dataset), H5Sclose);
  const int rank = H5Sget_simple_extent_ndims(space.get());
  hsize_t dims[2] = {0, 0};
  if (rank == 2) {
    H5Sget_simple_extent_dims(space.get(), dims, nullptr);
    return {dims[0], dims[1]};
  }
  if (rank == 1 && allowRank1) {
    H5Sget_simple_extent_dims(space.get(), dims, nullptr);
    return {dims[0], 1};
  }
  throw InputError(fmt::format("{}: expected a 2-dimensional dataset, got rank {}", where, rank));
}

/// Limits far above any CaloChallenge file (dataset 3 has 40,500 voxels) that keep a corrupted
/// or hostile header from making Bolo, or HDF5 inside H5Dread, allocate gigabytes. The voxel
/// limit is the geometry's (kMaxVoxels, ShowerGeometry.hpp): no usable file has more.
constexpr double kMaxChunkBytes = 256.0 * 1024 * 1024;

/// A chunked dataset's declared chunk must be of a size HDF5 can hold: HDF5 allocates a whole
/// chunk to read any row of it (found by fuzz_ShowerFile: 7 KB asking for 4 GB).
void checkChunkSize(hid_t dataset, const std::string& where) {
  Hid plist(H5Dget_create_plist(dataset), H5Pclose);
  if (!plist.valid() || H5Pget_layout(plist.get()) != H5D_CHUNKED) return;
  hsize_t dims[H5S_MAX_RANK] = {};
  const int rank = H5Pget_chunk(plist.get(), H5S_MAX_RANK, dims);
  Hid type(H5Dget_type(dataset), H5Tclose);
  double bytes = static_cast<double>(std::max<std::size_t>(1, H5Tget_size(type.get())));
  for (int i = 0; i < rank; ++i) bytes *= static_cast<double>(dims[i]);
  if (rank <= 0 || bytes > kMaxChunkBytes)
    throw InputError(fmt::format("{}: implausible chunk size (corrupted file?)", where));
}

void checkFloatType(hid_t dataset, const std::string& where) {
  Hid type(H5Dget_type(dataset), H5Tclose);
  const auto cls = H5Tget_class(type.get());
  if (cls != H5T_FLOAT && cls != H5T_INTEGER) {
    throw InputError(fmt::format("{}: expected floating-point values", where));
  }
}

}  // namespace

struct ShowerFileReader::Impl {
  fs::path path;
  Hid file, energies, showers;
  std::size_t events = 0, voxels = 0;
  bool energiesRank1 = false;
  ShowerPrecision precision = ShowerPrecision::kFloat32;
  bool checkValues = true;

  void readRows(hid_t dataset, std::size_t first, std::size_t count, std::size_t cols,
                hid_t memType, void* out, bool rank1) const {
    Hid fileSpace(H5Dget_space(dataset), H5Sclose);
    herr_t status;
    if (rank1) {
      hsize_t start[1] = {first}, extent[1] = {count};
      status =
          H5Sselect_hyperslab(fileSpace.get(), H5S_SELECT_SET, start, nullptr, extent, nullptr);
      Hid memSpace(H5Screate_simple(1, extent, nullptr), H5Sclose);
      if (status >= 0)
        status = H5Dread(dataset, memType, memSpace.get(), fileSpace.get(), H5P_DEFAULT, out);
    } else {
      hsize_t start[2] = {first, 0}, extent[2] = {count, cols};
      status =
          H5Sselect_hyperslab(fileSpace.get(), H5S_SELECT_SET, start, nullptr, extent, nullptr);
      Hid memSpace(H5Screate_simple(2, extent, nullptr), H5Sclose);
      if (status >= 0)
        status = H5Dread(dataset, memType, memSpace.get(), fileSpace.get(), H5P_DEFAULT, out);
    }
    if (status < 0) {
      throw InputError(fmt::format("{}: cannot read rows {}..{} (file truncated or corrupted?)",
                                   path.string(), first, first + count));
    }
  }

  /// Open both datasets of the open `file` and check their types and shapes.
  void openDatasets() {
    const std::string name = path.string();
    for (const char* ds : {"incident_energies", "showers"}) {
      if (H5Lexists(file.get(), ds, H5P_DEFAULT) <= 0) {
        throw InputError(fmt::format("{}: missing dataset '{}'", name, ds));
      }
    }
    energies = Hid(H5Dopen2(file.get(), "incident_energies", H5P_DEFAULT), H5Dclose);
    showers = Hid(H5Dopen2(file.get(), "showers", H5P_DEFAULT), H5Dclose);
    if (!energies.valid() || !showers.valid()) {
      throw InputError(fmt::format("{}: cannot open datasets (corrupted file?)", name));
    }
    checkFloatType(energies.get(), name + ": incident_energies");
    checkFloatType(showers.get(), name + ": showers");
    Hid energySpace(H5Dget_space(energies.get()), H5Sclose);
    energiesRank1 = H5Sget_simple_extent_ndims(energySpace.get()) == 1;
    const auto e = shapeOf(energies.get(), name + ": incident_energies", true);
    const auto s = shapeOf(showers.get(), name + ": showers", false);
    if (e.cols != 1) {
      throw InputError(fmt::format("{}: incident_energies must have shape (N,1), got ({},{})", name,
                                   e.rows, e.cols));
    }
    if (e.rows != s.rows) {
      throw InputError(fmt::format("{}: incident_energies has {} rows but showers has {}", name,
                                   e.rows, s.rows));
    }
    if (s.cols == 0) throw InputError(fmt::format("{}: showers has no voxels", name));
    if (s.cols > kMaxVoxels)
      throw InputError(
          fmt::format("{}: showers has {} voxels per row (corrupted file?)", name, s.cols));
    checkChunkSize(energies.get(), name + ": incident_energies");
    checkChunkSize(showers.get(), name + ": showers");
    events = s.rows;
    voxels = s.cols;
    Hid type(H5Dget_type(showers.get()), H5Tclose);
    precision =
        H5Tget_size(type.get()) >= 8 ? ShowerPrecision::kFloat64 : ShowerPrecision::kFloat32;
  }
};

ShowerFileReader::ShowerFileReader(const fs::path& path, bool checkValues)
    : m_impl(std::make_unique<Impl>()) {
  silenceHdf5Errors();
  auto& d = *m_impl;
  d.path = path;
  d.checkValues = checkValues;
  const std::string name = path.string();
  if (!fs::exists(path)) throw InputError(fmt::format("{}: file not found", name));
  if (H5Fis_hdf5(name.c_str()) <= 0) {
    throw InputError(fmt::format("{}: not an HDF5 file (or truncated)", name));
  }
  d.file = Hid(H5Fopen(name.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!d.file.valid())
    throw InputError(fmt::format("{}: cannot open HDF5 file (truncated?)", name));
  d.openDatasets();
}

ShowerFileReader::ShowerFileReader(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}

ShowerFileReader ShowerFileReader::fromImage(const std::string& image, const std::string& name,
                                             bool checkValues) {
  silenceHdf5Errors();
  auto impl = std::make_unique<Impl>();
  impl->path = name;
  impl->checkValues = checkValues;
  if (image.empty()) throw InputError(fmt::format("{}: empty file", name));
  // The core driver without a backing store reads the image from memory only; HDF5 copies it.
  Hid access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  if (!access.valid() || H5Pset_fapl_core(access.get(), 64 * 1024, false) < 0 ||
      H5Pset_file_image(access.get(), const_cast<char*>(image.data()), image.size()) < 0) {
    throw RuntimeFailure(fmt::format("{}: cannot set up an in-memory HDF5 file", name));
  }
  impl->file = Hid(H5Fopen(name.c_str(), H5F_ACC_RDONLY, access.get()), H5Fclose);
  if (!impl->file.valid())
    throw InputError(fmt::format("{}: not an HDF5 file (or truncated)", name));
  impl->openDatasets();
  return ShowerFileReader(std::move(impl));
}

ShowerFileReader::~ShowerFileReader() = default;
ShowerFileReader::ShowerFileReader(ShowerFileReader&&) noexcept = default;
ShowerFileReader& ShowerFileReader::operator=(ShowerFileReader&&) noexcept = default;

std::size_t ShowerFileReader::events() const {
  return m_impl->events;
}
std::size_t ShowerFileReader::voxels() const {
  return m_impl->voxels;
}
ShowerPrecision ShowerFileReader::precision() const {
  return m_impl->precision;
}
const fs::path& ShowerFileReader::path() const {
  return m_impl->path;
}

std::vector<double> ShowerFileReader::incidentEnergies() const {
  const auto& d = *m_impl;
  std::vector<double> out(d.events);
  if (d.events)
    d.readRows(d.energies.get(), 0, d.events, 1, H5T_NATIVE_DOUBLE, out.data(), d.energiesRank1);
  if (d.checkValues) {
    for (std::size_t i = 0; i < out.size(); ++i) {
      if (!std::isfinite(out[i]) || out[i] <= 0) {
        throw InputError(
            fmt::format("{}: incident_energies[{}] = {} is not a positive finite energy",
                        d.path.string(), i, out[i]));
      }
    }
  }
  return out;
}

ShowerBatch ShowerFileReader::read(std::size_t first, std::size_t count) const {
  const auto& d = *m_impl;
  if (first > d.events || count > d.events - first) {
    throw InputError(fmt::format("{}: rows {}..{} out of range (file has {})", d.path.string(),
                                 first, first + count, d.events));
  }
  const auto values = checkedMultiply(count, d.voxels);
  if (!values) {
    throw InputError(fmt::format("{}: {} rows of {} voxels do not fit in memory", d.path.string(),
                                 count, d.voxels));
  }
  ShowerBatch batch;
  batch.voxels = d.voxels;
  batch.incidentEnergies.resize(count);
  batch.showers.resize(*values);
  if (count == 0) return batch;
  d.readRows(d.energies.get(), first, count, 1, H5T_NATIVE_DOUBLE, batch.incidentEnergies.data(),
             d.energiesRank1);
  d.readRows(d.showers.get(), first, count, d.voxels, H5T_NATIVE_FLOAT, batch.showers.data(),
             false);
  if (d.checkValues) {
    for (std::size_t i = 0; i < count; ++i) {
      const double e = batch.incidentEnergies[i];
      if (!std::isfinite(e) || e <= 0) {
        throw InputError(
            fmt::format("{}: incident_energies[{}] = {} is not a positive finite energy",
                        d.path.string(), first + i, e));
      }
      const float* row = batch.row(i);
      for (std::size_t v = 0; v < d.voxels; ++v) {
        if (!std::isfinite(row[v])) {
          throw InputError(
              fmt::format("{}: showers[{}][{}] is {}", d.path.string(), first + i, v, row[v]));
        }
        if (row[v] < 0) {
          throw InputError(fmt::format("{}: showers[{}][{}] = {} is a negative energy",
                                       d.path.string(), first + i, v, row[v]));
        }
      }
    }
  }
  return batch;
}

void ShowerFileReader::forEachChunk(
    std::size_t chunkRows,
    const std::function<void(const ShowerBatch&, std::size_t)>& visit) const {
  if (chunkRows == 0) chunkRows = 1;
  for (std::size_t first = 0; first < events(); first += chunkRows) {
    visit(read(first, std::min(chunkRows, events() - first)), first);
  }
}

struct ShowerFileWriter::Impl {
  fs::path path, tmp;
  std::size_t voxels = 0, written = 0;
  ShowerWriterOptions options;
  Hid file, energies, showers;
  bool closed = false;
  /// A write or flush failed: HDF5 holds chunks it cannot write (see abandon()).
  mutable bool writeFailed = false;

  Hid createDataset(const char* name, std::size_t cols) {
    hsize_t dims[2] = {0, cols}, maxDims[2] = {H5S_UNLIMITED, cols};
    Hid space(H5Screate_simple(2, dims, maxDims), H5Sclose);
    Hid props(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
    hsize_t chunk[2] = {std::max<std::size_t>(1, options.chunkRows), cols};
    H5Pset_chunk(props.get(), 2, chunk);
    if (options.gzipLevel > 0) {
      H5Pset_shuffle(props.get());
      H5Pset_deflate(props.get(), static_cast<unsigned>(options.gzipLevel));
    }
    const hid_t type =
        options.precision == ShowerPrecision::kFloat64 ? H5T_IEEE_F64LE : H5T_IEEE_F32LE;
    Hid ds(H5Dcreate2(file.get(), name, type, space.get(), H5P_DEFAULT, props.get(), H5P_DEFAULT),
           H5Dclose);
    if (!ds.valid())
      throw RuntimeFailure(fmt::format("{}: cannot create dataset {}", tmp.string(), name));
    return ds;
  }

  /// Drop the unfinished file. After a failed write HDF5 still holds dirty chunks that every
  /// close tries to write again; the IDs then stay half-open and HDF5 1.10 crashes on them at
  /// exit (SIGSEGV in H5F__close_cb after Bolo's error message). The file is being discarded,
  /// so its descriptor is pointed at /dev/null first: the pending writes succeed into nothing
  /// and every close completes. Only then: a file abandoned for another reason (a rejected
  /// batch) closes normally, and on /dev/null its close (which truncates the file) would fail
  /// and leave the same half-open IDs behind.
  void abandon() {
    silenceHdf5Errors();
    void* handle = nullptr;
    if (writeFailed && file.valid() && H5Fget_vfd_handle(file.get(), H5P_DEFAULT, &handle) >= 0 &&
        handle) {
      const int sink = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
      if (sink >= 0) {
        ::dup2(sink, *static_cast<int*>(handle));
        ::close(sink);
      }
    }
    showers.reset();
    energies.reset();
    file.reset();
    std::error_code ec;
    fs::remove(tmp, ec);
  }

  /// HDF5 does not say why a write failed; the system's last error (EFBIG, ENOSPC) does.
  RuntimeFailure writeFailure() const {
    const int error = errno;
    writeFailed = true;
    return RuntimeFailure(fmt::format("{}: cannot write file: {}", path.string(),
                                      error != 0 ? std::strerror(error) : "HDF5 write failed"));
  }

  void appendRows(hid_t dataset, std::size_t cols, hid_t memType, const void* data,
                  std::size_t rows) {
    hsize_t newDims[2] = {written + rows, cols};
    if (H5Dset_extent(dataset, newDims) < 0)
      throw RuntimeFailure(fmt::format("{}: cannot extend dataset", tmp.string()));
    Hid fileSpace(H5Dget_space(dataset), H5Sclose);
    hsize_t start[2] = {written, 0}, extent[2] = {rows, cols};
    H5Sselect_hyperslab(fileSpace.get(), H5S_SELECT_SET, start, nullptr, extent, nullptr);
    Hid memSpace(H5Screate_simple(2, extent, nullptr), H5Sclose);
    if (H5Dwrite(dataset, memType, memSpace.get(), fileSpace.get(), H5P_DEFAULT, data) < 0)
      throw writeFailure();
  }
};

namespace {

/// The checks ShowerFileReader::read makes, applied before writing: a file Bolo writes is
/// a file Bolo reads. `firstRow` numbers the rows as they will be in the file.
void checkWritable(const ShowerBatch& batch, std::size_t firstRow, ShowerPrecision precision,
                   const fs::path& path) {
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const double e = batch.incidentEnergies[i];
    // Stored as float32, 1e300 becomes inf and 1e-300 becomes 0: check the stored value.
    const double stored = precision == ShowerPrecision::kFloat32 ? static_cast<float>(e) : e;
    if (!std::isfinite(e) || !std::isfinite(stored) || !(stored > 0)) {
      throw RuntimeFailure(fmt::format(
          "{}: refusing to write incident_energies[{}] = {}: not a positive finite energy at the "
          "file's precision",
          path.string(), firstRow + i, e));
    }
    const float* row = batch.row(i);
    for (std::size_t v = 0; v < batch.voxels; ++v) {
      if (!std::isfinite(row[v]) || row[v] < 0) {
        throw RuntimeFailure(
            fmt::format("{}: refusing to write showers[{}][{}] = {}: not a finite energy >= 0",
                        path.string(), firstRow + i, v, row[v]));
      }
    }
  }
}

}  // namespace

ShowerFileWriter::ShowerFileWriter(const fs::path& path, std::size_t voxels,
                                   ShowerWriterOptions options)
    : m_impl(std::make_unique<Impl>()) {
  silenceHdf5Errors();
  auto& d = *m_impl;
  if (voxels == 0) throw InputError("shower writer: voxel count must be positive");
  if (options.gzipLevel < 0 || options.gzipLevel > 9)
    throw InputError("shower writer: gzip level must be 0..9");
  d.path = path;
  d.voxels = voxels;
  d.options = options;
  if (!path.parent_path().empty()) fs::create_directories(path.parent_path());
  d.tmp = temporaryPathFor(path);
  d.file = Hid(H5Fcreate(d.tmp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose);
  if (!d.file.valid())
    throw RuntimeFailure(fmt::format("{}: cannot create HDF5 file", d.tmp.string()));
  d.energies = d.createDataset("incident_energies", 1);
  d.showers = d.createDataset("showers", voxels);
}

ShowerFileWriter::~ShowerFileWriter() {
  if (m_impl && !m_impl->closed) m_impl->abandon();
}

void ShowerFileWriter::append(const ShowerBatch& batch) {
  silenceHdf5Errors();
  auto& d = *m_impl;
  if (d.closed) throw RuntimeFailure("shower writer: append after close");
  if (batch.voxels != d.voxels || batch.showers.size() != batch.size() * d.voxels) {
    throw InputError(
        fmt::format("shower writer: batch has {} voxels, file has {}", batch.voxels, d.voxels));
  }
  if (batch.size() == 0) return;
  if (d.options.checkValues) checkWritable(batch, d.written, d.options.precision, d.path);
  d.appendRows(d.energies.get(), 1, H5T_NATIVE_DOUBLE, batch.incidentEnergies.data(), batch.size());
  d.appendRows(d.showers.get(), d.voxels, H5T_NATIVE_FLOAT, batch.showers.data(), batch.size());
  d.written += batch.size();
}

std::size_t ShowerFileWriter::written() const {
  return m_impl->written;
}

void ShowerFileWriter::close() {
  auto& d = *m_impl;
  if (d.closed) return;
  silenceHdf5Errors();
  // The flush writes the cached chunks and metadata while every ID is still open, so that a
  // failure leaves the destructor a file it can abandon cleanly; the closes are checked too.
  // A file the disk could not take is removed, never renamed into place.
  errno = 0;
  if (H5Fflush(d.file.get(), H5F_SCOPE_GLOBAL) < 0) throw d.writeFailure();
  if (d.showers.close() < 0 || d.energies.close() < 0 || d.file.close() < 0) throw d.writeFailure();
  syncFileOrThrow(d.tmp);
  fs::rename(d.tmp, d.path);
  syncPath(d.path.parent_path().empty() ? fs::path(".") : d.path.parent_path());
  d.closed = true;
}

void writeShowerFile(const fs::path& path, const ShowerBatch& batch, ShowerWriterOptions options) {
  ShowerFileWriter writer(path, batch.voxels, options);
  writer.append(batch);
  writer.close();
}

}  // namespace bolo
