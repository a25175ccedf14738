#pragma once

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <string>
#include <unordered_map>

namespace sok {

// Folds words for the index: NFKC case folding, then accent folding that
// keeps å, ä and ö as letters of their own (Swedish sorts and searches them
// apart from a and o) while é, ü, ç and the rest lose their marks
// ("café" = "cafe", "Malmö" stays "malmö"). The Danish and Norwegian ø and æ
// become ö and ä, as Swedish writes them ("Søren" = "Sören").
// Not thread-safe (it caches folded characters).
class Normalizer {
 public:
  // Throws std::runtime_error when ICU's normalisation data cannot be loaded.
  Normalizer();

  // Appends the folded UTF-8 form of text[begin, end) to `out`, leaving out
  // '.' when `strip_dots` is set.
  void fold(const icu::UnicodeString& text, int32_t begin, int32_t end, bool strip_dots,
            std::string& out);

 private:
  const std::string& fold_code_point(UChar32 c);

  const icu::Normalizer2* casefold_ = nullptr;
  const icu::Normalizer2* nfd_ = nullptr;
  const icu::Normalizer2* nfc_ = nullptr;
  std::unordered_map<UChar32, std::string> folded_;
};

}  // namespace sok
