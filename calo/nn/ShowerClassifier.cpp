#include "calo/nn/ShowerClassifier.hpp"

#include <fmt/format.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <random>

#include "calo/ClassifierMetrics.hpp"
#include "common/ConfigReader.hpp"
#include "common/Error.hpp"
#include "common/Log.hpp"
#include "common/Progress.hpp"
#include "common/StopSignal.hpp"
#include "common/nn/TorchRuntime.hpp"

namespace bolo::nn {

ClassifierConfig classifierConfigFromJson(const nlohmann::json& json, const std::string& path) {
  ClassifierConfig c;
  ConfigReader reader(json, path);
  reader.read("enabled", c.enabled);
  reader.read("inputs", c.inputs);
  for (const auto& input : c.inputs) {
    if (input != "voxels" && input != "high_level")
      reader.fail("inputs", "a list of \"voxels\" and \"high_level\"");
  }
  reader.read("max_showers_per_class", c.maxShowersPerClass);
  if (c.maxShowersPerClass < 0)
    reader.fail("max_showers_per_class", "0 (all) or a positive integer");
  reader.readPositive("hidden_layers", c.hiddenLayers);
  reader.readPositive("hidden_units", c.hiddenUnits);
  reader.readInRange("dropout", c.dropout, 0.0, 0.95);
  reader.readPositive("batch_size", c.batchSize);
  reader.readPositive("epochs", c.epochs);
  reader.readPositive("learning_rate", c.learningRate);
  reader.finish();
  return c;
}

nlohmann::json toJson(const ClassifierConfig& c) {
  return {{"enabled", c.enabled},
          {"inputs", c.inputs},
          {"max_showers_per_class", c.maxShowersPerClass},
          {"hidden_layers", c.hiddenLayers},
          {"hidden_units", c.hiddenUnits},
          {"dropout", c.dropout},
          {"batch_size", c.batchSize},
          {"epochs", c.epochs},
          {"learning_rate", c.learningRate}};
}

nlohmann::json toJson(const ClassifierResult& r) {
  return {{"auc", r.auc},
          {"jsd", r.jsd},
          {"accuracy", r.accuracy},
          {"auc_uncalibrated", r.aucUncalibrated},
          {"jsd_uncalibrated", r.jsdUncalibrated},
          {"best_epoch", r.bestEpoch},
          {"epochs_run", r.epochsRun},
          {"showers_per_class", r.showersPerClass},
          {"train_rows", r.trainRows},
          {"selection_rows", r.selectionRows},
          {"test_rows", r.testRows},
          {"inputs", r.inputs},
          {"parameters", r.parameters},
          {"seconds", r.seconds},
          {"device", r.device},
          {"train_loss", r.trainLoss},
          {"selection_accuracy", r.selectionAccuracy}};
}

void appendVoxelInputs(const ShowerBatch& batch, std::size_t i, ClassifierInputs& inputs) {
  if (inputs.width == 0) inputs.width = batch.voxels + 1;
  const double energy = batch.incidentEnergies[i];
  inputs.values.push_back(static_cast<float>(std::log10(energy)));
  const float* row = batch.row(i);
  for (std::size_t v = 0; v < batch.voxels; ++v)
    inputs.values.push_back(static_cast<float>(row[v] / energy));
}

void appendHighLevelInputs(const ShowerFeatures& features, std::size_t i,
                           ClassifierInputs& inputs) {
  const std::size_t before = inputs.values.size();
  inputs.values.push_back(static_cast<float>(std::log10(features.incidentEnergies[i])));
  for (const auto& c : features.columns) {
    if (c.kind == FeatureKind::kLayerEnergy)
      inputs.values.push_back(static_cast<float>(std::log10(c.values[i] + 1e-8)));
  }
  // The script orders them: all centres in eta, all centres in phi, all widths in eta, phi.
  for (FeatureKind kind : {FeatureKind::kCentreEta, FeatureKind::kCentrePhi, FeatureKind::kWidthEta,
                           FeatureKind::kWidthPhi}) {
    for (const auto& c : features.columns) {
      if (c.kind == kind) inputs.values.push_back(static_cast<float>(c.values[i] / 100.0));
    }
  }
  if (inputs.width == 0) inputs.width = inputs.values.size() - before;
}

namespace {

/// Rows of one split: inputs and labels.
struct Split {
  torch::Tensor x;
  torch::Tensor y;
  std::vector<int> labels;
};

torch::nn::Sequential makeNetwork(std::size_t inputs, const ClassifierConfig& c) {
  torch::nn::Sequential net;
  const auto leaky = [] {
    return torch::nn::LeakyReLU(torch::nn::LeakyReLUOptions().negative_slope(0.01));
  };
  net->push_back(torch::nn::Linear(static_cast<int64_t>(inputs), c.hiddenUnits));
  net->push_back(leaky());
  net->push_back(torch::nn::Dropout(c.dropout));
  for (int l = 0; l < c.hiddenLayers; ++l) {
    net->push_back(torch::nn::Linear(c.hiddenUnits, c.hiddenUnits));
    net->push_back(leaky());
    net->push_back(torch::nn::Dropout(c.dropout));
  }
  net->push_back(torch::nn::Linear(c.hiddenUnits, 1));
  return net;
}

Split makeSplit(const ClassifierInputs& generated, const std::vector<std::size_t>& generatedRows,
                const ClassifierInputs& reference, const std::vector<std::size_t>& referenceRows,
                const torch::Device& device) {
  const std::size_t width = generated.width;
  const std::size_t n = generatedRows.size() + referenceRows.size();
  std::vector<float> x;
  x.reserve(n * width);
  Split split;
  for (std::size_t r : generatedRows) {
    x.insert(x.end(), generated.values.begin() + static_cast<std::ptrdiff_t>(r * width),
             generated.values.begin() + static_cast<std::ptrdiff_t>((r + 1) * width));
    split.labels.push_back(0);
  }
  for (std::size_t r : referenceRows) {
    x.insert(x.end(), reference.values.begin() + static_cast<std::ptrdiff_t>(r * width),
             reference.values.begin() + static_cast<std::ptrdiff_t>((r + 1) * width));
    split.labels.push_back(1);
  }
  std::vector<float> y(split.labels.begin(), split.labels.end());
  split.x = torch::from_blob(x.data(), {static_cast<int64_t>(n), static_cast<int64_t>(width)},
                             torch::kFloat32)
                .clone()
                .to(device);
  split.y =
      torch::from_blob(y.data(), {static_cast<int64_t>(n)}, torch::kFloat32).clone().to(device);
  return split;
}

std::vector<double> probabilities(torch::nn::Sequential& net, const Split& split, int batchSize) {
  torch::NoGradGuard noGrad;
  net->eval();
  std::vector<double> out;
  out.reserve(split.labels.size());
  const int64_t n = split.x.size(0);
  for (int64_t start = 0; start < n; start += batchSize) {
    const auto logits =
        net->forward(split.x.slice(0, start, std::min<int64_t>(n, start + batchSize)));
    const auto p =
        torch::sigmoid(logits).reshape({-1}).to(torch::kCPU, torch::kFloat64).contiguous();
    out.insert(out.end(), p.data_ptr<double>(), p.data_ptr<double>() + p.numel());
  }
  return out;
}

}  // namespace

ClassifierResult runClassifierTest(const ClassifierInputs& generated,
                                   const ClassifierInputs& reference,
                                   const ClassifierConfig& config, std::uint64_t seed,
                                   const std::string& deviceName, const std::string& label) {
  const auto start = std::chrono::steady_clock::now();
  if (generated.width == 0 || generated.width != reference.width) {
    throw InputError(fmt::format("classifier test ({}): inputs have {} and {} values per shower",
                                 label, generated.width, reference.width));
  }
  const std::size_t perClass = std::min(generated.size(), reference.size());
  if (perClass < 10) {
    throw InputError(fmt::format(
        "classifier test ({}): needs at least 10 showers in each file, got {}", label, perClass));
  }
  // The same number from each class, as the CaloChallenge script requires; split 60/20/20.
  std::mt19937_64 rng(seed);
  const auto shuffled = [&](std::size_t total) {
    std::vector<std::size_t> rows(total);
    std::iota(rows.begin(), rows.end(), std::size_t{0});
    std::shuffle(rows.begin(), rows.end(), rng);
    rows.resize(perClass);
    return rows;
  };
  const auto generatedRows = shuffled(generated.size());
  const auto referenceRows = shuffled(reference.size());
  const std::size_t trainCount = perClass * 6 / 10, selectionCount = perClass * 2 / 10;
  const auto part = [](const std::vector<std::size_t>& rows, std::size_t from, std::size_t to) {
    return std::vector<std::size_t>(rows.begin() + static_cast<std::ptrdiff_t>(from),
                                    rows.begin() + static_cast<std::ptrdiff_t>(to));
  };
  const torch::Device device(deviceName);
  const auto makePart = [&](std::size_t from, std::size_t to) {
    return makeSplit(generated, part(generatedRows, from, to), reference,
                     part(referenceRows, from, to), device);
  };
  Split train = makePart(0, trainCount);
  Split selection = makePart(trainCount, trainCount + selectionCount);
  Split test = makePart(trainCount + selectionCount, perClass);
  // Standardise every input with the training split's mean and spread. The CaloChallenge
  // script feeds the inputs unscaled; with log-energies near 3-6 next to fractions near 0
  // a network then needs many epochs to find small offsets between the samples.
  {
    const auto mean = train.x.mean(0, true);
    auto spread = train.x.std(0, true, true);
    spread = torch::where(spread > 0, spread, torch::ones_like(spread));
    for (Split* split : {&train, &selection, &test}) split->x = (split->x - mean) / spread;
  }

  torch::manual_seed(seed);
  auto net = makeNetwork(generated.width, config);
  net->to(device);
  torch::optim::Adam optimizer(net->parameters(), torch::optim::AdamOptions(config.learningRate));

  ClassifierResult result;
  result.device = deviceName;
  result.showersPerClass = perClass;
  result.trainRows = train.labels.size();
  result.selectionRows = selection.labels.size();
  result.testRows = test.labels.size();
  result.inputs = generated.width;
  for (const auto& p : net->parameters()) result.parameters += p.numel();

  std::vector<torch::Tensor> best;
  double bestAccuracy = -1;
  const int64_t n = train.x.size(0);
  ProgressReporter progress("classifier " + label, static_cast<std::uint64_t>(config.epochs),
                            "epochs");
  for (int epoch = 1; epoch <= config.epochs; ++epoch) {
    if (stopRequested()) throw stopError("nothing (the classifier test has no state to save)");
    net->train();
    const auto order = torch::randperm(n, torch::TensorOptions().dtype(torch::kLong)).to(device);
    double lossSum = 0;
    int64_t steps = 0;
    for (int64_t first = 0; first < n; first += config.batchSize) {
      const auto rows = order.slice(0, first, std::min<int64_t>(n, first + config.batchSize));
      const auto logits = net->forward(train.x.index_select(0, rows)).reshape({-1});
      const auto loss =
          torch::binary_cross_entropy_with_logits(logits, train.y.index_select(0, rows));
      optimizer.zero_grad();
      loss.backward();
      optimizer.step();
      lossSum += loss.item<double>();
      ++steps;
    }
    result.trainLoss.push_back(lossSum / static_cast<double>(steps));
    const double selectionAccuracy =
        accuracy(probabilities(net, selection, config.batchSize), selection.labels);
    result.selectionAccuracy.push_back(selectionAccuracy);
    result.epochsRun = epoch;
    if (selectionAccuracy > bestAccuracy) {
      bestAccuracy = selectionAccuracy;
      result.bestEpoch = epoch;
      best.clear();
      for (const auto& p : net->parameters()) best.push_back(p.detach().clone());
    }
    progress.update(static_cast<std::uint64_t>(epoch));
    if (selectionAccuracy == 1.0)
      break;  // perfectly separated: more epochs cannot change the verdict
  }
  progress.finish();
  {
    torch::NoGradGuard noGrad;
    auto parameters = net->parameters();
    for (std::size_t i = 0; i < parameters.size(); ++i) parameters[i].copy_(best[i]);
  }
  const IsotonicCalibration calibration(probabilities(net, selection, config.batchSize),
                                        selection.labels);
  const auto raw = probabilities(net, test, config.batchSize);
  const auto calibrated = calibration(raw);
  result.aucUncalibrated = rocAuc(raw, test.labels);
  result.jsdUncalibrated = jsdFromCrossEntropy(binaryCrossEntropy(raw, test.labels));
  result.auc = rocAuc(calibrated, test.labels);
  result.jsd = jsdFromCrossEntropy(binaryCrossEntropy(calibrated, test.labels));
  result.accuracy = accuracy(calibrated, test.labels);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  log::info("classifier {}: AUC {:.4f}, JSD {:.4f} (best epoch {} of {}, {:.0f} s on {})", label,
            result.auc, result.jsd, result.bestEpoch, result.epochsRun, result.seconds, deviceName);
  return result;
}

}  // namespace bolo::nn
