#include "ftag/ScanSpace.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <set>

#include "common/ConfigReader.hpp"
#include "common/Error.hpp"

namespace bolo {

const std::vector<std::string>& taggerActivationNames() {
  static const std::vector<std::string> names = {"relu", "leaky_relu", "elu",
                                                 "silu", "tanh",       "sigmoid"};
  return names;
}

std::size_t ScanSpace::gridSize() const {
  return layer1.size() * layer2.size() * layer3.size() * learningRates.size() * batchSizes.size() *
         activations.size();
}

namespace {

const nlohmann::json& listAt(const nlohmann::json& dims, const std::string& key,
                             const std::string& path) {
  if (!dims.contains(key))
    throw InputError(fmt::format("{}: missing (every dimension must be given)", path));
  const auto& list = dims.at(key);
  if (!list.is_array() || list.empty()) {
    throw InputError(
        fmt::format("{}: expected a non-empty list of values, got {}", path, jsonExcerpt(list)));
  }
  return list;
}

std::vector<int> positiveInts(const nlohmann::json& dims, const std::string& key, int max) {
  const std::string path = "dimensions." + key;
  std::vector<int> out;
  const auto& list = listAt(dims, key, path);
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto& v = list[i];
    if (!v.is_number_integer() || v.get<long long>() <= 0 || v.get<long long>() > max) {
      throw InputError(fmt::format("{}[{}]: expected a positive integer up to {}, got {}", path, i,
                                   max, jsonExcerpt(v)));
    }
    out.push_back(v.get<int>());
  }
  return out;
}

template <typename T>
void rejectRepeats(const std::vector<T>& values, const std::string& path) {
  std::set<T> seen(values.begin(), values.end());
  if (seen.size() != values.size())
    throw InputError(fmt::format("{}: a value is listed twice", path));
}

std::uint64_t fnv1a(const std::string& text) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

ScanTraining trainingFromJson(ConfigReader r) {
  ScanTraining t;
  r.readPositive("epochs", t.epochs);
  r.read("patience", t.patience);
  if (t.patience < 0) r.fail("patience", "a non-negative integer");
  r.read("min_delta", t.minDelta);
  if (t.minDelta < 0) r.fail("min_delta", "a non-negative number");
  r.read("batch_norm", t.batchNorm);
  r.read("balance_classes", t.balanceClasses);
  unsigned long long seed = t.seed;
  r.read("seed", seed);
  t.seed = seed;
  r.finish();
  return t;
}

nlohmann::json toJson(const ScanTraining& t) {
  return {{"epochs", t.epochs},
          {"patience", t.patience},
          {"min_delta", t.minDelta},
          {"batch_norm", t.batchNorm},
          {"balance_classes", t.balanceClasses},
          {"seed", t.seed}};
}

ScanCombination makeCombination(const ScanSpace& s, std::size_t i1, std::size_t i2, std::size_t i3,
                                std::size_t il, std::size_t ib, std::size_t ia) {
  ScanCombination c;
  c.layers = {s.layer1[i1], s.layer2[i2], s.layer3[i3]};
  c.learningRate = s.learningRates[il];
  c.batchSize = s.batchSizes[ib];
  c.activation = s.activations[ia];
  c.id = combinationId(c.layers, c.learningRate, c.batchSize, c.activation);
  return c;
}

/// Mixed-radix decoding of a grid index (activation fastest).
ScanCombination gridCombination(const ScanSpace& s, std::size_t index) {
  const std::size_t sizes[6] = {s.layer1.size(),        s.layer2.size(),     s.layer3.size(),
                                s.learningRates.size(), s.batchSizes.size(), s.activations.size()};
  std::size_t digit[6];
  for (int d = 5; d >= 0; --d) {
    digit[d] = index % sizes[d];
    index /= sizes[d];
  }
  return makeCombination(s, digit[0], digit[1], digit[2], digit[3], digit[4], digit[5]);
}

}  // namespace

