#include "api/csv_import.h"

#include <algorithm>

namespace unicc::api {
namespace {

using nlohmann::json;

bool dry_run(const http::Request& request) {
  auto found = request.query.find("dry_run");
  if (found == request.query.end() || found->second == "false") return false;
  if (found->second == "true") return true;
  throw http::HttpError(400, "invalid_parameter", "dry_run must be true or false");
}

json report(const std::vector<ImportLine>& lines, bool dry_run, bool applied) {
  std::map<std::string, int> summary{{"create", 0}, {"update", 0}, {"unchanged", 0}, {"refused", 0}};
  json items = json::array();
  for (const auto& line : lines) {
    ++summary[line.action];
    items.push_back({{"line", line.line},
                     {"extension", line.extension},
                     {"action", line.action},
                     {"changes", line.changes},
                     {"problems", line.problems}});
  }
  return {{"dry_run", dry_run}, {"applied", applied}, {"summary", summary}, {"lines", items}};
}

// "line 3, password: too short; line 7, extension: …", the first few.
std::string refusals(const std::vector<ImportLine>& lines) {
  constexpr std::size_t kShown = 5;
  std::string message;
  std::size_t count = 0;
  for (const auto& line : lines) {
    for (const auto& problem : line.problems) {
      if (count++ < kShown) {
        message += (message.empty() ? "" : "; ") + std::string("line ") + std::to_string(line.line) + ", " +
                   problem["field"].get<std::string>() + ": " + problem["message"].get<std::string>();
      }
    }
  }
  if (count > kShown) message += "; and " + std::to_string(count - kShown) + " more";
  return message;
}

}  // namespace

CsvUpload::CsvUpload(const std::string& body, const std::vector<std::string>& known,
                     const std::vector<std::string>& required) {
  try {
    records_ = http::parse_csv(body, kMaxImportRecords + 1);
  } catch (const http::HttpError& error) {
    if (error.status() != 413) throw;
    throw http::HttpError(413, "body_too_large",
                          "more than " + std::to_string(kMaxImportRecords) + " records besides the header");
  }
  if (records_.empty()) throw http::HttpError(400, "invalid_csv", "line 1: no header (the columns' names)");
  const http::CsvRecord header = records_.front();
  records_.erase(records_.begin());
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    const std::string& name = header.fields[i];
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      std::string names;
      for (const auto& column : known) names += (names.empty() ? "" : ", ") + column;
      throw http::HttpError(400, "invalid_csv", "line " + std::to_string(header.line) + ": unknown column '" +
                                                     name + "' (the columns are " + names + ")");
    }
    if (!columns_.emplace(name, i).second) {
      throw http::HttpError(400, "invalid_csv",
                            "line " + std::to_string(header.line) + ": column '" + name + "' is given twice");
    }
  }
  for (const auto& column : required) {
    if (!has(column)) {
      throw http::HttpError(400, "invalid_csv",
                            "line " + std::to_string(header.line) + ": the column '" + column + "' is missing");
    }
  }
  for (const auto& record : records_) {
    if (record.fields.size() != header.fields.size()) {
      throw http::HttpError(400, "invalid_csv", "line " + std::to_string(record.line) + ": " +
                                                     std::to_string(record.fields.size()) + " fields, the header has " +
                                                     std::to_string(header.fields.size()));
    }
  }
}

std::string CsvUpload::field(const http::CsvRecord& record, const std::string& column) const {
  auto found = columns_.find(column);
  return found == columns_.end() ? std::string() : record.fields[found->second];
}

void ImportLine::refuse(const std::string& field, const std::string& message) {
  action = "refused";
  changes.clear();
  problems.push_back({{"field", field}, {"message", message}});
}

void refuse_repeated(std::vector<ImportLine>& lines) {
  std::map<std::string, int> first;
  for (auto& line : lines) {
    auto [where, added] = first.emplace(line.extension, line.line);
    if (!added && !line.extension.empty()) {
      line.refuse("extension", "given on line " + std::to_string(where->second) + " already");
    }
  }
}

http::Response answer_import(const http::Request& request, const std::vector<ImportLine>& lines,
                             const std::function<std::optional<http::Response>()>& apply) {
  const bool dry = dry_run(request);
  if (dry) return http::json_response(200, report(lines, true, false));
  const std::string refused = refusals(lines);
  if (!refused.empty()) {
    return http::json_response(
        400, {{"error", {{"code", "invalid_import"}, {"message", "nothing imported: " + refused},
                         {"details", report(lines, false, false)}}}});
  }
  if (auto refusal = apply()) return *refusal;
  return http::json_response(200, report(lines, false, true));
}

}  // namespace unicc::api
