#pragma once

#include <map>
#include <string>
#include <string_view>

#include "sok/searchd/page.h"

namespace sok::searchd {

// One file the site serves, read once at start.
struct WebFile {
  std::string content_type;
  std::string body;
  std::string gzipped;  // the body gzip-compressed; "" when that would not be smaller
  std::string etag;     // a quoted hash of the body
  std::string cache_control;
};

// The visitors' page's files from the web folder (searchd/web): static/*
// served at /static/<name>, widget.js at /widget.js, and the interface
// texts of i18n/sv.json and i18n/en.json. Only these paths are served: a
// URL is looked up, never joined to a folder, so nothing outside can be read.
class WebFiles {
 public:
  // Reads `web_root`; throws std::runtime_error naming the file that is
  // missing or bad (an interface text in one language but not the other).
  static WebFiles load(const std::string& web_root);

  // The file at URL path `path` ("/static/app.js"), nullptr when none.
  const WebFile* find(std::string_view path) const;
  const Texts& texts(Language language) const;

 private:
  std::map<std::string, WebFile, std::less<>> files_;
  Texts swedish_;
  Texts english_;
};

// `body` gzip-compressed.
std::string gzip(std::string_view body);

}  // namespace sok::searchd
