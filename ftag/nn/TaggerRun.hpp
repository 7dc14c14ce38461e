#pragma once
// One training run of the tagger on a jet file: load and preprocess the splits, train, and
// write the model directory:
//   model.pt            network weights (LibTorch archive)
//   tagger.json         the network/training config (to rebuild the network)
//   preprocessing.json  means and standard deviations of the inputs, defaults handling
//   history.json/.csv   training and validation loss per epoch
//   scores.h5           p_b, p_c, p_light of the test jets with their labels

#include <filesystem>
#include <nlohmann/json.hpp>

#include "ftag/JetFile.hpp"
#include "ftag/JetPreprocessing.hpp"
#include "ftag/nn/Tagger.hpp"

namespace bolo::nn {

/// The config of `bolo tagger train` (tagger.json): where the jets are, the run name, and
/// the network and its training.
struct TaggerRunConfig {
  std::string data;         ///< jet file; empty: <workdir>/data/jets.h5
  std::string run = "dl1";  ///< output under <workdir>/output/tagger/<run>
  /// CPU threads for LibTorch (0: all cores). One is fastest for networks this small: on a
  /// busy 2-core machine two threads ran an epoch 10x slower than one (docs/benchmarks.md).
  int threads = 1;
  double fc = 0.08;  ///< f_c of D_b for the summary (DL1, ATL-PHYS-PUB-2017-013)
  TaggerConfig network;
};
TaggerRunConfig taggerRunConfigFromJson(const nlohmann::json& json);
nlohmann::json toJson(const TaggerRunConfig& config);

struct TaggerData {
  JetSample train, validation, test;
  JetPreprocessing preprocessing;  ///< fitted on `train`
  std::vector<float> trainX, validationX, testX;
};

/// Read the splits of `jets` (the test split only if `withTest`) and scale them.
TaggerData loadTaggerData(const std::filesystem::path& jets, bool withTest);

struct TaggerRunResult {
  TaggerHistory history;
  double wallSeconds = 0;
  std::size_t parameters = 0;
};

/// Train on `data`; with a non-empty `modelDir`, write the model directory (and scores.h5
/// when the test split is loaded).
TaggerRunResult runTaggerTraining(const TaggerConfig& config, const TaggerData& data,
                                  const std::filesystem::path& modelDir,
                                  const TrainingHooks& hooks = {});

/// Score `sample` with the model saved in `modelDir`.
TaggerScores scoreWithSavedTagger(const std::filesystem::path& modelDir, const JetSample& sample);

}  // namespace bolo::nn
