#pragma once
// Run an ONNX model with ONNX Runtime through tests/support/run_onnx.js: Debian has no ONNX
// Runtime, the npm package onnxruntime-node (scripts/install-deps.sh test) carries its CPU
// library. A missing node or package is a failure, not a skip: the test profile installs them.

#include <fmt/format.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/AtomicFile.hpp"
#include "common/Subprocess.hpp"

namespace bolo::test {

struct OnnxOutput {
  std::vector<float> values;  ///< rows x columns, row-major
  std::vector<int64_t> dims;
  std::vector<std::string> inputs, outputs;  ///< the graph's input and output names
};

inline void writeFloats(const std::filesystem::path& path, const std::vector<float>& values) {
  writeFileAtomically(path, std::string(reinterpret_cast<const char*>(values.data()),
                                        values.size() * sizeof(float)));
}

/// The model's voxel_energy for `latent` (rows x latent size), `energies` (MeV) and, for a
/// generator with shape noise, `noise` (rows x voxels); the exchange files go to `scratch`.
inline OnnxOutput runOnnxModel(const std::filesystem::path& model, const std::vector<float>& latent,
                               const std::vector<float>& energies,
                               const std::filesystem::path& scratch,
                               const std::vector<float>& noise = {}) {
  if (!programOnPath("node"))
    throw std::runtime_error("node not found: run 'bash scripts/install-deps.sh test'");
  const std::string modules = BOLO_ONNXRUNTIME_NODE_MODULES;
  if (!std::filesystem::is_directory(std::filesystem::path(modules) / "onnxruntime-node")) {
    throw std::runtime_error(fmt::format(
        "onnxruntime-node not found in {}: run 'bash scripts/install-deps.sh test'", modules));
  }
  writeFloats(scratch / "latent.bin", latent);
  writeFloats(scratch / "energy.bin", energies);
  std::vector<std::string> command = {"node",
                                      std::string(BOLO_SOURCE_DIR) + "/tests/support/run_onnx.js",
                                      model.string(),
                                      (scratch / "latent.bin").string(),
                                      (scratch / "energy.bin").string(),
                                      std::to_string(energies.size()),
                                      (scratch / "out.bin").string()};
  if (!noise.empty()) {
    writeFloats(scratch / "noise.bin", noise);
    command.push_back((scratch / "noise.bin").string());
  }
  const auto result = runProcess(command, {}, {}, {{"NODE_PATH", modules}});
  if (result.exitCode != 0) {
    throw std::runtime_error(
        fmt::format("ONNX Runtime failed on {}: {}", model.string(), result.firstErrorLine()));
  }
  const auto info = nlohmann::json::parse(result.out);
  OnnxOutput out;
  out.dims = info.at("dims").get<std::vector<int64_t>>();
  out.inputs = info.at("inputs").get<std::vector<std::string>>();
  out.outputs = info.at("outputs").get<std::vector<std::string>>();
  const std::string bytes = readFile(scratch / "out.bin");
  out.values.resize(bytes.size() / sizeof(float));
  std::memcpy(out.values.data(), bytes.data(), out.values.size() * sizeof(float));
  return out;
}

}  // namespace bolo::test
