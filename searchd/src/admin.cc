// The staff's admin routes: Api's handlers for /api/admin/…, the token
// check and the listener split. Writes go to the JobQueue, the index's one
// writer; each answers 202 with the job to follow at /api/admin/jobs/{id}.
#include <nlohmann/json.hpp>

#include <charconv>
#include <filesystem>

#include "sok/searchd/api.h"
#include "sok/searchd/json_output.h"

namespace sok::searchd {
namespace {

constexpr std::size_t kDefaultTop = 20;
constexpr std::size_t kMaxTop = 100;

ApiResponse json_response(int status, const Json& body) {
  ApiResponse response;
  response.status = status;
  response.body = dump(body);
  return response;
}

// Equal without leaking where they differ: the time depends on the length
// of `given` only.
bool same_token(std::string_view given, std::string_view expected) {
  unsigned char difference = given.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < given.size(); ++i)
    difference |= static_cast<unsigned char>(given[i] ^ expected[i % expected.size()]);
  return difference == 0;
}

Json issues_json(const std::vector<SourceIssue>& issues) {
  Json out = Json::array();
  for (const auto& issue : issues)
    out.push_back({{"where", issue.origin}, {"message", issue.message}});
  return out;
}

Json job_json(const Job& job) {
  const IndexingProgress& p = job.progress;
  const IndexingReport& r = job.report;
  Json out = {{"id", job.id},
              {"kind", job_kind_name(job.kind)},
              {"state", job_state_name(job.state)},
              {"created_at", job.created_at},
              {"started_at", job.started_at.empty() ? Json() : Json(job.started_at)},
              {"finished_at", job.finished_at.empty() ? Json() : Json(job.finished_at)},
              {"submitted", job.submitted},
              {"progress",
               {{"documents", p.documents},
                {"bytes_read", p.bytes_read},
                {"bytes_total", p.bytes_total},
                {"seconds", p.seconds}}}};
  if (job.state == JobState::done) {
    out["result"] = {{"added", r.added},     {"replaced", r.replaced},   {"unchanged", r.unchanged},
                     {"deleted", r.deleted}, {"not_found", r.not_found}, {"documents", r.documents},
                     {"seconds", r.seconds}};
  }
  out["errors"] = issues_json(job.errors);
  out["warnings"] = issues_json(r.warnings);
  out["failure"] = job.failure.empty() ? Json() : Json(job.failure);
  out["href"] = "/api/admin/jobs/" + std::to_string(job.id);
  return out;
}

ApiResponse accepted(const Job& job) {
  ApiResponse response = json_response(202, {{"job", job_json(job)}});
  response.headers = {{"Location", "/api/admin/jobs/" + std::to_string(job.id)}};
  return response;
}

ApiResponse queue_full() {
  ApiResponse response = Api::error_response(
      {503, "queue_full", "too many admin jobs are waiting; try again when some have finished",
       ""});
  response.headers = {{"Retry-After", "10"}};
  return response;
}

ApiError no_writer() {
  return {503, "admin_unavailable", "this searchd has no index writer for the admin routes", ""};
}

// The records of a POST /api/admin/documents body, checked one by one.
struct PostedRecords {
  std::vector<Article> articles;
  std::vector<SourceIssue> refused;
};

// "record 3 (id n17)", or "record 3" when it has no string id.
std::string where_of(const nlohmann::json& record, std::size_t index) {
  const std::string where = "record " + std::to_string(index);
  if (!record.is_object() || !record.contains("id") || !record["id"].is_string()) return where;
  return where + " (id " + record["id"].get<std::string>() + ")";
}

Result<PostedRecords> posted_records(const std::string& body) {
  const nlohmann::json records = nlohmann::json::parse(body, nullptr, false);
  if (records.is_discarded() || !records.is_array()) {
    return ApiError{400, "invalid_body",
                    "the body must be a JSON array of article records (the corpus format of "
                    "corpus/README.md), such as [{\"id\": \"n1\", \"title\": \"…\"}]",
                    "body"};
  }
  if (records.empty()) return ApiError{400, "invalid_body", "the array holds no records", "body"};
  PostedRecords out;
  for (std::size_t i = 0; i < records.size(); ++i) {
    ParsedArticle parsed = article_from_json(records[i], "record " + std::to_string(i));
    if (parsed.article) {
      out.articles.push_back(std::move(*parsed.article));
    } else {
      out.refused.push_back({where_of(records[i], i), parsed.error});
    }
  }
  return out;
}

// The paths of `paths` that do not exist, separated by ", ".
std::string missing_paths(const std::vector<std::string>& paths) {
  std::string out;
  std::error_code error;
  for (const auto& path : paths) {
    if (!std::filesystem::exists(path, error)) out += (out.empty() ? "" : ", ") + path;
  }
  return out;
}

std::optional<std::uint64_t> job_number(const std::string& text) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

Result<std::size_t> top_param(const RawParams& params) {
  std::size_t top = kDefaultTop;
  for (const auto& [name, value] : params) {
    if (name != "top") {
      return invalid_parameter(name, "unknown parameter \"" + name + "\"; this route takes top");
    }
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), top);
    if (value.empty() || error != std::errc() || end != value.data() + value.size() || top < 1 ||
        top > kMaxTop) {
      return invalid_parameter("top",
                               "top must be a whole number from 1 to " + std::to_string(kMaxTop));
    }
  }
  return top;
}

