// An article laid out as a Xapian document (DocumentBuilder::build), as
// schema.h promises the searcher: boolean filter terms, field terms with
// positions, stems and compound parts, stop-word gaps, value slots, the
// document data and the spelling words.

#include <xapian.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "sok/index/article.h"
#include "sok/index/document_builder.h"
#include "sok/index/schema.h"
#include "support.h"

namespace sok::test {
namespace {

// One builder for the whole file: it loads the Swedish dictionary once.
DocumentBuilder& builder() {
  static DocumentBuilder instance;
  return instance;
}

Article swedish_article() {
  Article a;
  a.id = "sv-nyhet-2024-7";
  a.url = "https://flemingsberg-science.se/nyheter/2024/ny-infrastruktur/";
  a.language = Language::sv;
  a.type = ArticleType::news;
  a.title = "Forskningsinfrastrukturen vid Institutet i Huddinge växer";
  a.summary = "Labbet öppnar för företag.";
  a.body =
      "Forskningen vid Karolinska Institutet i Huddinge får en ny forskningsinfrastruktur. "
      "Institutet i Huddinge bjuder in forskare och företag till labbet.";
  a.published = Date{2024, 3, 14};
  a.updated = Date{2024, 4, 2};
  a.tags = {"Life Science", "cellterapi"};
  a.partners = {"Karolinska Institutet", "Novum Inkubator"};
  a.author = "Anna Berg";
  a.origin = "test.jsonl:1";
  return a;
}

std::vector<Xapian::termpos> positions(const Xapian::Document& doc, const std::string& term) {
  std::vector<Xapian::termpos> out;
  for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
    if (*it != term) continue;
    for (auto p = it.positionlist_begin(); p != it.positionlist_end(); ++p) out.push_back(*p);
  }
  return out;
}

bool has_term(const Xapian::Document& doc, const std::string& term) {
  auto it = doc.termlist_begin();
  it.skip_to(term);
  return it != doc.termlist_end() && *it == term;
}

Xapian::termcount wdf(const Xapian::Document& doc, const std::string& term) {
  auto it = doc.termlist_begin();
  it.skip_to(term);
  return it != doc.termlist_end() && *it == term ? it.get_wdf() : 0;
}

// Every term with its positions, one a line, for INFO.
std::string dump(const Xapian::Document& doc) {
  std::ostringstream out;
  for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
    out << *it << " wdf=" << it.get_wdf();
    for (auto p = it.positionlist_begin(); p != it.positionlist_end(); ++p) out << ' ' << *p;
    out << '\n';
  }
  return out.str();
}

// The positions of terms that start with `prefix` followed by a lower-case
// letter or digit (so "S" does not take in "XS...").
std::vector<Xapian::termpos> prefixed_positions(const Xapian::Document& doc,
                                                const std::string& prefix) {
  std::vector<Xapian::termpos> out;
  for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
    const std::string term = *it;
    if (term.size() <= prefix.size() || term.compare(0, prefix.size(), prefix) != 0) continue;
    const unsigned char next = static_cast<unsigned char>(term[prefix.size()]);
    if (next >= 'A' && next <= 'Z') continue;
    for (auto p = it.positionlist_begin(); p != it.positionlist_end(); ++p) out.push_back(*p);
  }
  return out;
}

// The spelling words with their counts, by form.
std::map<std::string, Xapian::termcount> spelling_map(const IndexedDocument& indexed) {
  std::map<std::string, Xapian::termcount> out;
  for (const auto& word : indexed.spelling_words) ++out[word];
  return out;
}

}  // namespace

