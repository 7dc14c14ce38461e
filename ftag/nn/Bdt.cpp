#include "ftag/nn/Bdt.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <thread>

#include "common/AtomicFile.hpp"
#include "common/ConfigReader.hpp"
#include "common/Error.hpp"
#include "common/Log.hpp"
#include "common/ParseNumber.hpp"
#include "common/StopSignal.hpp"
#include "ftag/JetFile.hpp"

#if BOLO_WITH_XGBOOST
#include <xgboost/c_api.h>
#endif

namespace bolo::nn {

namespace fs = std::filesystem;

BdtConfig bdtConfigFromJson(const nlohmann::json& json) {
  BdtConfig c;
  ConfigReader r(json, "");
  r.read("data", c.data);
  r.readPositive("trees", c.trees);
  r.read("early_stopping", c.earlyStopping);
  if (c.earlyStopping < 0) r.fail("early_stopping", "a non-negative integer");
  r.readPositive("max_depth", c.maxDepth);
  r.readInRange("learning_rate", c.learningRate, 1e-6, 1);
  r.readInRange("subsample", c.subsample, 0.01, 1);
  r.readInRange("column_sample", c.columnSample, 0.01, 1);
  r.read("min_child_weight", c.minChildWeight);
  if (c.minChildWeight < 0) r.fail("min_child_weight", "a non-negative number");
  r.read("lambda", c.lambda);
  if (c.lambda < 0) r.fail("lambda", "a non-negative number");
  r.readInRange("c_fraction", c.cFraction, 0, 1);
  r.read("threads", c.threads);
  if (c.threads < 0) r.fail("threads", "a non-negative integer");
  unsigned long long seed = c.seed;
  r.read("seed", seed);
  c.seed = seed;
  r.finish();
  return c;
}

nlohmann::json toJson(const BdtConfig& c) {
  return {{"data", c.data},
          {"trees", c.trees},
          {"early_stopping", c.earlyStopping},
          {"max_depth", c.maxDepth},
          {"learning_rate", c.learningRate},
          {"subsample", c.subsample},
          {"column_sample", c.columnSample},
          {"min_child_weight", c.minChildWeight},
          {"lambda", c.lambda},
          {"c_fraction", c.cFraction},
          {"threads", c.threads},
          {"seed", c.seed}};
}

bool xgboostAvailable() {
#if BOLO_WITH_XGBOOST
  return true;
#else
  return false;
#endif
}

void requireXgboost() {
  if (!xgboostAvailable()) {
    throw EnvironmentError(
        "this bolo was built without XGBoost: install libxgboost-dev and rebuild with "
        "-DBOLO_WITH_XGBOOST=ON "
        "to train the BDT baseline");
  }
}

#if BOLO_WITH_XGBOOST

namespace {

void check(int status, const char* what) {
  if (status != 0)
    throw RuntimeFailure(fmt::format("XGBoost {} failed: {}", what, XGBGetLastError()));
}

/// The MV2 input columns of `sample`, row-major, with the defaults left in place.
std::vector<float> mv2Columns(const JetSample& sample, std::size_t& columns) {
  std::vector<std::size_t> keep;
  for (std::size_t v = 0; v < jetVariables().size(); ++v) {
    if (jetVariables()[v].mv2Input) keep.push_back(v);
  }
  columns = keep.size();
  std::vector<float> out;
  out.reserve(sample.size() * columns);
  for (std::size_t i = 0; i < sample.size(); ++i) {
    for (std::size_t v : keep) out.push_back(sample.row(i)[v]);
  }
  return out;
}

class Matrix {
 public:
  explicit Matrix(const JetSample& sample, double cFraction) {
    std::size_t columns = 0;
    const auto data = mv2Columns(sample, columns);
    check(XGDMatrixCreateFromMat(data.data(), sample.size(), columns, std::nanf(""), &m_handle),
          "DMatrix creation");
    // Signal b; background light and c with c weighted to cFraction of the background, and
    // the background normalised to the signal so neither class dominates the loss.
    const auto counts = sample.flavourCounts();
    const double nb = std::max<double>(1, static_cast<double>(counts[0]));
    const double wc = cFraction * nb / std::max<double>(1, static_cast<double>(counts[1]));
    const double wl = (1 - cFraction) * nb / std::max<double>(1, static_cast<double>(counts[2]));
    std::vector<float> labels(sample.size()), weights(sample.size());
    for (std::size_t i = 0; i < sample.size(); ++i) {
      const int f = sample.labels[i];
      labels[i] = f == static_cast<int>(Flavour::kB) ? 1.0f : 0.0f;
      weights[i] = static_cast<float>(f == 0 ? 1.0 : f == 1 ? wc : wl);
    }
    check(XGDMatrixSetFloatInfo(m_handle, "label", labels.data(), labels.size()), "set labels");
    check(XGDMatrixSetFloatInfo(m_handle, "weight", weights.data(), weights.size()), "set weights");
  }
  ~Matrix() { XGDMatrixFree(m_handle); }
  Matrix(const Matrix&) = delete;
  Matrix& operator=(const Matrix&) = delete;
  DMatrixHandle get() const { return m_handle; }

