#include "sok/searchd/web_files.h"

#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace sok::searchd {
namespace {

namespace fs = std::filesystem;

constexpr const char* kStaticCaching = "public, max-age=3600";
constexpr const char* kWidgetCaching = "public, max-age=300";

std::string content_type_of(const fs::path& path) {
  const std::string extension = path.extension().string();
  if (extension == ".js") return "text/javascript; charset=utf-8";
  if (extension == ".css") return "text/css; charset=utf-8";
  if (extension == ".svg") return "image/svg+xml";
  if (extension == ".png") return "image/png";
  if (extension == ".ico") return "image/x-icon";
  if (extension == ".json") return "application/json";
  if (extension == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path.string() + ": cannot be read");
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string etag_of(std::string_view body) {
  std::uint64_t hash = 14695981039346656037ull;  // FNV-1a
  for (const char c : body) hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  char out[24];
  std::snprintf(out, sizeof out, "\"%016llx\"", static_cast<unsigned long long>(hash));
  return out;
}

WebFile web_file(const fs::path& path, const char* cache_control) {
  WebFile file;
  file.content_type = content_type_of(path);
  file.body = read_file(path);
  const std::string compressed = gzip(file.body);
  if (compressed.size() < file.body.size()) file.gzipped = compressed;
  file.etag = etag_of(file.body);
  file.cache_control = cache_control;
  return file;
}

}  // namespace

std::string gzip(std::string_view body) {
  z_stream stream{};
  // 15 window bits + 16: a gzip header and trailer rather than zlib's.
  if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("gzip: zlib could not start");
  std::string out(deflateBound(&stream, body.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
  stream.avail_in = static_cast<uInt>(body.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int result = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (result != Z_STREAM_END) throw std::runtime_error("gzip: zlib could not compress");
  return out;
}

WebFiles WebFiles::load(const std::string& web_root) {
  const fs::path root(web_root);
  WebFiles files;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(root / "static", error)) {
    if (!entry.is_regular_file()) continue;
    files.files_.emplace("/static/" + entry.path().filename().string(),
                         web_file(entry.path(), kStaticCaching));
  }
  if (error) throw std::runtime_error((root / "static").string() + ": " + error.message());
  files.files_.emplace("/widget.js", web_file(root / "widget.js", kWidgetCaching));
  files.swedish_ = Texts::load((root / "i18n" / "sv.json").string());
  files.english_ = Texts::load((root / "i18n" / "en.json").string());
  for (const auto& [texts, other, name] :
       {std::tuple{&files.swedish_, &files.english_, "sv.json"},
        std::tuple{&files.english_, &files.swedish_, "en.json"}}) {
    const auto missing = texts->missing_from(*other);
    if (!missing.empty()) {
      throw std::runtime_error((root / "i18n" / name).string() + ": lacks the text \"" +
                               missing.front() + "\" that the other language has");
    }
  }
  return files;
}

const WebFile* WebFiles::find(std::string_view path) const {
  const auto found = files_.find(path);
  return found == files_.end() ? nullptr : &found->second;
}

const Texts& WebFiles::texts(Language language) const {
  return language == Language::en ? english_ : swedish_;
}

}  // namespace sok::searchd
