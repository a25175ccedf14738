#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_set>

#include "sok/stemming/analyzer.h"

namespace sok {

// The index terms a query looks for, to mark in titles and snippets.
using TermSet = std::unordered_set<std::string>;

// `text` as HTML with every word whose term (stem, compound part or unit
// part) is in `terms` wrapped in <mark>…</mark>; everything else escaped.
std::string highlight(Analyzer& analyzer, std::string_view text, Language language,
                      const TermSet& terms);

// A passage of at most about `max_bytes` of `text`, cut at whole words around
// the densest cluster of marked words (the start of the text when nothing is
// marked), highlighted as highlight() does, with "…" where it was cut.
std::string snippet(Analyzer& analyzer, std::string_view text, Language language,
                    const TermSet& terms, std::size_t max_bytes);

// `text` with & < > " ' escaped for HTML.
std::string escape_html(std::string_view text);

}  // namespace sok
