#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "json_errors.h"
#include "sok/index/sources.h"
#include "wordpress.h"

namespace sok {
namespace {

namespace fs = std::filesystem;

enum class SourceKind { json_lines, html_page, wordpress, other };

SourceKind kind_of(const fs::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (ext == ".jsonl" || ext == ".ndjson") return SourceKind::json_lines;
  if (ext == ".html" || ext == ".htm") return SourceKind::html_page;
  if (ext == ".json") return SourceKind::wordpress;
  return SourceKind::other;
}

std::string megabytes(std::size_t bytes) {
  std::ostringstream out;
  out.precision(1);
  out << std::fixed << static_cast<double>(bytes) / (1 << 20) << " MiB";
  return out.str();
}

// Reads files into a sink, counting the bytes read for progress reports.
class Reader {
 public:
  Reader(ArticleSink& sink, const SourceLimits& limits) : sink_(sink), limits_(limits) {}
  void read_file(const std::string& file);

 private:
  void read_json_lines(const std::string& file);
  bool read_whole(const std::string& file, std::string& out);
  void advance(std::size_t bytes) {
    bytes_read_ += bytes;
    sink_.progress(bytes_read_);
  }

  ArticleSink& sink_;
  const SourceLimits& limits_;
  std::size_t bytes_read_ = 0;
};

void Reader::read_json_lines(const std::string& file) {
  ArticleSink& sink = sink_;
  const SourceLimits& limits = limits_;
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    sink.reject({file, "cannot read the file"});
    return;
  }
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    advance(line.size() + 1);
    const std::string origin = file + ":" + std::to_string(number);
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    if (line.size() > limits.max_record_bytes) {
      sink.reject({origin, "record is " + megabytes(line.size()) + ", over the " +
                               megabytes(limits.max_record_bytes) + " limit"});
      continue;
    }
    nlohmann::json record;
    try {
      record = nlohmann::json::parse(line);
    } catch (const std::exception& e) {
      sink.reject({origin, "not valid JSON: " + plain_json_message(e)});
      continue;
    }
    ParsedArticle parsed = article_from_json(record, origin);
    if (parsed.article) {
      sink.accept(std::move(*parsed.article));
    } else {
      sink.reject({origin, parsed.error});
    }
  }
}

bool Reader::read_whole(const std::string& file, std::string& out) {
  ArticleSink& sink = sink_;
  const SourceLimits& limits = limits_;
  std::error_code error;
  const auto size = fs::file_size(file, error);
  if (error) {
    sink.reject({file, "cannot read the file: " + error.message()});
    return false;
  }
  // A WordPress export holds many items, so it may be larger than one record.
  const std::size_t limit = kind_of(file) == SourceKind::wordpress ? 64 * limits.max_record_bytes
                                                                   : limits.max_record_bytes;
  if (size > limit) {
    sink.reject({file, "file is " + megabytes(size) + ", over the " + megabytes(limit) + " limit"});
    return false;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    sink.reject({file, "cannot read the file"});
    return false;
  }
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  advance(out.size());
  return true;
}

void Reader::read_file(const std::string& file) {
  ArticleSink& sink = sink_;
  const SourceKind kind = kind_of(file);
  if (kind == SourceKind::json_lines) {
    read_json_lines(file);
    return;
  }
  std::string text;
  if (kind == SourceKind::other) {
    sink.reject(
        {file, "unknown kind of source (want .jsonl, .html, .htm or a WordPress .json export)"});
  } else if (read_whole(file, text)) {
    if (kind == SourceKind::wordpress) {
      read_wordpress_export(text, file, sink, limits_);
      return;
    }
    ParsedArticle parsed = article_from_html(text, file);
    if (parsed.article) {
      sink.accept(std::move(*parsed.article));
    } else {
      sink.reject({file, parsed.error});
    }
  }
}

// The files below a folder that look like sources, in name order; other
// files (README.md, images) are passed over without a word.
std::vector<std::string> files_in(const std::string& folder) {
  std::vector<std::string> files;
  for (const auto& entry :
       fs::recursive_directory_iterator(folder, fs::directory_options::skip_permission_denied)) {
    if (entry.is_regular_file() && kind_of(entry.path()) != SourceKind::other)
      files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

void read_sources(const std::vector<std::string>& paths, ArticleSink& sink,
                  const SourceLimits& limits) {
  Reader reader(sink, limits);
  for (const auto& path : paths) {
    std::error_code error;
    if (fs::is_directory(path, error)) {
      try {
        for (const auto& file : files_in(path)) reader.read_file(file);
      } catch (const fs::filesystem_error& e) {
        sink.reject({path, std::string("cannot read the folder: ") + e.code().message()});
      }
    } else if (fs::exists(path, error)) {
      reader.read_file(path);
    } else {
      sink.reject({path, "no such file or folder"});
    }
  }
}

}  // namespace sok

namespace sok {

std::size_t source_bytes(const std::vector<std::string>& paths) {
  std::size_t total = 0;
  for (const auto& path : paths) {
    std::error_code error;
    if (fs::is_directory(path, error)) {
      try {
        for (const auto& file : files_in(path)) total += fs::file_size(file, error);
      } catch (const fs::filesystem_error&) {
      }
    } else {
      const auto size = fs::file_size(path, error);
      if (!error) total += size;
    }
  }
  return total;
}

}  // namespace sok
