#include <gtest/gtest.h>

#include <limits>

#include "common/CheckedMath.hpp"
#include "common/Error.hpp"
#include "common/ParseNumber.hpp"

using bolo::toInteger;
using bolo::toNumber;
using bolo::toUnsigned;

TEST(ParseNumber, IntegersAreWholeAndInRange) {
  EXPECT_EQ(toInteger("42", 0, 100), 42);
  EXPECT_EQ(toInteger("-3", -5, 5), -3);
  EXPECT_EQ(toInteger("101", 0, 100), std::nullopt);
  EXPECT_EQ(toInteger("-1", 0, 100), std::nullopt);
  // What std::stoi/atoi accepted or threw on: junk after, blanks, overflow.
  EXPECT_EQ(toInteger("12abc", 0, 100), std::nullopt);
  EXPECT_EQ(toInteger(" 12", 0, 100), std::nullopt);
  EXPECT_EQ(toInteger("", 0, 100), std::nullopt);
  EXPECT_EQ(toInteger("99999999999999999999", 0, std::numeric_limits<long long>::max()),
            std::nullopt);
  EXPECT_EQ(toInteger("1.5", 0, 100), std::nullopt);
}

TEST(ParseNumber, UnsignedRejectsSigns) {
  EXPECT_EQ(toUnsigned("18446744073709551615", std::numeric_limits<unsigned long long>::max()),
            std::numeric_limits<unsigned long long>::max());
  EXPECT_EQ(toUnsigned("18446744073709551616", std::numeric_limits<unsigned long long>::max()),
            std::nullopt);
  EXPECT_EQ(toUnsigned("-1", 100), std::nullopt);
}

TEST(ParseNumber, NumbersAreFiniteAndInRange) {
  EXPECT_EQ(toNumber("2.5", 0, 10), 2.5);
  EXPECT_EQ(toNumber("+2.5", 0, 10), 2.5);
  EXPECT_EQ(toNumber("1e3", 0, 1e6), 1000.0);
  EXPECT_EQ(toNumber("1e400", 0, std::numeric_limits<double>::max()), std::nullopt);
  EXPECT_EQ(toNumber("inf", 0, std::numeric_limits<double>::max()), std::nullopt);
  EXPECT_EQ(toNumber("nan", -1, 1), std::nullopt);
  EXPECT_EQ(toNumber("11", 0, 10), std::nullopt);
  EXPECT_EQ(toNumber("2.5s", 0, 10), std::nullopt);
}

TEST(ParseNumber, ErrorsNameTheSourceAndQuoteShortly) {
  try {
    bolo::parseInteger(std::string(100, '9'), 0, 10, "BOLO_X");
    FAIL();
  } catch (const bolo::InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              "BOLO_X: expected an integer in [0, 10], got '" + std::string(37, '9') + "...'");
  }
  try {
    bolo::parseNumber("abc", 0, 1, "file.txt: line 3");
    FAIL();
  } catch (const bolo::InputError& e) {
    EXPECT_EQ(std::string(e.what()), "file.txt: line 3: expected a number in [0, 1], got 'abc'");
  }
  EXPECT_EQ(bolo::trimSpaces(" \t12 "), "12");
  EXPECT_EQ(bolo::trimSpaces("   "), "");
}

TEST(CheckedMath, ProductsAndSumsThatOverflowAreRefused) {
  EXPECT_EQ(bolo::checkedMultiply(16, 268435466), std::size_t{4294967456});
  const auto max = std::numeric_limits<std::size_t>::max();
  EXPECT_EQ(bolo::checkedMultiply(max / 2 + 1, 2), std::nullopt);
  EXPECT_EQ(bolo::checkedMultiply(max, 1), max);
  EXPECT_EQ(bolo::checkedAdd(max, 1), std::nullopt);
  EXPECT_EQ(bolo::checkedAdd(max - 1, 1), max);
}
