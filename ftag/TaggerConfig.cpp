#include "ftag/TaggerConfig.hpp"

#include "common/ConfigReader.hpp"
#include "ftag/ScanSpace.hpp"

namespace bolo {

const std::vector<std::string>& taggerActivations() {
  return taggerActivationNames();
}

TaggerConfig taggerConfigFromJson(const nlohmann::json& json, const std::string& path) {
  TaggerConfig c;
  ConfigReader r(json, path);
  r.read("hidden", c.hidden);
  if (c.hidden.empty()) r.fail("hidden", "a non-empty list of layer sizes");
  for (int h : c.hidden) {
    if (h <= 0 || h > 65536) r.fail("hidden", "layer sizes between 1 and 65536");
  }
  r.readChoice("activation", c.activation, taggerActivations());
  r.read("batch_norm", c.batchNorm);
  r.readPositive("learning_rate", c.learningRate);
  r.readPositive("batch_size", c.batchSize);
  r.readPositive("epochs", c.epochs);
  r.read("patience", c.patience);
  if (c.patience < 0) r.fail("patience", "a non-negative integer");
  r.read("min_delta", c.minDelta);
  if (c.minDelta < 0) r.fail("min_delta", "a non-negative number");
  r.read("balance_classes", c.balanceClasses);
  unsigned long long seed = c.seed;
  r.read("seed", seed);
  c.seed = seed;
  r.read("device", c.device);
  r.finish();
  return c;
}

nlohmann::json toJson(const TaggerConfig& c) {
  return {{"hidden", c.hidden},
          {"activation", c.activation},
          {"batch_norm", c.batchNorm},
          {"learning_rate", c.learningRate},
          {"batch_size", c.batchSize},
          {"epochs", c.epochs},
          {"patience", c.patience},
          {"min_delta", c.minDelta},
          {"balance_classes", c.balanceClasses},
          {"seed", c.seed},
          {"device", c.device}};
}

TaggerRunConfig taggerRunConfigFromJson(const nlohmann::json& json) {
  TaggerRunConfig c;
  ConfigReader r(json, "");
  r.read("data", c.data);
  r.read("run", c.run);
  if (c.run.empty() || c.run.find('/') != std::string::npos)
    r.fail("run", "a non-empty name without '/'");
  r.read("threads", c.threads);
  if (c.threads < 0) r.fail("threads", "a non-negative integer");
  r.readInRange("f_c", c.fc, 0, 1);
  if (r.has("network")) c.network = taggerConfigFromJson(json.at("network"), "network");
  r.section("network");
  r.finish();
  return c;
}

nlohmann::json toJson(const TaggerRunConfig& c) {
  return {{"data", c.data},
          {"run", c.run},
          {"threads", c.threads},
          {"f_c", c.fc},
          {"network", toJson(c.network)}};
}

}  // namespace bolo
