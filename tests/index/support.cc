#include "support.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

#include <xapian.h>

#include "sok/index/indexing.h"
#include "sok/index/schema.h"

extern char** environ;

#ifdef SOK_TEST_ASAN
// Defaults for this program's AddressSanitizer; ASAN_OPTIONS adds to them.
extern "C" const char* __asan_default_options() {
  return sok::test::kAsanOptions;
}
#endif

namespace sok::test {
namespace {

namespace fs = std::filesystem;

std::string random_suffix() {
  std::random_device device;
  std::mt19937_64 engine((static_cast<std::uint64_t>(device()) << 32) ^ device() ^
                         static_cast<std::uint64_t>(::getpid()));
  std::ostringstream out;
  out << std::hex << engine();
  return out.str();
}

}  // namespace

std::string source_path(std::string_view relative) {
  return (fs::path(SOK_SOURCE_DIR) / relative).string();
}

TempDir::TempDir() {
  for (int attempt = 0;; ++attempt) {
    path_ = fs::temp_directory_path() / ("sok-test-" + random_suffix());
    if (fs::create_directory(path_)) break;
    if (attempt > 10) throw std::runtime_error("cannot make a scratch folder in /tmp");
  }
}

TempDir::~TempDir() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

std::string TempDir::operator/(std::string_view name) const {
  return (path_ / name).string();
}

void write_file(const fs::path& path, std::string_view content) {
  if (path.has_parent_path()) fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string live_build_name(const std::string& dir) {
  const std::string stub = read_file(fs::path(dir) / "XAPIANDB");
  if (stub.rfind("auto ", 0) != 0) throw std::runtime_error("not a stub: " + dir + "/XAPIANDB");
  std::string name = stub.substr(5);
  while (!name.empty() && (name.back() == '\n' || name.back() == ' ')) name.pop_back();
  return name;
}

void set_schema_version(const std::string& dir, const std::string& version) {
  Xapian::WritableDatabase db(fs::path(dir) / live_build_name(dir), Xapian::DB_OPEN);
  db.set_metadata(std::string(schema::kVersionKey), version);
  db.commit();
}

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    out.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

std::vector<std::string> RecordingSink::issue_origins() const {
  std::vector<std::string> out;
  for (const auto& issue : issues) out.push_back(issue.origin);
  return out;
}

std::vector<std::string> RecordingSink::article_ids() const {
  std::vector<std::string> out;
  for (const auto& article : articles) out.push_back(article.id);
  return out;
}

std::string RecordingSink::dump_issues() const {
  std::string out;
  for (const auto& issue : issues) out += issue.origin + ": " + issue.message + "\n";
  return out;
}

nlohmann::json sample_record(std::string_view id) {
  return {
      {"id", std::string(id)},
      {"url", "https://flemingsberg-science.se/nyheter/2024/" + std::string(id) + "/"},
      {"lang", "sv"},
      {"type", "news"},
      {"title", "Ny forskningsinfrastruktur invigs i Flemingsberg"},
      {"summary", "Karolinska Institutet öppnar ett nytt labb för cellterapi."},
      {"body",
       "Forskningen vid Karolinska Institutet i Huddinge får en ny forskningsinfrastruktur. "
       "Labbet är öppet för forskare och företag."},
      {"published", "2024-03-14"},
      {"updated", "2024-03-15T10:00:00+01:00"},
      {"tags", {"cellterapi", "Life Science"}},
      {"partners", {"Karolinska Institutet"}},
      {"author", "Anna Berg"},
  };
}

std::string jsonl_line(const nlohmann::json& record) {
  return record.dump() + "\n";
}

std::size_t doc_count(const std::string& dir) {
  return Xapian::Database(dir).get_doccount();
}

std::vector<std::string> build_entries(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("build-", 0) == 0) out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

const std::string& corpus_index() {
  static const TempDir folder;
  static const std::string dir = [] {
    const std::string index = folder / "corpus-index";
    build_index(index, {source_path("corpus")});
    return index;
  }();
  return dir;
}

void copy_index(const std::string& from, const std::string& to) {
  fs::create_directories(fs::path(to).parent_path());
  fs::copy(from, to, fs::copy_options::recursive);
}

pid_t start_indexer(const std::vector<std::string>& args, const std::string& out,
                    const std::string& err) {
  std::vector<std::string> words = {SOK_INDEXER_BINARY};
  words.insert(words.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  // The environment as it is, with kAsanOptions added under a sanitizer.
  std::vector<std::string> variables;
  bool asan_options_seen = false;
  for (char** variable = environ; *variable; ++variable) {
    variables.emplace_back(*variable);
    if (kSanitized && variables.back().rfind("ASAN_OPTIONS=", 0) == 0) {
      variables.back() += std::string(":") + kAsanOptions;
      asan_options_seen = true;
    }
  }
  if (kSanitized && !asan_options_seen)
    variables.push_back(std::string("ASAN_OPTIONS=") + kAsanOptions);
  std::vector<char*> envp;
  for (auto& variable : variables) envp.push_back(variable.data());
  envp.push_back(nullptr);

  pid_t pid = -1;
  const int error = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) {
    throw std::runtime_error(std::string("cannot start ") + argv[0] + ": " + std::strerror(error));
  }
  return pid;
}

int wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw std::runtime_error("waitpid failed");
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

CommandResult run_indexer(const std::vector<std::string>& args) {
  const TempDir scratch;
  const std::string out = scratch / "stdout";
  const std::string err = scratch / "stderr";
  CommandResult result;
  result.exit_code = wait_for(start_indexer(args, out, err));
  result.out = read_file(out);
  result.err = read_file(err);
  return result;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace sok::test
