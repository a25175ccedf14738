#include "sok/stemming/stop_words.h"

#include <string>
#include <unordered_set>

namespace sok {
namespace {

// Snowball's Swedish stop list, plus dot-less abbreviations.
const std::unordered_set<std::string_view>& swedish() {
  static const std::unordered_set<std::string_view> words = {
      "och",   "det",   "att",   "i",      "en",    "jag",    "hon",    "som",   "han",    "på",
      "den",   "med",   "var",   "sig",    "för",   "så",     "till",   "är",    "men",    "ett",
      "om",    "hade",  "de",    "av",     "icke",  "mig",    "du",     "henne", "då",     "sin",
      "nu",    "har",   "inte",  "hans",   "honom", "skulle", "hennes", "där",   "min",    "man",
      "ej",    "vid",   "kunde", "något",  "från",  "ut",     "när",    "efter", "upp",    "vi",
      "dem",   "vara",  "vad",   "över",   "än",    "dig",    "kan",    "sina",  "här",    "ha",
      "mot",   "alla",  "under", "någon",  "eller", "allt",   "mycket", "sedan", "ju",     "denna",
      "själv", "detta", "åt",    "utan",   "varit", "hur",    "ingen",  "mitt",  "ni",     "bli",
      "blev",  "oss",   "din",   "dessa",  "några", "deras",  "blir",   "mina",  "samma",  "vilken",
      "er",    "sådan", "vår",   "blivit", "dess",  "inom",   "mellan", "sånt",  "varför", "varje",
      "vilka", "ditt",  "vem",   "vilket", "sitta", "sådana", "vart",   "dina",  "vars",   "vårt",
      "våra",  "ert",   "era",   "vilkas", "tex",   "bla",    "dvs",    "osv",   "mm",     "pga",
      "ca",    "resp",  "ska",   "också"};
  return words;
}

// Snowball's English stop list, plus dot-less abbreviations.
const std::unordered_set<std::string_view>& english() {
  static const std::unordered_set<std::string_view> words = {
      "i",       "me",    "my",      "myself",   "we",         "our",     "ours",    "ourselves",
      "you",     "your",  "yours",   "yourself", "yourselves", "he",      "him",     "his",
      "himself", "she",   "her",     "hers",     "herself",    "it",      "its",     "itself",
      "they",    "them",  "their",   "theirs",   "themselves", "what",    "which",   "who",
      "whom",    "this",  "that",    "these",    "those",      "am",      "is",      "are",
      "was",     "were",  "be",      "been",     "being",      "have",    "has",     "had",
      "having",  "do",    "does",    "did",      "doing",      "would",   "should",  "could",
      "ought",   "a",     "an",      "the",      "and",        "but",     "if",      "or",
      "because", "as",    "until",   "while",    "of",         "at",      "by",      "for",
      "with",    "about", "against", "between",  "into",       "through", "during",  "before",
      "after",   "above", "below",   "to",       "from",       "up",      "down",    "in",
      "out",     "on",    "off",     "over",     "under",      "again",   "further", "then",
      "once",    "here",  "there",   "when",     "where",      "why",     "how",     "all",
      "any",     "both",  "each",    "few",      "more",       "most",    "other",   "some",
      "such",    "no",    "nor",     "not",      "only",       "own",     "same",    "so",
      "than",    "too",   "very",    "can",      "will",       "just",    "eg",      "ie",
      "etc"};
  return words;
}

}  // namespace

bool is_stop_word(std::string_view folded_word, Language language) {
  switch (language) {
    case Language::sv:
      return swedish().count(folded_word) > 0;
    case Language::en:
      return english().count(folded_word) > 0;
    case Language::unknown:
      break;
  }
  return swedish().count(folded_word) > 0 || english().count(folded_word) > 0;
}

bool is_interrogative(std::string_view folded_word, Language language) {
  static const std::unordered_set<std::string_view> swedish = {
      "vad", "vem", "vems", "vilka", "vilken", "vilket", "när", "var", "vart", "varför", "hur"};
  static const std::unordered_set<std::string_view> english = {
      "what", "who", "whom", "whose", "which", "when", "where", "why", "how"};
  const bool in_swedish = swedish.count(folded_word) > 0;
  const bool in_english = english.count(folded_word) > 0;
  switch (language) {
    case Language::sv:
      return in_swedish;
    case Language::en:
      return in_english;
    case Language::unknown:
      break;
  }
  return in_swedish || in_english;
}

}  // namespace sok
