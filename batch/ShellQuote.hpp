#pragma once
// Quoting for the few places where a value must cross a shell or a batch system's own parser
// (sbatch scripts, HTCondor submit files, the grid client line shown to users). Values are
// never trusted: quoting makes any string one inert word, and job names are reduced to a
// small alphabet before a batch system sees them.

#include <string>
#include <vector>

namespace bolo::batch {

/// One POSIX shell word that expands to exactly `value`: single quotes, with each embedded
/// quote written as '\''. Safe for spaces, $(), backticks, quotes, newlines and globbing.
std::string shellQuote(const std::string& value);

/// `value` unchanged when it is a plain word (letters, digits and ._/:,@+-), else shellQuote.
/// '=' is never plain: a first word with '=' would be a shell variable assignment.
std::string shellQuoteIfNeeded(const std::string& value);

/// The words of `argv` quoted and joined by spaces.
std::string shellJoin(const std::vector<std::string>& argv);

/// A job name every batch system accepts as a plain token: letters, digits, '.', '_', '-'
/// kept, anything else replaced by '_'; never starting with '-'; at most 64 characters;
/// "bolo-job" when nothing usable is left.
std::string sanitizeJobName(const std::string& name);

/// Throw InputError naming `what` if `value` holds a newline or NUL: such a value cannot be
/// written on one line of a submit file even when quoted.
void requireSingleLine(const std::string& value, const std::string& what);

}  // namespace bolo::batch
