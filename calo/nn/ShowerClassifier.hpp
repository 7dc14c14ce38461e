#pragma once
// The classifier test of the CaloChallenge: a fully connected network learns to tell
// generated showers (label 0) from reference showers (label 1). Its AUC on showers it never
// saw, and the Jensen-Shannon divergence estimated from its calibrated cross-entropy, say
// how distinguishable the two samples are (AUC 0.5, JSD 0: indistinguishable).
// The header stays free of torch.

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "calo/ShowerFeatures.hpp"
#include "calo/ShowerFile.hpp"

namespace bolo::nn {

/// Network and training settings; the defaults are those of the CaloChallenge evaluation
/// script (evaluate.py: 2 hidden layers of 512, LeakyReLU, Adam 2e-4, batch 1000, 50 epochs).
struct ClassifierConfig {
  bool enabled = true;  ///< run the classifier test at all
  /// Which inputs to train on, one test each: "voxels" (low level) and/or "high_level".
  std::vector<std::string> inputs = {"voxels", "high_level"};
  /// Showers drawn at random from each file (0: all). The CaloChallenge uses all; the default
  /// keeps a 2-core CPU run to minutes.
  long long maxShowersPerClass = 20000;
  int hiddenLayers = 2;        ///< hidden layers after the input layer
  int hiddenUnits = 512;       ///< units per hidden layer
  double dropout = 0.0;        ///< dropout probability after each hidden layer, [0, 1)
  int batchSize = 1000;        ///< showers per optimiser step
  int epochs = 50;             ///< passes over the training split (fewer if it separates perfectly)
  double learningRate = 2e-4;  ///< Adam
};

ClassifierConfig classifierConfigFromJson(const nlohmann::json& json, const std::string& path);
nlohmann::json toJson(const ClassifierConfig& config);

/// Rows of network inputs, row-major (`width` values per shower).
struct ClassifierInputs {
  std::size_t width = 0;
  std::vector<float> values;
  std::size_t size() const { return width ? values.size() / width : 0; }
};

/// Low-level inputs of shower `i`: [log10(E_inc / MeV), voxel energies / E_inc].
void appendVoxelInputs(const ShowerBatch& batch, std::size_t i, ClassifierInputs& inputs);
/// High-level inputs of shower `i`: [log10(E_inc), log10(E_layer + 1e-8) per layer, centres
/// of energy in eta and phi / 100 mm, widths in eta and phi / 100 mm] (sparsity is not used),
/// as the CaloChallenge script prepares them.
void appendHighLevelInputs(const ShowerFeatures& features, std::size_t i, ClassifierInputs& inputs);

struct ClassifierResult {
  double auc = 0;       ///< test split, after isotonic calibration on the selection split
  double jsd = 0;       ///< (ln 2 - calibrated BCE) / ln 2 on the test split
  double accuracy = 0;  ///< test split, calibrated probabilities >= 0.5
  double aucUncalibrated = 0;
  double jsdUncalibrated = 0;
  int bestEpoch = 0;  ///< epoch (from 1) with the best selection accuracy, whose weights are used
  int epochsRun = 0;
  std::size_t showersPerClass = 0;  ///< after cutting both classes to the same size
  std::size_t trainRows = 0, selectionRows = 0, testRows = 0;  ///< both classes together
  std::size_t inputs = 0;
  long long parameters = 0;
  double seconds = 0;
  std::string device;
  std::vector<double> trainLoss;          ///< mean BCE per epoch
  std::vector<double> selectionAccuracy;  ///< per epoch
};

nlohmann::json toJson(const ClassifierResult& result);

/// Train and evaluate. Both classes are cut to the smaller size and split 60/20/20 into
/// training, selection (best epoch and calibration) and test showers, shuffled with `seed`;
/// inputs are standardised with the training split's mean and standard deviation.
/// `label` names the test in progress messages. InputError if a class has fewer than 10 rows
/// or the widths differ; EnvironmentError if the device cannot be used.
ClassifierResult runClassifierTest(const ClassifierInputs& generated,
                                   const ClassifierInputs& reference,
                                   const ClassifierConfig& config, std::uint64_t seed,
                                   const std::string& device, const std::string& label);

}  // namespace bolo::nn
