#pragma once
// Products of sizes read from outside (voxel counts from a geometry file, array shapes):
// computed with an overflow check, so a crafted file cannot wrap a count around to a value
// that passes the next check and then indexes out of bounds.

#include <cstddef>
#include <optional>

namespace bolo {

/// a * b, or nullopt when it does not fit in std::size_t.
inline std::optional<std::size_t> checkedMultiply(std::size_t a, std::size_t b) {
  std::size_t product = 0;
  if (__builtin_mul_overflow(a, b, &product)) return std::nullopt;
  return product;
}

/// a + b, or nullopt when it does not fit in std::size_t.
inline std::optional<std::size_t> checkedAdd(std::size_t a, std::size_t b) {
  std::size_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) return std::nullopt;
  return sum;
}

}  // namespace bolo
