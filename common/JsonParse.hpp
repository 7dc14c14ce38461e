#pragma once
// The one way Bolo reads JSON: configs, scan spaces, site catalogues, job records,
// checkpoint sidecars, metrics lines, the output of child processes. Every document is read
// with a nesting limit, numbers a double cannot hold are invalid input naming their JSON
// path, and error messages quote values through a bounded excerpt, never a whole dump.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

namespace bolo {

/// Deepest nesting accepted in any JSON document (objects and arrays counted together).
/// Bolo's own files nest at most five levels; the limit keeps hostile input from exhausting
/// the stack in the recursive code that copies, compares or prints a value.
inline constexpr int kMaxJsonDepth = 64;

/// Parse a JSON document from text. Syntax errors, nesting deeper than kMaxJsonDepth and
/// numbers out of range of a double become InputError naming `origin` (and the JSON path).
nlohmann::json parseJson(const std::string& text, const std::string& origin);

/// Read and parse a JSON file with parseJson; a missing or malformed file is an InputError.
nlohmann::json readJsonFile(const std::string& path);

/// At most `maxChars` characters of `value`'s compact JSON text ("..." marks a cut), built
/// without walking more of the value than it prints: safe for any value in a message.
std::string jsonExcerpt(const nlohmann::json& value, std::size_t maxChars = 60);

}  // namespace bolo
