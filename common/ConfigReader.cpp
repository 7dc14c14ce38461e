#include "common/ConfigReader.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <limits>

namespace bolo {

namespace {

/// A value quoted in a message: a short excerpt, never the whole (possibly huge) value.
std::string shortDump(const nlohmann::json& value) {
  return jsonExcerpt(value);
}

template <typename Int>
Int toInteger(const ConfigReader& reader, const std::string& key, const nlohmann::json& v,
              const char* what) {
  if (v.is_number_integer() || v.is_number_unsigned()) {
    if (v.is_number_unsigned()) {
      const auto u = v.get<unsigned long long>();
      if (u <= static_cast<unsigned long long>(std::numeric_limits<Int>::max()))
        return static_cast<Int>(u);
    } else {
      const auto s = v.get<long long>();
      if (s >= static_cast<long long>(std::numeric_limits<Int>::min()) &&
          (s < 0 || static_cast<unsigned long long>(s) <=
                        static_cast<unsigned long long>(std::numeric_limits<Int>::max())))
        return static_cast<Int>(s);
    }
  }
  reader.fail(key, what);
}

}  // namespace

ConfigReader::ConfigReader(const nlohmann::json& object, std::string path)
    : m_object(object), m_path(std::move(path)) {
  if (!m_object.is_object()) {
    throw InputError(fmt::format("{}: expected an object, got {}",
                                 m_path.empty() ? "config" : m_path, shortDump(m_object)));
  }
}

std::string ConfigReader::pathOf(const std::string& key) const {
  return m_path.empty() ? key : m_path + "." + key;
}

void ConfigReader::fail(const std::string& key, const std::string& what) const {
  const auto it = m_object.find(key);
  const std::string got = it == m_object.end() ? "nothing" : shortDump(*it);
  throw InputError(fmt::format("{}: expected {}, got {}", pathOf(key), what, got));
}

const nlohmann::json* ConfigReader::find(const std::string& key) {
  const auto it = m_object.find(key);
  if (it == m_object.end()) return nullptr;
  m_consumed.insert(key);
  return &*it;
}

bool ConfigReader::has(const std::string& key) const {
  return m_object.contains(key);
}

void ConfigReader::read(const std::string& key, bool& value) {
  if (const auto* v = find(key)) {
    if (!v->is_boolean()) fail(key, "true or false");
    value = v->get<bool>();
  }
}

void ConfigReader::read(const std::string& key, std::string& value) {
  if (const auto* v = find(key)) {
    if (!v->is_string()) fail(key, "a string");
    value = v->get<std::string>();
  }
}

void ConfigReader::read(const std::string& key, double& value) {
  if (const auto* v = find(key)) {
    if (!v->is_number()) fail(key, "a number");
    value = v->get<double>();
    if (!std::isfinite(value)) fail(key, "a finite number");
  }
}

void ConfigReader::read(const std::string& key, std::vector<double>& value) {
  if (const auto* v = find(key)) {
    if (!v->is_array()) fail(key, "an array of numbers");
    std::vector<double> out;
    for (const auto& e : *v) {
      if (!e.is_number() || !std::isfinite(e.get<double>())) fail(key, "an array of numbers");
      out.push_back(e.get<double>());
    }
    value = std::move(out);
  }
}

void ConfigReader::read(const std::string& key, std::vector<std::string>& value) {
  if (const auto* v = find(key)) {
    if (!v->is_array()) fail(key, "an array of strings");
    std::vector<std::string> out;
    for (const auto& e : *v) {
      if (!e.is_string()) fail(key, "an array of strings");
      out.push_back(e.get<std::string>());
    }
    value = std::move(out);
  }
}

void ConfigReader::read(const std::string& key, std::vector<int>& value) {
  if (const auto* v = find(key)) {
    if (!v->is_array()) fail(key, "an array of integers");
    std::vector<int> out;
    for (const auto& e : *v) out.push_back(toInteger<int>(*this, key, e, "an array of integers"));
    value = std::move(out);
  }
}

void ConfigReader::read(const std::string& key, int& value) {
  if (const auto* v = find(key)) value = toInteger<int>(*this, key, *v, "an integer");
}

void ConfigReader::read(const std::string& key, long long& value) {
  if (const auto* v = find(key)) value = toInteger<long long>(*this, key, *v, "an integer");
}

void ConfigReader::read(const std::string& key, unsigned long long& value) {
  if (const auto* v = find(key))
    value = toInteger<unsigned long long>(*this, key, *v, "a non-negative integer");
}

void ConfigReader::readPositive(const std::string& key, int& value) {
  if (const auto* v = find(key)) {
    value = toInteger<int>(*this, key, *v, "a positive integer");
    if (value <= 0) fail(key, "a positive integer");
  }
}

void ConfigReader::readPositive(const std::string& key, double& value) {
  read(key, value);
  if (has(key) && !(value > 0)) fail(key, "a positive number");
}

void ConfigReader::readInRange(const std::string& key, double& value, double lo, double hi) {
  read(key, value);
  if (has(key) && !(value >= lo && value <= hi))
    fail(key, fmt::format("a number in [{}, {}]", lo, hi));
}

void ConfigReader::readChoice(const std::string& key, std::string& value,
                              const std::vector<std::string>& allowed) {
  const std::string what = fmt::format("one of {}", fmt::join(allowed, ", "));
  if (const auto* v = find(key)) {
    if (!v->is_string()) fail(key, what);
    const auto s = v->get<std::string>();
    if (std::find(allowed.begin(), allowed.end(), s) == allowed.end()) fail(key, what);
    value = s;
  }
}

ConfigReader ConfigReader::section(const std::string& key) {
  if (const auto* v = find(key)) {
    if (!v->is_object()) fail(key, "an object");
    return ConfigReader(*v, pathOf(key));
  }
  return ConfigReader(nlohmann::json::object(), pathOf(key));
}

void ConfigReader::finish() const {
  for (const auto& [key, value] : m_object.items()) {
    if (!m_consumed.count(key)) {
      throw InputError(fmt::format("{}: unknown key", pathOf(key)));
    }
  }
}

}  // namespace bolo
