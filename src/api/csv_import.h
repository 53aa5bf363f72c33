#pragma once
// What the bulk imports of extensions and agents share (api/extensions.cpp,
// api/acd_config.cpp): the uploaded CSV read against its columns, one report line per
// record saying what it would do or why it is refused, and the answer.
//
// `?dry_run=true` only reports. A real run applies all or nothing: one refused line
// and it is a 400 "invalid_import" naming lines and fields, with the report in
// "details", and nothing is changed.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "http/csv.h"
#include "http/router.h"

namespace unicc::api {

// Records in one upload at most (besides http.max_body_bytes on its size).
inline constexpr std::size_t kMaxImportRecords = 5000;

// An uploaded CSV whose first record names its columns, in any order.
class CsvUpload {
 public:
  // 400 "invalid_csv" naming the line: a column not in `known` or given twice, one of
  // `required` missing, a record with another number of fields than the header.
  CsvUpload(const std::string& body, const std::vector<std::string>& known, const std::vector<std::string>& required);

  const std::vector<http::CsvRecord>& records() const { return records_; }
  bool has(const std::string& column) const { return columns_.contains(column); }
  // The record's field in `column`, "" when the upload has no such column.
  std::string field(const http::CsvRecord& record, const std::string& column) const;

 private:
  std::map<std::string, std::size_t, std::less<>> columns_;
  std::vector<http::CsvRecord> records_;
};

struct ImportLine {
  ImportLine(int line, std::string extension) : line(line), extension(std::move(extension)) {}

  int line = 0;
  std::string extension;              // the record's key in both imports
  std::string action = "unchanged";   // "create", "update", "unchanged" or "refused"
  std::vector<std::string> changes;   // the fields an update changes
  nlohmann::json problems = nlohmann::json::array();  // [{"field","message"}]

  void refuse(const std::string& field, const std::string& message);
};

// Refuses each line whose extension an earlier line has.
void refuse_repeated(std::vector<ImportLine>& lines);

// The answer to an import request: the report for a dry run; else 400
// "invalid_import" if a line is refused; else `apply` runs and the report says so.
// `apply` returns the answer when it could not apply (and then changed nothing).
http::Response answer_import(const http::Request& request, const std::vector<ImportLine>& lines,
                             const std::function<std::optional<http::Response>()>& apply);

}  // namespace unicc::api
