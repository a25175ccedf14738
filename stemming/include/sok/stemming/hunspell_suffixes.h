#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sok {

// One suffix rule of a Hunspell affix file ("SFX J and änder and"): an
// entry with the rule's flag whose end matches `condition` makes a form by
// cutting `strip` off and appending `add`.
struct SuffixRule {
  // One letter of a condition: any letter ("."), or one of ("[abc]", "a")
  // or none of ("[^abc]") a set.
  struct Letter {
    bool any = false;
    bool negated = false;
    std::u32string set;
  };

  char flag = 0;
  std::string strip;              // "" where the file says 0
  std::string add;                // "" where the file says 0; without its flags
  std::string continuation;       // the flags after "/" in the file ("WXZ")
  std::vector<Letter> condition;  // the entry's last letters

  bool applies_to(std::string_view entry) const;
  // The form of `entry`; only for an entry the rule applies_to().
  std::string form_of(std::string_view entry) const;
};

// The SFX rules of the affix file at `path` (single-letter flags, UTF-8).
// Throws std::runtime_error naming the file, and the line when one is
// malformed.
std::vector<SuffixRule> read_suffix_rules(const std::string& path);

}  // namespace sok
