#include "calo/TrainingMetrics.hpp"

#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

namespace bolo {

namespace {

/// The iteration of one line, or nothing when the line is not a record (torn, not an object,
/// iteration missing or not an integer).
std::optional<long long> iterationOf(const nlohmann::json& record) {
  if (!record.is_object()) return std::nullopt;
  const auto it = record.find("iteration");
  if (it == record.end() || !it->is_number_integer()) return std::nullopt;
  if (it->is_number_unsigned() &&
      it->get<unsigned long long>() >
          static_cast<unsigned long long>(std::numeric_limits<long long>::max()))
    return std::nullopt;
  return it->get<long long>();
}

nlohmann::json parseLine(const std::string& line) {
  // allow_exceptions=false: a torn line is expected after kill -9, not an error.
  return nlohmann::json::parse(line, nullptr, false);
}

}  // namespace

std::string metricsUpTo(const std::string& text, long long iteration) {
  std::istringstream in(text);
  std::string line, kept;
  std::optional<long long> previous;
  while (std::getline(in, line)) {
    const auto at = iterationOf(parseLine(line));
    if (!at || *at > iteration || (previous && *at <= *previous)) continue;
    previous = at;
    kept += line + "\n";
  }
  return kept;
}

std::vector<LossRecord> parseLossRecords(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  std::vector<LossRecord> out;
  while (std::getline(in, line)) {
    const auto record = parseLine(line);
    const auto at = iterationOf(record);
    if (!at) continue;
    LossRecord r;
    r.iteration = *at;
    bool complete = true;
    for (const auto& [key, field] :
         {std::pair{"critic_loss", &r.criticLoss}, std::pair{"generator_loss", &r.generatorLoss},
          std::pair{"wasserstein", &r.wasserstein},
          std::pair{"gradient_penalty", &r.gradientPenalty}}) {
      const auto it = record.find(key);
      if (it == record.end() || !it->is_number()) {
        complete = false;
        break;
      }
      *field = it->get<double>();
    }
    if (complete) out.push_back(r);
  }
  return out;
}

}  // namespace bolo
