#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "sok/stemming/analyzer.h"

namespace sok {

// The index terms a query looks for, to mark in titles and snippets.
using TermSet = std::unordered_set<std::string>;

// The parts of a query's compound words that match only near each other
// (a keyword query's "cell" and "terapi" of "cellterapi"), one list a word:
// such a part is marked only within the list's size plus 3 positions of
// another of its list.
using PartGroups = std::vector<std::vector<std::string>>;

// `text` as HTML with every word whose term (stem, compound part or unit
// part) is in `terms` wrapped in <mark>…</mark>; everything else escaped.
std::string highlight(Analyzer& analyzer, std::string_view text, Language language,
                      const TermSet& terms, const PartGroups& together = {});

// A passage of at most about `max_bytes` of `text`, cut at whole words around
// the densest cluster of marked words (the start of the text when nothing is
// marked), highlighted as highlight() does, with "…" where it was cut.
std::string snippet(Analyzer& analyzer, std::string_view text, Language language,
                    const TermSet& terms, std::size_t max_bytes, const PartGroups& together = {});

// `text` with & < > " ' escaped for HTML.
std::string escape_html(std::string_view text);

}  // namespace sok