ScanSpace scanSpaceFromJson(const nlohmann::json& json) {
  ScanSpace s;
  ConfigReader r(json, "");
  r.readChoice("method", s.method, {"grid", "random", "latin_hypercube"});
  long long samples = 0;
  r.read("samples", samples);
  if (samples < 0) r.fail("samples", "a non-negative integer");
  s.samples = static_cast<std::size_t>(samples);
  unsigned long long seed = s.seed;
  r.read("seed", seed);
  s.seed = seed;
  if (!r.has("dimensions")) r.fail("dimensions", "an object with the six dimensions");
  r.section("dimensions");  // checks it is an object; its entries are read below
  const auto& dims = json.at("dimensions");
  s.layer1 = positiveInts(dims, "layer1", 65536);
  s.layer2 = positiveInts(dims, "layer2", 65536);
  s.layer3 = positiveInts(dims, "layer3", 65536);
  s.batchSizes = positiveInts(dims, "batch_size", 1 << 24);
  s.learningRates.clear();
  const auto& lrs = listAt(dims, "learning_rate", "dimensions.learning_rate");
  for (std::size_t i = 0; i < lrs.size(); ++i) {
    if (!lrs[i].is_number() || !(lrs[i].get<double>() > 0) || lrs[i].get<double>() > 10) {
      throw InputError(
          fmt::format("dimensions.learning_rate[{}]: expected a positive number up to 10, got {}",
                      i, jsonExcerpt(lrs[i])));
    }
    s.learningRates.push_back(lrs[i].get<double>());
  }
  s.activations.clear();
  const auto& acts = listAt(dims, "activation", "dimensions.activation");
  const auto& known = taggerActivationNames();
  for (std::size_t i = 0; i < acts.size(); ++i) {
    if (!acts[i].is_string() ||
        std::find(known.begin(), known.end(), acts[i].get<std::string>()) == known.end()) {
      throw InputError(fmt::format("dimensions.activation[{}]: expected one of {}, got {}", i,
                                   fmt::join(known, ", "), jsonExcerpt(acts[i])));
    }
    s.activations.push_back(acts[i].get<std::string>());
  }
  for (const auto& [key, value] : dims.items()) {
    static const std::set<std::string> names = {"layer1",        "layer2",     "layer3",
                                                "learning_rate", "batch_size", "activation"};
    if (!names.count(key)) throw InputError(fmt::format("dimensions.{}: unknown dimension", key));
  }
  rejectRepeats(s.layer1, "dimensions.layer1");
  rejectRepeats(s.layer2, "dimensions.layer2");
  rejectRepeats(s.layer3, "dimensions.layer3");
  rejectRepeats(s.learningRates, "dimensions.learning_rate");
  rejectRepeats(s.batchSizes, "dimensions.batch_size");
  rejectRepeats(s.activations, "dimensions.activation");
  s.training = trainingFromJson(r.section("training"));
  r.finish();
  if (s.method == "random" && s.samples > s.gridSize()) {
    throw InputError(
        fmt::format("samples: {} random combinations requested but the space has only {}",
                    s.samples, s.gridSize()));
  }
  return s;
}

nlohmann::json toJson(const ScanSpace& s) {
  return {{"method", s.method},
          {"samples", s.samples},
          {"seed", s.seed},
          {"dimensions",
           {{"layer1", s.layer1},
            {"layer2", s.layer2},
            {"layer3", s.layer3},
            {"learning_rate", s.learningRates},
            {"batch_size", s.batchSizes},
            {"activation", s.activations}}},
          {"training", toJson(s.training)}};
}

std::string combinationId(const std::vector<int>& layers, double learningRate, int batchSize,
                          const std::string& activation) {
  const std::string canonical =
      fmt::format("layers={};lr={:.10g};batch={};act={}", fmt::join(layers, ","), learningRate,
                  batchSize, activation);
  return fmt::format("c{:012x}", fnv1a(canonical) & 0xffffffffffffULL);
}

nlohmann::json toJson(const ScanCombination& c) {
  return {{"id", c.id},
          {"index", c.index},
          {"layers", c.layers},
          {"learning_rate", c.learningRate},
          {"batch_size", c.batchSize},
          {"activation", c.activation}};
}

ScanCombination scanCombinationFromJson(const nlohmann::json& json, const std::string& path) {
  ScanCombination c;
  ConfigReader r(json, path);
  r.read("id", c.id);
  long long index = 0;
  r.read("index", index);
  c.index = static_cast<std::size_t>(std::max(0LL, index));
  r.read("layers", c.layers);
  r.readPositive("learning_rate", c.learningRate);
  r.readPositive("batch_size", c.batchSize);
  r.readChoice("activation", c.activation, taggerActivationNames());
  r.finish();
  if (c.layers.empty()) r.fail("layers", "a non-empty list of layer sizes");
  for (int l : c.layers) {
    if (l <= 0) r.fail("layers", "positive layer sizes");
  }
  if (c.id != combinationId(c.layers, c.learningRate, c.batchSize, c.activation)) {
    r.fail("id", "the id of these hyper-parameters (was the job file edited?)");
  }
  return c;
}