TEST_CASE("An article gets its id term and its boolean filter terms", "[builder]") {
  const Article article = swedish_article();
  const IndexedDocument indexed = builder().build(article);
  const Xapian::Document& doc = indexed.document;
  INFO(dump(doc));
  CHECK(indexed.id_term == "Qsv-nyhet-2024-7");
  CHECK(indexed.language == Language::sv);
  for (const char* term : {"Qsv-nyhet-2024-7", "XTnews", "Lsv", "Y2024"}) {
    CAPTURE(term);
    CHECK(has_term(doc, term));
    CHECK(wdf(doc, term) == 0);
    CHECK(positions(doc, term).empty());
  }
  // One of each: no other type, language or year.
  std::size_t filters = 0;
  for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
    const std::string term = *it;
    if (term.rfind("XT", 0) == 0 || term.rfind("Y", 0) == 0 || term.rfind("Q", 0) == 0 ||
        (term.size() == 3 && term[0] == 'L'))
      ++filters;
  }
  CHECK(filters == 4);
}

TEST_CASE("An article without a date has no year term and no date values", "[builder]") {
  Article article = swedish_article();
  article.published.reset();
  article.updated.reset();
  const Xapian::Document doc = builder().build(article).document;
  INFO(dump(doc));
  for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
    const std::string term = *it;
    CAPTURE(term);
    CHECK_FALSE((term.size() == 5 && term[0] == 'Y'));
  }
  CHECK(doc.get_value(schema::kPublishedSlot).empty());
  CHECK(doc.get_value(schema::kYearSlot).empty());
  CHECK(doc.get_value(schema::kUpdatedSlot).empty());
}

TEST_CASE("Title words are indexed under S with positions and unprefixed", "[builder]") {
  const IndexedDocument indexed = builder().build(swedish_article());
  const Xapian::Document& doc = indexed.document;
  INFO(dump(doc));
  REQUIRE(has_term(doc, "Shudding"));
  const auto title_positions = positions(doc, "Shudding");
  REQUIRE(title_positions.size() == 1);
  // The same word unprefixed at the same position (and again in the body).
  const auto all_positions = positions(doc, "hudding");
  CHECK(std::find(all_positions.begin(), all_positions.end(), title_positions[0]) !=
        all_positions.end());
  CHECK(all_positions.size() == 3);
  // Title words weigh kTitleWeight per occurrence, in kWholeWordScale units.
  CHECK(wdf(doc, "Shudding") == schema::kTitleWeight * schema::kWholeWordScale);
  CHECK(has_term(doc, "Sväx"));
  // Summary words under XS.
  CHECK(has_term(doc, "XSföretag"));
  CHECK_FALSE(has_term(doc, "Sföretag"));
}

TEST_CASE("Body words are indexed as their stems, without a prefix", "[builder]") {
  const Xapian::Document doc = builder().build(swedish_article()).document;
  INFO(dump(doc));
  CHECK(has_term(doc, "forskning"));  // "Forskningen"
  CHECK(has_term(doc, "forsk"));      // "forskare"
  CHECK(has_term(doc, "bjud"));       // "bjuder"
  CHECK(has_term(doc, "karolinsk"));  // "Karolinska"
  CHECK(has_term(doc, "hudding"));    // "Huddinge"
  CHECK_FALSE(has_term(doc, "forskningen"));
  CHECK_FALSE(has_term(doc, "Forskningen"));
  CHECK_FALSE(has_term(doc, "forskare"));
  CHECK_FALSE(has_term(doc, "bjuder"));
  // Body words carry no field prefix: "bjuder" is only in the body.
  CHECK_FALSE(has_term(doc, "Sbjud"));
  CHECK_FALSE(has_term(doc, "XSbjud"));
  CHECK(wdf(doc, "bjud") == schema::kBodyWeight * schema::kWholeWordScale);
  CHECK(positions(doc, "forskning").size() == 3);  // title part, body word, body part
}

TEST_CASE("A word whose form is not its stem is also indexed as that form", "[builder]") {
  const Xapian::Document doc = builder().build(swedish_article()).document;
  INFO(dump(doc));
  const std::string exact(schema::kExactPrefix);
  constexpr auto scale = schema::kWholeWordScale;
  CHECK(wdf(doc, exact + "forskningen") == schema::kBodyWeight * scale);  // body "Forskningen"
  CHECK(wdf(doc, exact + "växer") == schema::kTitleWeight * scale);       // title "växer"
  CHECK(has_term(doc, exact + "forskare"));
  CHECK(positions(doc, exact + "forskningen").empty());
  // Not a form that is its own stem ("ny"), a stem, a compound's part, nor a
  // stop word.
  CHECK_FALSE(has_term(doc, exact + "ny"));
  CHECK_FALSE(has_term(doc, exact + "forskning"));
  CHECK_FALSE(has_term(doc, exact + "infrastruktur"));
  CHECK_FALSE(has_term(doc, exact + "i"));
}

