#pragma once

#include <xapian.h>

#include <map>
#include <string>

namespace sok {

// Counts the values of one slot over every document a query matches; a
// value holding several items joined by schema::kListSeparator (tags,
// partners) counts each item.
class ListValueCounter : public Xapian::MatchSpy {
 public:
  explicit ListValueCounter(Xapian::valueno slot) : slot_(slot) {}
  void operator()(const Xapian::Document& doc, double weight) override;
  const std::map<std::string, std::size_t>& counts() const { return counts_; }

 private:
  Xapian::valueno slot_;
  std::map<std::string, std::size_t> counts_;
};

}  // namespace sok
