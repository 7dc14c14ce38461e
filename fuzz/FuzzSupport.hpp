#pragma once
// What every fuzz target shares: the oracle.
//
// The oracle: a parser of outside input may reject it only with bolo::InputError (exit 2 and
// one line). Any other exception (a nlohmann type_error, std::out_of_range, bad_alloc) would
// end the program as "internal error" with exit 1, so it escapes the target and libFuzzer
// reports it as a crash, like a sanitizer finding.

#include <cstddef>
#include <cstdint>
#include <string>

#include "common/Error.hpp"

namespace bolo::fuzz {

inline std::string text(const std::uint8_t* data, std::size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

/// Run `parse`; swallow only InputError.
template <typename F>
void expectOnlyInputErrors(F&& parse) {
  try {
    parse();
  } catch (const InputError&) {
  }
}

}  // namespace bolo::fuzz