 private:
  DMatrixHandle m_handle = nullptr;
};

class Booster {
 public:
  explicit Booster(DMatrixHandle train) {
    check(XGBoosterCreate(&train, 1, &m_handle), "booster creation");
  }
  ~Booster() { XGBoosterFree(m_handle); }
  Booster(const Booster&) = delete;
  Booster& operator=(const Booster&) = delete;
  BoosterHandle get() const { return m_handle; }
  void set(const char* name, const std::string& value) {
    check(XGBoosterSetParam(m_handle, name, value.c_str()), name);
  }

 private:
  BoosterHandle m_handle = nullptr;
};

double parseLogLoss(const char* evaluation) {
  const std::string text = evaluation;
  const auto at = text.find("logloss:");
  if (at == std::string::npos)
    throw RuntimeFailure(fmt::format("XGBoost evaluation without log-loss: {}", text));
  // XGBoost prints "[0]\tvalidation-logloss:0.69" (maybe more metrics after a tab).
  const std::string value = text.substr(at + 8, text.find_first_of(" \t\n", at + 8) - at - 8);
  const auto loss = toNumber(value, 0.0, std::numeric_limits<double>::max());
  if (!loss) throw RuntimeFailure(fmt::format("XGBoost evaluation with a bad log-loss: {}", text));
  return *loss;
}

}  // namespace

std::string xgboostVersion() {
  int major = 0, minor = 0, patch = 0;
  XGBoostVersion(&major, &minor, &patch);
  return fmt::format("{}.{}.{}", major, minor, patch);
}

nlohmann::json trainBdt(const BdtConfig& config, const JetSample& train,
                        const JetSample& validation, const JetSample& test,
                        const fs::path& outDir) {
  const auto start = std::chrono::steady_clock::now();
  const Matrix dtrain(train, config.cFraction), dvalidation(validation, config.cFraction),
      dtest(test, config.cFraction);
  Booster booster(dtrain.get());
  const int threads = config.threads > 0
                          ? config.threads
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  booster.set("objective", "binary:logistic");
  booster.set("eval_metric", "logloss");
  booster.set("tree_method", "hist");
  booster.set("max_depth", std::to_string(config.maxDepth));
  booster.set("eta", fmt::format("{}", config.learningRate));
  booster.set("subsample", fmt::format("{}", config.subsample));
  booster.set("colsample_bytree", fmt::format("{}", config.columnSample));
  booster.set("min_child_weight", fmt::format("{}", config.minChildWeight));
  booster.set("lambda", fmt::format("{}", config.lambda));
  booster.set("nthread", std::to_string(threads));
  booster.set("seed", std::to_string(config.seed % 2147483647ULL));
  booster.set("verbosity", "0");
  double best = std::numeric_limits<double>::infinity();
  int bestIteration = 0, iterations = 0;
  DMatrixHandle evalSets[] = {dvalidation.get()};
  const char* evalNames[] = {"validation"};
  for (int iteration = 0; iteration < config.trees; ++iteration) {
    if (stopRequested()) throw stopError("nothing (BDT training abandoned)");
    check(XGBoosterUpdateOneIter(booster.get(), iteration, dtrain.get()), "training");
    const char* evaluation = nullptr;
    check(XGBoosterEvalOneIter(booster.get(), iteration, evalSets, evalNames, 1, &evaluation),
          "evaluation");
    const double loss = parseLogLoss(evaluation);
    iterations = iteration + 1;
    if (loss < best) {
      best = loss;
      bestIteration = iteration;
    } else if (config.earlyStopping > 0 && iteration - bestIteration >= config.earlyStopping) {
      break;
    }
  }
  const std::string predictConfig = fmt::format(
      R"({{"type": 0, "training": false, "iteration_begin": 0, "iteration_end": {}, "strict_shape": false}})",
      bestIteration + 1);
  const bst_ulong* shape = nullptr;
  bst_ulong dims = 0;
  const float* predictions = nullptr;
  check(XGBoosterPredictFromDMatrix(booster.get(), dtest.get(), predictConfig.c_str(), &shape,
                                    &dims, &predictions),
        "prediction");
  TaggerScores scores;
  scores.classes = 1;
  scores.labels = test.labels;
  scores.probabilities.assign(predictions, predictions + test.size());
  fs::create_directories(outDir);
  const fs::path model = outDir / "model.json";
  produceFileAtomically(model, [&](const fs::path& tmp) {
    // XGBoost picks the format from the extension.
    const fs::path named = tmp.string() + ".json";
    check(XGBoosterSaveModel(booster.get(), named.c_str()), "saving the model");
    fs::rename(named, tmp);
  });
  writeScoreFile(outDir / "scores.h5", scores);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return {{"trees_trained", iterations},     {"best_trees", bestIteration + 1},
          {"best_validation_logloss", best}, {"threads", threads},
          {"wall_seconds", seconds},         {"xgboost", xgboostVersion()}};
}

#else

std::string xgboostVersion() {
  return "not built";
}

nlohmann::json trainBdt(const BdtConfig&, const JetSample&, const JetSample&, const JetSample&,
                        const fs::path&) {
  requireXgboost();
  return {};
}

#endif

}  // namespace bolo::nn