Json period_json(const QueryStats::Period& period) {
  const auto entries = [](const std::vector<QueryStats::Entry>& list) {
    Json out = Json::array();
    for (const auto& e : list) out.push_back({{"query", e.query}, {"count", e.count}});
    return out;
  };
  return {{"searches", period.searches},
          {"zero_hit_searches", period.zero_hit_searches},
          {"withheld", period.withheld},
          {"popular", entries(period.popular)},
          {"zero_hits", entries(period.zero_hits)}};
}

}  // namespace

std::optional<ApiResponse> Api::refuse_on_this_listener(const ApiRequest& request,
                                                        bool admin_route) const {
  if (!options_.separate_admin_listener || admin_route == request.on_admin_listener)
    return std::nullopt;
  const std::string message = admin_route
                                  ? "no such route: " + request.path
                                  : "this address serves the admin routes (/api/admin/) only";
  return error_response({404, "not_found", message, ""});
}

std::optional<ApiResponse> Api::refuse_unauthorised(const ApiRequest& request) const {
  const auto settings = live();
  if (settings->admin_token.empty()) {
    return error_response({403, "admin_disabled",
                           "the admin routes are turned off: set [server] admin_token in the "
                           "config file or SOK_ADMIN_TOKEN in searchd's environment",
                           ""});
  }
  const std::string_view scheme = "Bearer ";
  const std::string& header = request.authorization;
  if (header.size() <= scheme.size() || header.compare(0, scheme.size(), scheme) != 0) {
    ApiResponse response = error_response(
        {401, "unauthorized",
         "the admin routes need the header \"Authorization: Bearer <admin token>\"", ""});
    response.headers = {{"WWW-Authenticate", "Bearer realm=\"sok admin\""}};
    return response;
  }
  if (!same_token(std::string_view(header).substr(scheme.size()), settings->admin_token)) {
    return error_response({403, "forbidden", "the admin token is wrong", ""});
  }
  return std::nullopt;
}

ApiResponse Api::admin_post_documents(const ApiRequest& request, const std::string&) {
  if (auto error = refuse_params(request.query)) return error_response(*error);
  if (!options_.jobs) return error_response(no_writer());
  auto records = posted_records(request.body);
  if (!records.ok()) return error_response(records.error());
  PostedRecords posted = std::move(records).value();
  if (posted.articles.empty()) {
    Json body = error_json(
        {422, "no_valid_records", "no record could be indexed; \"errors\" says why", "body"});
    body["errors"] = issues_json(posted.refused);
    return json_response(422, body);
  }
  const auto job = options_.jobs->add_documents(std::move(posted.articles), posted.refused);
  if (!job) return queue_full();
  return accepted(*job);
}

ApiResponse Api::admin_delete_document(const ApiRequest& request, const std::string& raw_id) {
  if (auto error = refuse_params(request.query)) return error_response(*error);
  if (!options_.jobs) return error_response(no_writer());
  const auto id = decode_path_segment(raw_id, "id");
  if (!id.ok()) return error_response(id.error());
  const auto job = options_.jobs->delete_document(id.value());
  if (!job) return queue_full();
  return accepted(*job);
}

ApiResponse Api::admin_reindex(const ApiRequest& request, const std::string&) {
  if (auto error = refuse_params(request.query)) return error_response(*error);
  if (!options_.jobs) return error_response(no_writer());
  const std::vector<std::string> sources = options_.jobs->sources();
  if (sources.empty()) {
    return error_response({409, "no_sources",
                           "no sources to rebuild from: list them in [index] sources of the "
                           "config file and reload searchd (SIGHUP)",
                           ""});
  }
  if (const std::string missing = missing_paths(sources); !missing.empty()) {
    return error_response({409, "missing_sources",
                           "the rebuild's sources (config [index] sources) are not there: " +
                               missing + "; the index is left as it is",
                           ""});
  }
  const auto job = options_.jobs->reindex();
  if (!job) return queue_full();
  return accepted(*job);
}

ApiResponse Api::admin_job(const ApiRequest& request, const std::string& raw_id) {
  if (auto error = refuse_params(request.query)) return error_response(*error);
  if (!options_.jobs) return error_response(no_writer());
  const auto number = job_number(raw_id);
  const auto job = number ? options_.jobs->find(*number) : std::nullopt;
  if (!job) {
    return error_response({404, "not_found",
                           "no job " + raw_id +
                               " (job ids are whole numbers; searchd remembers the last 200 jobs "
                               "since it started)",
                           "id"});
  }
  return json_response(200, job_json(*job));
}

ApiResponse Api::admin_jobs(const ApiRequest& request, const std::string&) {
  if (auto error = refuse_params(request.query)) return error_response(*error);
  if (!options_.jobs) return error_response(no_writer());
  Json jobs = Json::array();
  for (const Job& job : options_.jobs->recent()) jobs.push_back(job_json(job));
  return json_response(200, {{"waiting", options_.jobs->waiting()}, {"jobs", std::move(jobs)}});
}

ApiResponse Api::admin_stats(const ApiRequest& request, const std::string&) {
  const auto top = top_param(request.query);
  if (!top.ok()) return error_response(top.error());
  Json body = Json::object();
  if (options_.query_stats) {
    body["queries"] = {{"day", period_json(options_.query_stats->period(24, top.value()))},
                       {"week", period_json(options_.query_stats->period(7 * 24, top.value()))}};
  } else {
    body["queries"] = nullptr;
  }
  const IndexInfo info = searchers_.for_this_thread().info();
  body["index"] = {{"documents", info.documents},
                   {"revision", info.revision},
                   {"built_at", info.built_at},
                   {"updated_at", info.updated_at.empty() ? Json() : Json(info.updated_at)}};
  body["jobs_waiting"] = options_.jobs ? Json(options_.jobs->waiting()) : Json();
  return json_response(200, body);
}

}  // namespace sok::searchd