TEST_CASE("English words are indexed in their exact forms in the title and summary only",
          "[builder]") {
  Article article = swedish_article();
  article.language = Language::en;
  article.title = "Researchers open new laboratories";
  article.summary = "Companies moving in";
  article.body = "Researchers say the laboratories are opening soon.";
  const Xapian::Document doc = builder().build(article).document;
  INFO(dump(doc));
  const std::string exact(schema::kExactPrefix);
  constexpr auto scale = schema::kWholeWordScale;
  CHECK(wdf(doc, exact + "researchers") == schema::kTitleWeight * scale);  // not the body's too
  CHECK(wdf(doc, exact + "laboratories") == schema::kTitleWeight * scale);
  CHECK(wdf(doc, exact + "companies") == schema::kSummaryWeight * scale);
  CHECK_FALSE(has_term(doc, exact + "opening"));  // body only
  CHECK(has_term(doc, "open"));
}

TEST_CASE("Swedish compounds are indexed with their parts", "[builder]") {
  const Xapian::Document doc = builder().build(swedish_article()).document;
  INFO(dump(doc));
  CHECK(has_term(doc, "infrastruktur"));
  CHECK(has_term(doc, "Sinfrastruktur"));
  // The part stands at the compound's position.
  const auto parts = positions(doc, "Sinfrastruktur");
  REQUIRE(parts.size() == 1);
  CHECK(parts[0] == 1);
  // A part adds its field's weight once, a word kWholeWordScale times: the
  // title's and the body's "forskningsinfrastruktur" have it as a part only.
  CHECK(wdf(doc, "Sinfrastruktur") == schema::kTitleWeight);
  CHECK(wdf(doc, "infrastruktur") == schema::kTitleWeight + schema::kBodyWeight);
  CHECK(wdf(doc, "Sforskningsinfrastruktur") == schema::kTitleWeight * schema::kWholeWordScale);
}

TEST_CASE("Stop words are not stored but keep their positions", "[builder]") {
  const Xapian::Document doc = builder().build(swedish_article()).document;
  INFO(dump(doc));
  CHECK_FALSE(has_term(doc, "i"));
  CHECK_FALSE(has_term(doc, "vid"));
  CHECK_FALSE(has_term(doc, "och"));
  CHECK_FALSE(has_term(doc, "Si"));
  // "Institutet i Huddinge": institut at p and hudding at p + 2, in the
  // title and twice in the body.
  const auto institut = positions(doc, "institut");
  const auto huddinge = positions(doc, "hudding");
  REQUIRE_FALSE(institut.empty());
  std::size_t gaps = 0;
  for (const Xapian::termpos p : institut) {
    if (std::find(huddinge.begin(), huddinge.end(), p + 2) != huddinge.end()) ++gaps;
    CHECK(std::find(huddinge.begin(), huddinge.end(), p + 1) == huddinge.end());
  }
  CHECK(gaps == 3);
}

