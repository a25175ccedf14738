#include "sok/stemming/hunspell_suffixes.h"

#include <catch2/catch.hpp>

#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace {

// An affix file with `text`, removed when the test ends.
class AffixFile {
 public:
  explicit AffixFile(const std::string& text)
      : path_(std::filesystem::temp_directory_path() /
              ("sok-affixes-" + std::to_string(::getpid()) + ".aff")) {
    std::ofstream(path_) << text;
  }
  ~AffixFile() { std::filesystem::remove(path_); }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

sok::SuffixRule only_rule(const std::string& line) {
  const AffixFile file("SFX X Y 1\n" + line + "\n");
  const auto rules = sok::read_suffix_rules(file.path());
  REQUIRE(rules.size() == 1);
  return rules.front();
}

}  // namespace

TEST_CASE("Suffix rules are read from an affix file, without their group lines",
          "[lexicon][affixes]") {
  const AffixFile file(
      "SET UTF-8\n"
      "# a comment\n"
      "PFX P Y 1\n"
      "PFX P 0 o .\n"
      "SFX J Y 3\n"
      "SFX J ot ötter ot\n"
      "SFX J  and  änder  and\n"
      "SFX z 0 ar/WXZ [^a]\n");
  const auto rules = sok::read_suffix_rules(file.path());
  REQUIRE(rules.size() == 3);
  CHECK(rules[0].flag == 'J');
  CHECK(rules[0].strip == "ot");
  CHECK(rules[0].add == "ötter");
  CHECK(rules[1].form_of("land") == "länder");
  CHECK(rules[2].strip.empty());
  CHECK(rules[2].add == "ar");
  CHECK(rules[2].continuation == "WXZ");
}

TEST_CASE("A suffix rule applies to the entries its condition and strip fit",
          "[lexicon][affixes]") {
  auto [line, entry, applies, form] = GENERATE(table<std::string, std::string, bool, std::string>({
      {"SFX X ot ötter ot", "fot", true, "fötter"},
      {"SFX X ot ötter ot", "fat", false, ""},
      {"SFX X a e [^aeiouyåäö]da", "hända", true, "hände"},
      {"SFX X a e [^aeiouyåäö]da", "leda", false, ""},  // a vowel before "da"
      {"SFX X a de [eyåäö]da", "röda", true, "rödde"},  // a multi-byte letter in the set
      {"SFX X 0 er [^a]", "bil", true, "biler"},
      {"SFX X 0 er [^a]", "skola", false, ""},
      {"SFX X 0 s .", "bil", true, "bils"},
      {"SFX X imma am imma", "imma", false, ""},  // nothing would be left of the entry
  }));
  CAPTURE(line, entry);
  const sok::SuffixRule rule = only_rule(line);
  CHECK(rule.applies_to(entry) == applies);
  if (applies) CHECK(rule.form_of(entry) == form);
}

TEST_CASE("A malformed suffix rule is reported with its file and line", "[lexicon][affixes]") {
  auto [text, why] = GENERATE(table<std::string, std::string>({
      {"SFX J Y 1\nSFX J ot ötter\n", "condition expected"},
      {"SFX J Y 1\nSFX JK ot ötter ot\n", "a flag of one letter"},
      {"SFX J Y 1\nSFX J ot ötter [^ab\n", "unclosed ["},
  }));
  const AffixFile file(text);
  CAPTURE(text);
  REQUIRE_THROWS_AS(sok::read_suffix_rules(file.path()), std::runtime_error);
  REQUIRE_THROWS_WITH(sok::read_suffix_rules(file.path()),
                      Catch::Contains(file.path() + ":2:") && Catch::Contains(why));
}

TEST_CASE("A missing affix file is reported by name", "[lexicon][affixes]") {
  REQUIRE_THROWS_WITH(sok::read_suffix_rules("/nonexistent/sv_SE.aff"),
                      Catch::Contains("/nonexistent/sv_SE.aff"));
}
