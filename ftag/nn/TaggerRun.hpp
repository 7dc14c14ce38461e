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

using bolo::TaggerRunConfig;  // ftag/TaggerConfig.hpp
using bolo::taggerRunConfigFromJson;

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
