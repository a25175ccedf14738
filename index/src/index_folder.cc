#include "index_folder.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <utility>
#include <vector>

#include "sok/index/index_error.h"
#include "sok/index/shards.h"

namespace sok {
namespace {

namespace fs = std::filesystem;

constexpr const char* kStubName = "XAPIANDB";
constexpr const char* kBuildPrefix = "build-";
constexpr const char* kShardPrefix = "shard-";

std::string system_error(const std::string& what) {
  return what + ": " + std::strerror(errno);
}

// The "<kind> <target>" lines of a stub file, without the comment lines
// (xapian-replicate writes a stub that starts with two).
std::vector<std::pair<std::string, std::string>> stub_lines(const fs::path& stub) {
  std::ifstream in(stub);
  std::vector<std::pair<std::string, std::string>> lines;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string kind, target;
    if (!(words >> kind) || kind[0] == '#' || !(words >> target)) continue;
    lines.emplace_back(kind, target);
  }
  return lines;
}

// The build a stub file names, or "" when there is no stub.
std::string read_stub(const fs::path& stub) {
  const auto lines = stub_lines(stub);
  return lines.empty() ? "" : lines.front().second;
}

void write_file_synced(const fs::path& path, const std::string& content) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw IndexError(system_error("cannot write " + path.string()));
  const bool ok =
      ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) &&
      ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) throw IndexError(system_error("cannot write " + path.string()));
}

void sync_directory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

// Takes the flock on `fd`, retrying every 50 ms until `wait` has passed.
bool lock_within(int fd, std::chrono::milliseconds wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

}  // namespace

IndexFolder::IndexFolder(std::string dir, std::chrono::milliseconds lock_wait)
    : dir_(std::move(dir)) {
  std::error_code error;
  fs::create_directories(dir_, error);
  if (error || !fs::is_directory(dir_)) {
    throw IndexError("cannot create the index folder " + dir_ + ": " +
                     (error ? error.message() : std::string("a file of that name is in the way")));
  }
  const std::string lock = (fs::path(dir_) / ".lock").string();
  lock_fd_ = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd_ < 0) throw IndexError(system_error("cannot open " + lock));
  if (!lock_within(lock_fd_, lock_wait)) {
    ::close(lock_fd_);
    throw IndexError("another process is writing the index " + dir_ + " (it holds " + lock + ")");
  }
}

IndexFolder::~IndexFolder() {
  if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the lock
}

std::string IndexFolder::live_build_of(const std::string& dir) {
  if (!shard_dirs(dir).empty()) return "";  // a sharded folder has no build of its own
  const std::string target = read_stub(fs::path(dir) / kStubName);
  if (target.empty()) return "";
  const fs::path path = fs::path(target).is_absolute() ? fs::path(target) : fs::path(dir) / target;
  return path.string();
}

std::string IndexFolder::new_build_path() const {
  // Time to the microsecond and the process id: a name never used before, so
  // a reader that notes the live build's name sees every switch.
  const auto now = std::chrono::system_clock::now();
  const auto seconds = std::chrono::system_clock::to_time_t(now);
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() %
      1000000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char stamp[48];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", &utc);
  const std::string base = std::string(kBuildPrefix) + stamp + "." +
                           std::to_string(1000000 + micros).substr(1) + "Z-" +
                           std::to_string(::getpid());
  for (int n = 0;; ++n) {
    const fs::path path = fs::path(dir_) / (base + (n == 0 ? "" : "-" + std::to_string(n)));
    if (!fs::exists(path)) return path.string();
  }
}

namespace {

// Writes DIR's stub with `content` by an atomic, fsynced rename.
void switch_stub(const std::string& dir, const std::string& content) {
  const fs::path temporary = fs::path(dir) / (std::string(kStubName) + ".new");
  write_file_synced(temporary, content);
  if (::rename(temporary.c_str(), (fs::path(dir) / kStubName).c_str()) != 0) {
    throw IndexError(system_error("cannot switch the index " + dir + " to the new build"));
  }
  sync_directory(dir);
}

// The number n of shard-<n> folder `name`, or -1 when it is not one.
long shard_number(const std::string& name) {
  if (name.rfind(kShardPrefix, 0) != 0 || name.size() == std::strlen(kShardPrefix)) return -1;
  const std::string digits = name.substr(std::strlen(kShardPrefix));
  if (digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 6) return -1;
  return std::stol(digits);
}

}  // namespace

void IndexFolder::publish(const std::string& build) {
  const fs::path dir(dir_);
  const std::string previous = live_build();  // "" when DIR was sharded
  switch_stub(dir_, "auto " + fs::path(build).filename().string() + "\n");
  // Keep the build readers may still have open; remove the older ones.
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    const bool old_shard = shard_number(name) >= 0;
    if (name.rfind(kBuildPrefix, 0) != 0 && !old_shard) continue;
    if (entry.path() == fs::path(build) || entry.path() == fs::path(previous)) continue;
    std::error_code ignored;
    fs::remove_all(entry.path(), ignored);
  }
}

void IndexFolder::publish_shards(std::size_t n) {
  std::string stub;
  for (std::size_t i = 0; i < n; ++i)
    stub += "auto " + std::string(kShardPrefix) + std::to_string(i) + "\n";
  switch_stub(dir_, stub);
  for (const auto& entry : fs::directory_iterator(dir_)) {
    const std::string name = entry.path().filename().string();
    const long number = shard_number(name);
    const bool stale_shard = number >= 0 && static_cast<std::size_t>(number) >= n;
    if (name.rfind(kBuildPrefix, 0) != 0 && !stale_shard) continue;
    std::error_code ignored;
    fs::remove_all(entry.path(), ignored);
  }
}

std::string shard_dir(const std::string& dir, std::size_t i) {
  return (fs::path(dir) / (std::string(kShardPrefix) + std::to_string(i))).string();
}

std::vector<std::string> shard_dirs(const std::string& dir) {
  std::vector<std::string> shards;
  for (const auto& [kind, target] : stub_lines(fs::path(dir) / kStubName)) {
    if (kind != "auto" || target != std::string(kShardPrefix) + std::to_string(shards.size()))
      return {};
    shards.push_back(shard_dir(dir, shards.size()));
  }
  if (shards.size() < 2) return {};
  return shards;
}

void IndexFolder::remove_unpublished() {
  const fs::path live(live_build());
  for (const auto& entry : fs::directory_iterator(dir_)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(kBuildPrefix, 0) != 0 || entry.path() == live) continue;
    std::error_code ignored;
    // Builds other than the live one: the previous build, kept by publish()
    // for readers, goes at the next build's start too.
    fs::remove_all(entry.path(), ignored);
  }
}

}  // namespace sok