TEST_CASE("Fields stand at least kFieldGap positions apart", "[builder]") {
  const Xapian::Document doc = builder().build(swedish_article()).document;
  INFO(dump(doc));
  const auto title = prefixed_positions(doc, "S");
  const auto summary = prefixed_positions(doc, "XS");
  REQUIRE_FALSE(title.empty());
  REQUIRE_FALSE(summary.empty());
  const Xapian::termpos title_end = *std::max_element(title.begin(), title.end());
  const Xapian::termpos summary_start = *std::min_element(summary.begin(), summary.end());
  const Xapian::termpos summary_end = *std::max_element(summary.begin(), summary.end());
  CHECK(summary_start >= title_end + schema::kFieldGap);
  // Body words: every unprefixed position after the summary.
  std::vector<Xapian::termpos> body;
  for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
    const std::string term = *it;
    if (term.empty() || (term[0] >= 'A' && term[0] <= 'Z')) continue;
    for (auto p = it.positionlist_begin(); p != it.positionlist_end(); ++p)
      if (*p > summary_end) body.push_back(*p);
  }
  REQUIRE_FALSE(body.empty());
  CHECK(*std::min_element(body.begin(), body.end()) >= summary_end + schema::kFieldGap);

  // With no summary the body still starts a gap after the title.
  Article no_summary = swedish_article();
  no_summary.summary.clear();
  const Xapian::Document other = builder().build(no_summary).document;
  const auto bjud = positions(other, "bjud");  // a word only in the body
  REQUIRE_FALSE(bjud.empty());
  CHECK(bjud.front() >= title_end + schema::kFieldGap);
}

TEST_CASE("Value slots hold the dates, type, language, lists and hash", "[builder]") {
  const Article article = swedish_article();
  const IndexedDocument indexed = builder().build(article);
  const Xapian::Document& doc = indexed.document;
  const std::string sep(1, schema::kListSeparator);
  CHECK(doc.get_value(schema::kPublishedSlot) == "20240314");
  CHECK(doc.get_value(schema::kUpdatedSlot) == "20240402");
  CHECK(doc.get_value(schema::kTypeSlot) == "news");
  CHECK(doc.get_value(schema::kLanguageSlot) == "sv");
  CHECK(doc.get_value(schema::kYearSlot) == "2024");
  CHECK(doc.get_value(schema::kTagsSlot) == "Life Science" + sep + "cellterapi");
  CHECK(doc.get_value(schema::kPartnersSlot) == "Karolinska Institutet" + sep + "Novum Inkubator");
  CHECK(doc.get_value(schema::kHashSlot) == content_hash(article));
  CHECK(indexed.hash == content_hash(article));
}

TEST_CASE("Tags, partners and the author are whole-value terms, folded", "[builder]") {
  const Xapian::Document doc = builder().build(swedish_article()).document;
  INFO(dump(doc));
  CHECK(has_term(doc, "Klife science"));
  CHECK(has_term(doc, "Kcellterapi"));
  CHECK(has_term(doc, "XPkarolinska institutet"));
  CHECK(has_term(doc, "XPnovum inkubator"));
  CHECK(has_term(doc, "Aanna berg"));
  CHECK_FALSE(has_term(doc, "KLife Science"));
  CHECK(positions(doc, "Klife science").empty());
  // Their words are free text too.
  CHECK(has_term(doc, "cellterapi"));
  CHECK(has_term(doc, "inkubat"));  // "Inkubator", stemmed
}

TEST_CASE("A URL's page key is the same however the URL is written", "[builder]") {
  auto [url, key] = GENERATE(table<std::string, std::string>({
      {"https://flemingsberg-science.se/nyheter/a/", "flemingsberg-science.se/nyheter/a"},
      {"http://www.Flemingsberg-Science.se/nyheter/a#top", "flemingsberg-science.se/nyheter/a"},
      {"https://flemingsberg-science.se/", "flemingsberg-science.se"},
      {"https://flemingsberg-science.se/sok/?q=labb", "flemingsberg-science.se/sok?q=labb"},
      {"https://flemingsberg-science.se/Nyheter/A", "flemingsberg-science.se/Nyheter/A"},
      {"/nyheter/a/", "/nyheter/a"},
      {"", ""},
  }));
  CAPTURE(url);
  CHECK(page_key(url) == key);
}

TEST_CASE("The document data is JSON with what a hit shows", "[builder]") {
  const Article article = swedish_article();
  const IndexedDocument indexed = builder().build(article);
  const auto data = nlohmann::json::parse(indexed.document.get_data());
  CHECK(data["id"] == article.id);
  CHECK(data["url"] == article.url);
  CHECK(data["title"] == article.title);
  CHECK(data["summary"] == article.summary);
  CHECK(data["text"] == article.body);
  CHECK(data["type"] == "news");
  CHECK(data["lang"] == "sv");
  CHECK(data["published"] == "2024-03-14");
  CHECK(data["updated"] == "2024-04-02");
  CHECK(data["tags"] == nlohmann::json(article.tags));
  CHECK(data["partners"] == nlohmann::json(article.partners));
  CHECK(data["author"] == "Anna Berg");
  CHECK(indexed.document.get_data() == document_data(article, Language::sv));
}

