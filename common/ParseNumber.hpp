#pragma once
// Numbers read from text that Bolo does not control: environment variables, files other
// programs write (/proc, squeue, XGBoost), lists on the command line. The whole text must be
// the number and the number must be in range: no silent wrap-around, no exception from
// std::stoi escaping as an "internal error".

#include <optional>
#include <string>
#include <string_view>

namespace bolo {

/// All of `text` as a decimal integer in [lo, hi]; nullopt for anything else (empty, junk
/// before or after, overflow, out of range).
std::optional<long long> toInteger(std::string_view text, long long lo, long long hi);
/// All of `text` as a non-negative decimal integer up to `hi`.
std::optional<unsigned long long> toUnsigned(std::string_view text, unsigned long long hi);
/// All of `text` as a finite number in [lo, hi] ("1e400" and "nan" are not).
std::optional<double> toNumber(std::string_view text, double lo, double hi);

/// `text` without the spaces and tabs around it (the to* functions take no padding).
std::string_view trimSpaces(std::string_view text);

/// As toInteger, or InputError "<source>: expected an integer in [lo, hi], got '<text>'".
long long parseInteger(std::string_view text, long long lo, long long hi,
                       const std::string& source);
/// As toNumber, or InputError "<source>: expected a number in [lo, hi], got '<text>'".
double parseNumber(std::string_view text, double lo, double hi, const std::string& source);

}  // namespace bolo
