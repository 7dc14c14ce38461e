#include "ftag/JetFile.hpp"

#include <fmt/format.h>
#include <hdf5.h>

#include "common/AtomicFile.hpp"
#include "common/ConfigReader.hpp"
#include "common/Error.hpp"

namespace bolo {

namespace fs = std::filesystem;

namespace {

/// Owns one HDF5 identifier.
class Hid {
 public:
  Hid(hid_t id, herr_t (*closer)(hid_t)) : m_id(id), m_closer(closer) {}
  ~Hid() {
    if (m_id >= 0) m_closer(m_id);
  }
  Hid(Hid&& other) noexcept : m_id(other.m_id), m_closer(other.m_closer) {
    other.m_id = H5I_INVALID_HID;
  }
  Hid(const Hid&) = delete;
  Hid& operator=(const Hid&) = delete;
  Hid& operator=(Hid&&) = delete;
  hid_t get() const { return m_id; }
  bool valid() const { return m_id >= 0; }

 private:
  hid_t m_id;
  herr_t (*m_closer)(hid_t);
};

void silenceHdf5Errors() {
  static const bool done = [] {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    return true;
  }();
  (void)done;
}

void writeDataset(hid_t parent, const char* name, hid_t fileType, hid_t memType, const void* data,
                  std::size_t rows, std::size_t cols, const fs::path& where) {
  const int rank = cols == 0 ? 1 : 2;
  hsize_t dims[2] = {rows, cols};
  Hid space(H5Screate_simple(rank, dims, nullptr), H5Sclose);
  Hid props(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
  if (rows > 0) {
    hsize_t chunk[2] = {std::min<hsize_t>(rows, 4096), cols};
    H5Pset_chunk(props.get(), rank, chunk);
    H5Pset_shuffle(props.get());
    H5Pset_deflate(props.get(), 4);
  }
  Hid ds(H5Dcreate2(parent, name, fileType, space.get(), H5P_DEFAULT, props.get(), H5P_DEFAULT),
         H5Dclose);
  if (!ds.valid() ||
      (rows > 0 && H5Dwrite(ds.get(), memType, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)) {
    throw RuntimeFailure(
        fmt::format("{}: cannot write dataset {} (disk full?)", where.string(), name));
  }
}

void writeStringAttribute(hid_t object, const char* name, const std::string& value,
                          const fs::path& where) {
  Hid type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), std::max<std::size_t>(1, value.size()));
  Hid space(H5Screate(H5S_SCALAR), H5Sclose);
  Hid attr(H5Acreate2(object, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  if (!attr.valid() || H5Awrite(attr.get(), type.get(), value.c_str()) < 0) {
    throw RuntimeFailure(fmt::format("{}: cannot write attribute {}", where.string(), name));
  }
}

std::string readStringAttribute(hid_t object, const char* name, const fs::path& where) {
  if (H5Aexists(object, name) <= 0)
    throw InputError(fmt::format("{}: missing attribute '{}'", where.string(), name));
  Hid attr(H5Aopen(object, name, H5P_DEFAULT), H5Aclose);
  Hid type(H5Aget_type(attr.get()), H5Tclose);
  if (H5Tget_class(type.get()) != H5T_STRING || H5Tis_variable_str(type.get()) > 0) {
    throw InputError(
        fmt::format("{}: attribute '{}' is not a fixed-length string", where.string(), name));
  }
  std::string value(H5Tget_size(type.get()), '\0');
  if (H5Aread(attr.get(), type.get(), value.data()) < 0) {
    throw InputError(fmt::format("{}: cannot read attribute '{}'", where.string(), name));
  }
  return value.substr(0, value.find('\0'));
}

Hid openFile(const fs::path& path) {
  silenceHdf5Errors();
  const std::string name = path.string();
  if (!fs::exists(path)) throw InputError(fmt::format("{}: file not found", name));
  if (H5Fis_hdf5(name.c_str()) <= 0)
    throw InputError(fmt::format("{}: not an HDF5 file (or truncated)", name));
  Hid file(H5Fopen(name.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!file.valid()) throw InputError(fmt::format("{}: cannot open HDF5 file (truncated?)", name));
  return file;
}

/// Read a (rows, cols) dataset (cols == 0: rank 1) of numbers converted to `memType`.
template <typename T>
std::vector<T> readDataset(hid_t parent, const std::string& name, hid_t memType, std::size_t& rows,
                           std::size_t& cols, const fs::path& where) {
  if (H5Lexists(parent, name.c_str(), H5P_DEFAULT) <= 0) {
    throw InputError(fmt::format("{}: missing dataset '{}'", where.string(), name));
  }
  Hid ds(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose);
  Hid space(H5Dget_space(ds.get()), H5Sclose);
  const int rank = H5Sget_simple_extent_ndims(space.get());
  hsize_t dims[2] = {0, 0};
  if (rank < 1 || rank > 2)
    throw InputError(fmt::format("{}: dataset '{}' has rank {}", where.string(), name, rank));
  H5Sget_simple_extent_dims(space.get(), dims, nullptr);
  rows = dims[0];
  cols = rank == 2 ? dims[1] : 0;
  std::vector<T> out(rows * std::max<std::size_t>(1, cols));
  if (!out.empty() && H5Dread(ds.get(), memType, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) < 0) {
    throw InputError(
        fmt::format("{}: cannot read dataset '{}' (corrupted?)", where.string(), name));
  }
  return out;
}

void checkLabels(const std::vector<int>& labels, int classes, const fs::path& where) {
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] < 0 || labels[i] >= classes) {
      throw InputError(fmt::format("{}: label {} of jet {} is not 0 (b), 1 (c) or 2 (light)",
                                   where.string(), labels[i], i));
    }
  }
}

}  // namespace

const std::vector<std::string>& jetSplitNames() {
  static const std::vector<std::string> names = {"train", "validation", "test"};
  return names;
}

void writeJetFile(const fs::path& path, const JetSplits& splits, const nlohmann::json& generator) {
  silenceHdf5Errors();
  nlohmann::json names = nlohmann::json::array();
  for (const auto& v : jetVariables()) names.push_back(v.name);
  produceFileAtomically(path, [&](const fs::path& tmp) {
    Hid file(H5Fcreate(tmp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose);
    if (!file.valid())
      throw RuntimeFailure(fmt::format("{}: cannot create HDF5 file", tmp.string()));
    writeStringAttribute(file.get(), "variables", names.dump(), tmp);
    writeStringAttribute(file.get(), "generator", generator.dump(), tmp);
    const JetSample* samples[] = {&splits.train, &splits.validation, &splits.test};
    for (std::size_t s = 0; s < 3; ++s) {
      const JetSample& sample = *samples[s];
      Hid group(
          H5Gcreate2(file.get(), jetSplitNames()[s].c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
          H5Gclose);
      writeDataset(group.get(), "features", H5T_IEEE_F32LE, H5T_NATIVE_FLOAT,
                   sample.features.data(), sample.size(), sample.variables, tmp);
      writeDataset(group.get(), "labels", H5T_STD_I32LE, H5T_NATIVE_INT, sample.labels.data(),
                   sample.size(), 0, tmp);
    }
    if (H5Fflush(file.get(), H5F_SCOPE_GLOBAL) < 0)
      throw RuntimeFailure(fmt::format("{}: flush failed", tmp.string()));
  });
}

JetSample readJetSplit(const fs::path& path, const std::string& split) {
  const Hid file = openFile(path);
  const auto names =
      parseJson(readStringAttribute(file.get(), "variables", path), path.string() + ": variables");
  nlohmann::json expected = nlohmann::json::array();
  for (const auto& v : jetVariables()) expected.push_back(v.name);
  if (names != expected) {
    throw InputError(
        fmt::format("{}: its variables are not the DL1 variables of this bolo version "
                    "(regenerate it with 'bolo jets')",
                    path.string()));
  }
  if (H5Lexists(file.get(), split.c_str(), H5P_DEFAULT) <= 0) {
    throw InputError(fmt::format("{}: missing split '{}'", path.string(), split));
  }
  Hid group(H5Gopen2(file.get(), split.c_str(), H5P_DEFAULT), H5Gclose);
  JetSample sample;
  std::size_t rows = 0, cols = 0, labelRows = 0, labelCols = 0;
  sample.features = readDataset<float>(group.get(), "features", H5T_NATIVE_FLOAT, rows, cols, path);
  sample.labels =
      readDataset<int>(group.get(), "labels", H5T_NATIVE_INT, labelRows, labelCols, path);
  if (cols != expected.size() || labelRows != rows || labelCols != 0) {
    throw InputError(
        fmt::format("{}: {} has features ({}, {}) and {} labels; expected ({}, {}) and {}",
                    path.string(), split, rows, cols, labelRows, rows, expected.size(), rows));
  }
  sample.variables = cols;
  if (rows == 0) sample.features.clear();
  checkLabels(sample.labels, kFlavourCount, path);
  return sample;
}

nlohmann::json readJetFileGenerator(const fs::path& path) {
  const Hid file = openFile(path);
  return parseJson(readStringAttribute(file.get(), "generator", path),
                   path.string() + ": generator");
}

void writeScoreFile(const fs::path& path, const TaggerScores& scores) {
  silenceHdf5Errors();
  if (scores.probabilities.size() != scores.size() * scores.classes) {
    throw RuntimeFailure("score file: probabilities and labels disagree in size");
  }
  produceFileAtomically(path, [&](const fs::path& tmp) {
    Hid file(H5Fcreate(tmp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose);
    if (!file.valid())
      throw RuntimeFailure(fmt::format("{}: cannot create HDF5 file", tmp.string()));
    writeDataset(file.get(), "probabilities", H5T_IEEE_F32LE, H5T_NATIVE_FLOAT,
                 scores.probabilities.data(), scores.size(), scores.classes, tmp);
    writeDataset(file.get(), "labels", H5T_STD_I32LE, H5T_NATIVE_INT, scores.labels.data(),
                 scores.size(), 0, tmp);
  });
}

TaggerScores readScoreFile(const fs::path& path) {
  const Hid file = openFile(path);
  TaggerScores scores;
  std::size_t rows = 0, cols = 0, labelRows = 0, labelCols = 0;
  scores.probabilities =
      readDataset<float>(file.get(), "probabilities", H5T_NATIVE_FLOAT, rows, cols, path);
  scores.labels =
      readDataset<int>(file.get(), "labels", H5T_NATIVE_INT, labelRows, labelCols, path);
  if (cols == 0 || labelRows != rows) {
    throw InputError(fmt::format("{}: probabilities ({}, {}) do not match {} labels", path.string(),
                                 rows, cols, labelRows));
  }
  scores.classes = cols;
  checkLabels(scores.labels, kFlavourCount, path);
  return scores;
}

}  // namespace bolo
