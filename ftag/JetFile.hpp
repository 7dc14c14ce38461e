#pragma once
// Jet samples and tagger scores in HDF5 (C API, like ShowerFile):
//   jets.h5:   /<split>/features (N,V) float32, /<split>/labels (N) int32 for split in
//              train, validation, test; root attributes "variables" (JSON list of names)
//              and "generator" (the resolved JetGeneratorConfig as JSON).
//   scores.h5: /probabilities (N,3) float32 (p_b, p_c, p_light), /labels (N) int32.
// Files are written to a temporary name and renamed, so they are complete or absent.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ftag/JetSample.hpp"

namespace bolo {

/// The split names in file order.
const std::vector<std::string>& jetSplitNames();

/// Write all three splits with the generator config as metadata.
void writeJetFile(const std::filesystem::path& path, const JetSplits& splits,
                  const nlohmann::json& generator);

/// Read one split ("train", "validation", "test"). Checks shapes, labels and that the file's
/// variable list is the one this program knows; InputError naming the file otherwise.
JetSample readJetSplit(const std::filesystem::path& path, const std::string& split);
/// The "generator" metadata of a jet file.
nlohmann::json readJetFileGenerator(const std::filesystem::path& path);

/// Per-jet class probabilities (row-major, `classes` per jet) with truth labels.
struct TaggerScores {
  std::size_t classes = kFlavourCount;
  std::vector<float> probabilities;
  std::vector<int> labels;
  std::size_t size() const { return labels.size(); }
};

void writeScoreFile(const std::filesystem::path& path, const TaggerScores& scores);
TaggerScores readScoreFile(const std::filesystem::path& path);

}  // namespace bolo
