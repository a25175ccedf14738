#include "daemon.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace sok::test {
namespace {

using Clock = std::chrono::steady_clock;

// Starts searchd with `args`, standard output to `out_fd`, error to `err_path`.
pid_t spawn_searchd(const std::vector<std::string>& args, int out_fd, const std::string& err_path) {
  std::vector<std::string> words = {SOK_SEARCHD_BINARY};
  words.insert(words.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  pid_t pid = -1;
  const int error = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) throw std::runtime_error(std::string("cannot start searchd: ") + strerror(error));
  return pid;
}

// The first line from `fd`, without its line break; "" when none comes
// before `deadline` or the end.
std::string first_line(int fd, Clock::time_point deadline) {
  std::string line;
  while (Clock::now() < deadline) {
    pollfd waiting{fd, POLLIN, 0};
    if (::poll(&waiting, 1, 100) <= 0) continue;
    char c;
    if (::read(fd, &c, 1) != 1) return "";
    if (c == '\n') return line;
    line.push_back(c);
  }
  return "";
}

// The exit code of `pid` once it ends within `timeout`, -1 otherwise.
int wait_up_to(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (true) {
    int status = 0;
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) {
      if (WIFEXITED(status)) return WEXITSTATUS(status);
      if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    }
    if (done < 0 && errno != EINTR) return -1;
    if (Clock::now() >= deadline) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace

Daemon::Daemon(const std::vector<std::string>& args) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe() failed");
  std::vector<std::string> all = args;
  all.insert(all.end(), {"--listen", "127.0.0.1:0"});
  pid_ = spawn_searchd(all, pipe_fds[1], scratch_ / "stderr");
  ::close(pipe_fds[1]);
  stdout_ = pipe_fds[0];
  address_ = first_line(stdout_, Clock::now() + std::chrono::seconds(30));
  const std::size_t colon = address_.rfind(':');
  if (address_.rfind("127.0.0.1:", 0) != 0 || colon == std::string::npos) {
    stop(SIGKILL);
    throw std::runtime_error("searchd did not print its address; it wrote: " + log());
  }
  port_ = static_cast<std::uint16_t>(std::stoi(address_.substr(colon + 1)));
}

Daemon::~Daemon() {
  if (pid_ > 0) stop(SIGKILL);
  if (stdout_ >= 0) ::close(stdout_);
}

std::string Daemon::next_line(std::chrono::seconds timeout) {
  return first_line(stdout_, Clock::now() + timeout);
}

void Daemon::signal(int signal) const {
  if (pid_ > 0) ::kill(pid_, signal);
}

int Daemon::stop(int signal, std::chrono::seconds timeout) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, signal);
  const int code = wait_up_to(pid_, timeout);
  if (code >= 0) pid_ = -1;
  return code;
}

std::string Daemon::log() const {
  return read_file(scratch_.path() / "stderr");
}

CommandResult run_searchd(const std::vector<std::string>& args) {
  const TempDir scratch;
  const int out =
      ::open((scratch / "stdout").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  const pid_t pid = spawn_searchd(args, out, scratch / "stderr");
  ::close(out);
  CommandResult result;
  result.exit_code = wait_up_to(pid, std::chrono::seconds(30));
  if (result.exit_code < 0) {
    ::kill(pid, SIGKILL);
    wait_up_to(pid, std::chrono::seconds(5));
  }
  result.out = read_file(scratch / "stdout");
  result.err = read_file(scratch / "stderr");
  return result;
}

nlohmann::json finished_job(const Daemon& daemon, const HttpResponse& accepted,
                            const HeaderList& admin) {
  if (accepted.status != 202) {
    throw std::runtime_error("an admin route answered " + std::to_string(accepted.status) +
                             ", not 202 with a job: " + accepted.body);
  }
  const std::string href = accepted.json()["job"]["href"];
  const auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < std::chrono::seconds(60)) {
    const nlohmann::json job = daemon.get(href, admin).json();
    if (job["state"] == "done" || job["state"] == "failed") return job;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("job " + href + " did not finish within 60 s");
}

}  // namespace sok::test
