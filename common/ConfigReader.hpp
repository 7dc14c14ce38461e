#pragma once
// Strict reading of JSON configs into plain structs. Every key must be consumed: an unknown
// key, a wrong type or an out-of-range value throws InputError naming the JSON path, e.g.
//   train.batch_size: expected a positive integer, got -3

#include <cmath>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/Error.hpp"
#include "common/JsonParse.hpp"  // parseJson, readJsonFile: how every config is read

namespace bolo {

/// Reads one JSON object; nested objects get their own reader through `section()`.
/// Call `finish()` after reading all keys to reject the unknown ones.
class ConfigReader {
 public:
  /// `path` is the JSON path of `object` in the document ("" for the root).
  ConfigReader(const nlohmann::json& object, std::string path);

  /// Read `key` if present (leaving `value` at its default otherwise).
  void read(const std::string& key, bool& value);
  void read(const std::string& key, std::string& value);
  void read(const std::string& key, double& value);
  void read(const std::string& key, std::vector<double>& value);
  void read(const std::string& key, std::vector<std::string>& value);
  void read(const std::string& key, std::vector<int>& value);
  /// Integers must be whole numbers in range of the type.
  void read(const std::string& key, int& value);
  void read(const std::string& key, long long& value);
  void read(const std::string& key, unsigned long long& value);

  /// Read and check `value > 0`.
  void readPositive(const std::string& key, int& value);
  void readPositive(const std::string& key, double& value);
  /// Read and check lo <= value <= hi.
  void readInRange(const std::string& key, double& value, double lo, double hi);
  /// Read a string that must be one of `allowed`.
  void readChoice(const std::string& key, std::string& value,
                  const std::vector<std::string>& allowed);

  /// The reader of a nested object (an empty object when the key is absent).
  ConfigReader section(const std::string& key);
  bool has(const std::string& key) const;

  /// Throw for any key that was not read.
  void finish() const;

  /// The JSON path of `key` in this object, e.g. "train.batch_size".
  std::string pathOf(const std::string& key) const;

  /// Throw InputError "<path>: expected <what>, got <value>".
  [[noreturn]] void fail(const std::string& key, const std::string& what) const;

 private:
  const nlohmann::json* find(const std::string& key);

  nlohmann::json m_object;
  std::string m_path;
  std::set<std::string> m_consumed;
};

}  // namespace bolo
