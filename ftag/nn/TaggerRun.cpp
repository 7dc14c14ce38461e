#include "ftag/nn/TaggerRun.hpp"

#include <fmt/format.h>

#include <chrono>

#include "common/AtomicFile.hpp"
#include "common/ConfigReader.hpp"

namespace bolo::nn {

namespace fs = std::filesystem;

TaggerData loadTaggerData(const fs::path& jets, bool withTest) {
  TaggerData data;
  data.train = readJetSplit(jets, "train");
  data.validation = readJetSplit(jets, "validation");
  if (withTest) data.test = readJetSplit(jets, "test");
  data.preprocessing = JetPreprocessing::fit(data.train);
  data.trainX = data.preprocessing.apply(data.train);
  data.validationX = data.preprocessing.apply(data.validation);
  if (withTest) data.testX = data.preprocessing.apply(data.test);
  return data;
}

namespace {

std::string historyCsv(const TaggerHistory& h) {
  std::string out = "epoch,train_loss,validation_loss\n";
  for (std::size_t i = 0; i < h.validationLoss.size(); ++i) {
    out += fmt::format("{},{:.6g},{:.6g}\n", i + 1, h.trainLoss[i], h.validationLoss[i]);
  }
  return out;
}

}  // namespace

TaggerRunResult runTaggerTraining(const TaggerConfig& config, const TaggerData& data,
                                  const fs::path& modelDir, const TrainingHooks& hooks) {
  const auto start = std::chrono::steady_clock::now();
  Tagger tagger(config, data.train.variables);
  TaggerRunResult result;
  result.parameters = tagger.parameterCount();
  result.history =
      tagger.train(data.trainX, data.train.labels, data.validationX, data.validation.labels, hooks);
  if (!modelDir.empty()) {
    fs::create_directories(modelDir);
    tagger.save(modelDir / "model.pt");
    writeFileAtomically(modelDir / "tagger.json", toJson(config).dump(2) + "\n");
    writeFileAtomically(modelDir / "preprocessing.json",
                        data.preprocessing.toJson().dump(2) + "\n");
    writeFileAtomically(modelDir / "history.json", toJson(result.history).dump(2) + "\n");
    writeFileAtomically(modelDir / "history.csv", historyCsv(result.history));
    if (!data.test.labels.empty()) {
      TaggerScores scores;
      scores.probabilities = tagger.predict(data.testX);
      scores.labels = data.test.labels;
      writeScoreFile(modelDir / "scores.h5", scores);
    }
  }
  result.wallSeconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

TaggerScores scoreWithSavedTagger(const fs::path& modelDir, const JetSample& sample) {
  const auto config =
      taggerConfigFromJson(readJsonFile((modelDir / "tagger.json").string()), "tagger.json");
  const auto preprocessing = JetPreprocessing::fromJson(
      readJsonFile((modelDir / "preprocessing.json").string()), "preprocessing.json");
  Tagger tagger(config, sample.variables);
  tagger.load(modelDir / "model.pt");
  TaggerScores scores;
  scores.probabilities = tagger.predict(preprocessing.apply(sample));
  scores.labels = sample.labels;
  return scores;
}

}  // namespace bolo::nn