ScanPlan planScan(const ScanSpace& s) {
  ScanPlan plan;
  const std::size_t grid = s.gridSize();
  if (grid == 0) throw InputError("scan space: a dimension is empty");
  std::mt19937_64 rng(s.seed);
  if (s.method == "grid") {
    for (std::size_t i = 0; i < grid; ++i) plan.combinations.push_back(gridCombination(s, i));
  } else if (s.method == "random") {
    std::vector<std::size_t> order(grid);
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), rng);
    order.resize(s.samples == 0 ? grid : s.samples);
    for (std::size_t i : order) plan.combinations.push_back(gridCombination(s, i));
  } else {
    // Latin hypercube over the value indices: each dimension's values are used as evenly as
    // the sample count allows, independently permuted per dimension.
    const std::size_t n = s.samples == 0 ? grid : s.samples;
    const std::size_t sizes[6] = {s.layer1.size(),     s.layer2.size(),
                                  s.layer3.size(),     s.learningRates.size(),
                                  s.batchSizes.size(), s.activations.size()};
    std::vector<std::size_t> strata[6];
    for (int d = 0; d < 6; ++d) {
      strata[d].resize(n);
      for (std::size_t i = 0; i < n; ++i) strata[d][i] = i * sizes[d] / n;
      std::shuffle(strata[d].begin(), strata[d].end(), rng);
    }
    std::set<std::string> seen;
    for (std::size_t i = 0; i < n; ++i) {
      auto c = makeCombination(s, strata[0][i], strata[1][i], strata[2][i], strata[3][i],
                               strata[4][i], strata[5][i]);
      if (!seen.insert(c.id).second) {
        ++plan.duplicatesDropped;
        continue;
      }
      plan.combinations.push_back(c);
    }
  }
  for (std::size_t i = 0; i < plan.combinations.size(); ++i) plan.combinations[i].index = i;
  return plan;
}

std::vector<std::vector<ScanCombination>> splitIntoJobs(
    const std::vector<ScanCombination>& combinations, std::size_t jobs, std::uint64_t seed) {
  if (jobs == 0) throw InputError("--jobs must be positive");
  if (jobs > combinations.size()) {
    throw InputError(
        fmt::format("{} jobs requested for {} combinations", jobs, combinations.size()));
  }
  std::vector<std::vector<ScanCombination>> out(jobs);
  // A seeded shuffle before dealing: grid order varies the activation fastest, so plain
  // round-robin would give some jobs only one activation (and unequal run times).
  std::vector<std::size_t> order(combinations.size());
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(seed ^ 0x5ca1ab1e5eedULL);
  std::shuffle(order.begin(), order.end(), rng);
  for (std::size_t i = 0; i < order.size(); ++i) out[i % jobs].push_back(combinations[order[i]]);
  for (auto& job : out) {
    std::sort(job.begin(), job.end(),
              [](const auto& a, const auto& b) { return a.index < b.index; });
  }
  return out;
}

nlohmann::json scanJobJson(std::size_t job, std::size_t jobs, const ScanSpace& space,
                           const std::vector<ScanCombination>& combinations) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& c : combinations) list.push_back(toJson(c));
  return {
      {"job", job}, {"jobs", jobs}, {"training", toJson(space.training)}, {"combinations", list}};
}

ScanJob scanJobFromJson(const nlohmann::json& json) {
  ScanJob job;
  ConfigReader r(json, "");
  long long index = -1, jobs = 0;
  r.read("job", index);
  r.read("jobs", jobs);
  if (index < 0) r.fail("job", "a non-negative job number");
  if (jobs <= index) r.fail("jobs", "a job count above the job number");
  job.job = static_cast<std::size_t>(index);
  job.jobs = static_cast<std::size_t>(jobs);
  job.training = trainingFromJson(r.section("training"));
  if (!json.contains("combinations") || !json["combinations"].is_array() ||
      json["combinations"].empty()) {
    r.fail("combinations", "a non-empty list of combinations");
  }
  const auto& list = json["combinations"];
  for (std::size_t i = 0; i < list.size(); ++i) {
    job.combinations.push_back(
        scanCombinationFromJson(list[i], fmt::format("combinations[{}]", i)));
  }
  // ConfigReader cannot read a list of objects; the keys are checked here instead.
  for (const auto& [key, value] : json.items()) {
    if (key != "job" && key != "jobs" && key != "training" && key != "combinations") {
      throw InputError(fmt::format("{}: unknown key", key));
    }
  }
  return job;
}

}  // namespace bolo
