#include "ftag/JetPreprocessing.hpp"

#include <fmt/format.h>

#include <cmath>

#include "common/ConfigReader.hpp"
#include "common/Error.hpp"

namespace bolo {

namespace {

struct Layout {
  std::vector<std::string> names;
  std::vector<bool> log, isFlag;
  std::vector<long> flag;
};

Layout currentLayout() {
  Layout layout;
  for (const auto& v : jetVariables()) {
    layout.names.push_back(v.name);
    layout.log.push_back(v.logTransform);
    layout.isFlag.push_back(v.algorithm == "flag");
    const std::string flag = missingFlagFor(v.algorithm);
    layout.flag.push_back(flag.empty() ? -1L : static_cast<long>(jetVariableIndex(flag)));
  }
  return layout;
}

double transformed(double x, bool log) {
  return log ? std::log1p(std::max(0.0, x)) : x;
}

}  // namespace

JetPreprocessing JetPreprocessing::fit(const JetSample& train) {
  JetPreprocessing p;
  auto layout = currentLayout();
  if (train.variables != layout.names.size()) {
    throw InputError(fmt::format("preprocessing: sample has {} variables, expected {}",
                                 train.variables, layout.names.size()));
  }
  p.m_names = layout.names;
  p.m_log = layout.log;
  p.m_flag = layout.flag;
  p.m_isFlag = layout.isFlag;
  const std::size_t nv = layout.names.size();
  p.m_means.assign(nv, 0);
  p.m_stds.assign(nv, 1);
  for (std::size_t v = 0; v < nv; ++v) {
    if (p.m_isFlag[v]) continue;
    double sum = 0, sum2 = 0;
    std::size_t n = 0;
    for (std::size_t i = 0; i < train.size(); ++i) {
      const float* row = train.row(i);
      if (p.m_flag[v] >= 0 && row[p.m_flag[v]] > 0.5f) continue;
      const double x = transformed(row[v], p.m_log[v]);
      sum += x;
      sum2 += x * x;
      ++n;
    }
    if (n == 0) continue;  // never found in the training sample: always replaced by 0
    const double mean = sum / static_cast<double>(n);
    const double var = std::max(0.0, sum2 / static_cast<double>(n) - mean * mean);
    p.m_means[v] = mean;
    p.m_stds[v] = var > 1e-12 ? std::sqrt(var) : 1.0;
  }
  return p;
}

void JetPreprocessing::applyRow(float* row) const {
  for (std::size_t v = 0; v < m_names.size(); ++v) {
    if (m_isFlag[v]) continue;
    if (m_flag[v] >= 0 && row[m_flag[v]] > 0.5f) {
      row[v] = 0;  // the training mean, after standardisation
      continue;
    }
    row[v] = static_cast<float>((transformed(row[v], m_log[v]) - m_means[v]) / m_stds[v]);
  }
}

std::vector<float> JetPreprocessing::apply(const JetSample& sample) const {
  if (sample.variables != m_names.size()) {
    throw InputError(fmt::format("preprocessing: sample has {} variables, the model expects {}",
                                 sample.variables, m_names.size()));
  }
  std::vector<float> out = sample.features;
  for (std::size_t i = 0; i < sample.size(); ++i) applyRow(out.data() + i * sample.variables);
  return out;
}

nlohmann::json JetPreprocessing::toJson() const {
  nlohmann::json variables = nlohmann::json::array();
  for (std::size_t v = 0; v < m_names.size(); ++v) {
    variables.push_back(
        {{"name", m_names[v]},
         {"mean", m_means[v]},
         {"std", m_stds[v]},
         {"log1p", static_cast<bool>(m_log[v])},
         {"missing_flag", m_flag[v] >= 0 ? m_names[static_cast<std::size_t>(m_flag[v])] : ""}});
  }
  return {{"variables", variables}};
}

JetPreprocessing JetPreprocessing::fromJson(const nlohmann::json& json, const std::string& path) {
  if (!json.is_object() || json.size() != 1 || !json.contains("variables") ||
      !json["variables"].is_array()) {
    throw InputError(fmt::format("{}: expected an object with only a 'variables' list", path));
  }
  const auto layout = currentLayout();
  const auto& list = json["variables"];
  if (list.size() != layout.names.size()) {
    throw InputError(
        fmt::format("{}.variables: has {} entries, this bolo version has {} DL1 variables", path,
                    list.size(), layout.names.size()));
  }
  JetPreprocessing p;
  p.m_names = layout.names;
  p.m_flag = layout.flag;
  p.m_isFlag = layout.isFlag;
  for (std::size_t v = 0; v < list.size(); ++v) {
    ConfigReader r(list[v], fmt::format("{}.variables[{}]", path, v));
    std::string name, flag;
    double mean = 0, sd = 1;
    bool log = false;
    r.read("name", name);
    r.read("mean", mean);
    r.readPositive("std", sd);
    r.read("log1p", log);
    r.read("missing_flag", flag);
    r.finish();
    if (name != layout.names[v]) r.fail("name", fmt::format("'{}'", layout.names[v]));
    p.m_means.push_back(mean);
    p.m_stds.push_back(sd);
    p.m_log.push_back(log);
  }
  return p;
}

}  // namespace bolo