TEST_CASE("Document data with invalid UTF-8 is still valid JSON", "[builder]") {
  Article article = swedish_article();
  article.body = "Trasig \xFF\xFE text";
  article.title = "Rubrik \xC3";
  const std::string data = document_data(article, Language::sv);
  CHECK(nlohmann::json::accept(data));
}

TEST_CASE("An article of unknown language gets the language of its text", "[builder]") {
  auto [title, body, expected] = GENERATE(table<std::string, std::string, Language>({
      {"Nytt labb för genterapi invigt",
       "Det nya labbhuset för gen- och cellterapi i Flemingsberg är invigt. Forskare från "
       "Karolinska Institutet och företag delar på lokalerna.",
       Language::sv},
      {"New lab for gene therapy opens",
       "The new laboratory building for gene and cell therapy in Flemingsberg has opened. "
       "Researchers from Karolinska Institutet and companies share the premises.",
       Language::en},
  }));
  CAPTURE(title);
  Article article = swedish_article();
  article.language = Language::unknown;
  article.title = title;
  article.summary.clear();
  article.body = body;
  const IndexedDocument indexed = builder().build(article);
  const Xapian::Document& doc = indexed.document;
  INFO(dump(doc));
  CHECK(indexed.language == expected);
  CHECK(has_term(doc, "L" + std::string(language_code(expected))));
  CHECK(doc.get_value(schema::kLanguageSlot) == language_code(expected));
  const auto data = nlohmann::json::parse(doc.get_data());
  CHECK(data["lang"] == language_code(expected));
}

TEST_CASE("An article with no words to tell its language has no language term", "[builder]") {
  Article article;
  article.id = "siffror";
  article.title = "2024";
  article.body = "12 345 678";
  const IndexedDocument indexed = builder().build(article);
  INFO(dump(indexed.document));
  CHECK(indexed.language == Language::unknown);
  CHECK(indexed.document.get_value(schema::kLanguageSlot).empty());
  CHECK(has_term(indexed.document, "XTpage"));
  CHECK(indexed.spelling_words.empty());
}

TEST_CASE("Spelling words are language-prefixed folded forms with counts, without stop words",
          "[builder]") {
  const IndexedDocument indexed = builder().build(swedish_article());
  const auto spellings = spelling_map(indexed);
  std::string listing;
  for (const auto& [word, count] : spellings) listing += word + " " + std::to_string(count) + "\n";
  INFO(listing);
  CHECK(spellings.count("forskningen") == 1);
  CHECK(spellings.count("forskningsinfrastrukturen") == 1);
  CHECK(spellings.count("huddinge") == 1);
  if (spellings.count("huddinge")) CHECK(spellings.at("huddinge") == 3);
  if (spellings.count("institutet")) CHECK(spellings.at("institutet") == 3);
  for (const auto& [word, count] : spellings) {
    CAPTURE(word);
    CHECK(word.size() >= 3);
    CHECK(count >= 1);
    CHECK(word != "och");
    CHECK(word != "vid");
    CHECK(word != "för");
    CHECK(word.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") == std::string::npos);
  }
  // Parts of compounds are not words to suggest.
  CHECK(spellings.count("infrastruktur") == 0);

  Article english = swedish_article();
  english.language = Language::en;
  english.title = "Research infrastructure grows in Huddinge";
  english.summary = "The lab opens to companies.";
  english.body = "The research of the institute and the researchers.";
  const auto en = spelling_map(builder().build(english));
  CHECK(en.count("research") == 1);
  if (en.count("research")) CHECK(en.at("research") == 2);
  CHECK(en.count("the") == 0);
  CHECK(en.count("and") == 0);
}

}  // namespace sok::test
