#pragma once

// How an article is laid out in Xapian: the contract between the indexer and
// the searcher. Change kVersion whenever a prefix, slot or the document data
// changes meaning, or the analysis gives other terms for the same words; the
// searcher refuses an index of another version, and an update will not
// write into one.
//
// 2: Swedish words are stemmed as their dictionary base form ("projektet"
// as "projekt"); a word whose form is not its stem is also indexed as that
// form (kExactPrefix).
// 3: Swedish stems keep the adjective endings "-lig", "-ig" and "-bar"
// ("farlig" is no longer "far"; "hållbar" is "hållbarhet"'s); words in
// "-el", "-er", "-en" that drop the e ("läkemedlet", "artiklar"), and
// compounds the dictionary does not list ("bankintyget"), are stemmed as
// their base form.
// 4: Swedish forms with another vowel than their entry, and verbs' past
// tenses and supines, are stemmed as their entry, by the suffix rules of
// the dictionary ("länder" as "land", "köpte" as "köpa", "gick" as "gå").
// 5: Swedish forms in "-tt" are stemmed as their entry by the dictionary's
// rules ("fått" as "få", "nytt" as "ny", "rött" as "röd"), and so are the
// "-a" forms of adjectives in a vowel ("nya" as "ny").
// 6: the present tense of Swedish verbs in a vowel, and their past in
// "-dde", are stemmed as their entry ("går" as "gå", "trodde" as "tro"),
// and verbs made of adjectives as the adjective ("öppnar" as "öppen");
// the page an article is (kPageSlot): a search shows each page once.
// 7: a word adds kWholeWordScale times its field's weight to its wdf, a
// compound's part its field's weight alone (see kWholeWordScale).
// 8: a spelling word's language is its last byte, not a prefix
// (kSwedishSpelling).

#include <string>
#include <string_view>

#include <xapian.h>

namespace sok::schema {

inline constexpr int kVersion = 8;

// Term prefixes. Free text (title, summary, body, tags, partners) is indexed
// unprefixed with positions; the small fields also under their own prefix
// for field queries ("title:cellterapi"); the boolean ones only prefixed.
inline constexpr std::string_view kIdPrefix = "Q";        // Q<id>, one per document
inline constexpr std::string_view kTitlePrefix = "S";     // title words, with positions
inline constexpr std::string_view kSummaryPrefix = "XS";  // summary words
// E<folded form> of a free-text word whose form is not its stem
// ("Eforskningen", not "Eforskning"), without positions, with the field's
// weight: a query word typed in that form ranks the articles with it first.
// A word whose form is its stem has none: half the terms, and the table
// measured no loss from leaving them out. Swedish words have them in every
// field, English words in the title and summary only.
inline constexpr std::string_view kExactPrefix = "E";
inline constexpr std::string_view kTagPrefix = "K";       // K<folded tag>, whole tag
inline constexpr std::string_view kPartnerPrefix = "XP";  // XP<folded partner>, whole name
inline constexpr std::string_view kAuthorPrefix = "A";    // A<folded author>, whole name
inline constexpr std::string_view kTypePrefix = "XT";     // XTnews
inline constexpr std::string_view kLanguagePrefix = "L";  // Lsv
inline constexpr std::string_view kYearPrefix = "Y";      // Y2024

// Value slots.
inline constexpr Xapian::valueno kPublishedSlot = 0;  // "YYYYMMDD": sorting, ranges, recency
inline constexpr Xapian::valueno kTypeSlot = 1;       // "news"
inline constexpr Xapian::valueno kLanguageSlot = 2;   // "sv"
inline constexpr Xapian::valueno kPartnersSlot = 3;   // partner names joined by kListSeparator
inline constexpr Xapian::valueno kTagsSlot = 4;       // tags joined by kListSeparator
inline constexpr Xapian::valueno kYearSlot = 5;       // "2024"
inline constexpr Xapian::valueno kHashSlot = 6;       // content_hash(): skip unchanged articles
inline constexpr Xapian::valueno kUpdatedSlot = 7;    // "YYYYMMDD"
// page_key() of the article's URL: the articles of one page (from two
// sources, say) show as one hit.
inline constexpr Xapian::valueno kPageSlot = 8;
inline constexpr char kListSeparator = '\x1f';

// Within-document frequency added per occurrence, by field: how much a
// field weighs in BM25.
//
// Stop words are not stored, but they keep their positions: the words
// around one stand a position apart ("Institutet i Huddinge" is
// institutet@5 huddinge@7), so a phrase query that leaves its stop words out
// and allows one position per gap still matches exactly where they stood.
// Storing them would cost a fifth of the indexing time and a tenth of the
// index for postings that never rank a document.
inline constexpr Xapian::termcount kTitleWeight = 4;
inline constexpr Xapian::termcount kSummaryWeight = 2;
inline constexpr Xapian::termcount kBodyWeight = 1;
inline constexpr Xapian::termcount kTagWeight = 3;

// A word (or unit) adds its field's weight this many times per occurrence;
// a compound's part, at the compound's position, adds it once: an article
// that says "stamceller" outranks one that only says "stamcellsforskning",
// where a part used to count as much as the word. The searcher multiplies
// BM25's k1 (and pseudo-relevance feedback's) by the same factor, which
// leaves the ranking of words as it was: in an article of average length a
// part weighs about 0.38 of a word (BM25 k1 1.2).
inline constexpr Xapian::termcount kWholeWordScale = 4;

// Fields start this many positions apart, so no phrase spans two of them.
inline constexpr Xapian::termpos kFieldGap = 100;

// Spelling words carry their language as a last byte no word has:
// "forskning\x01" is Swedish, "research\x02" English, so a suggestion is of
// the language asked for, or one edit further off. Not as a prefix: Xapian
// files every word under its first two bytes and its three-byte runs, and a
// prefix shared by all of a language's words ("sv:") made each suggestion
// weigh every word of the list (on Reuters 5 ms a word, against 0.3 ms).
// Completion reads the same list.
inline constexpr char kSwedishSpelling = '\x01';
inline constexpr char kEnglishSpelling = '\x02';

// The spelling list's entry for `form` in the language of `mark`.
inline std::string spelling_entry(std::string_view form, char mark) {
  std::string entry(form);
  entry.push_back(mark);
  return entry;
}

// The form of a spelling list entry: the entry without its mark.
inline std::string spelling_form(std::string_view entry) {
  return std::string(entry.substr(0, entry.empty() ? 0 : entry.size() - 1));
}

// The language mark of a spelling list entry; 0 when it has none.
inline char spelling_mark(std::string_view entry) {
  if (entry.empty()) return 0;
  const char last = entry.back();
  return last == kSwedishSpelling || last == kEnglishSpelling ? last : 0;
}

// Metadata keys.
inline constexpr std::string_view kVersionKey = "sok.schema_version";
inline constexpr std::string_view kBuiltAtKey = "sok.built_at";      // ISO 8601, UTC
inline constexpr std::string_view kUpdatedAtKey = "sok.updated_at";  // last update, UTC
inline constexpr std::string_view kSourcesKey = "sok.sources";       // what the build read

}  // namespace sok::schema
