#pragma once
// http::csv_* — CSV as spreadsheets read and write it (RFC 4180), for the downloads
// and uploads of the API.
//
// Written fields are quoted when they hold a comma, a quote or a line break; a field
// starting with = + - @ TAB or CR gets a leading ' so that a spreadsheet shows it as
// text instead of running it as a formula, and parse_csv() drops that ' again, so an
// exported file imports unchanged. Downloads start with a UTF-8 BOM, which Excel needs
// to read Chinese names; parse_csv() skips it.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "http/router.h"

namespace unicc::http {

std::string csv_field(std::string text);
// The fields as one CSV line, ending in CRLF.
std::string csv_line(const std::vector<std::string>& fields);
// A 200 text/csv download of `lines` (csv_line's) under `filename`, with the BOM.
Response csv_response(const std::string& lines, const std::string& filename);

struct CsvRecord {
  int line = 0;  // the line of the text the record starts on, from 1
  std::vector<std::string> fields;
};

// Reads CSV text: CRLF or LF line ends, quoted fields with "" for a quote and line
// breaks inside, blank lines skipped. Throws HttpError 400 "invalid_csv" naming the
// line (a quote left open or inside an unquoted field, text that is not UTF-8) and
// 413 "body_too_large" beyond `max_records` records.
std::vector<CsvRecord> parse_csv(std::string_view text, std::size_t max_records);

}  // namespace unicc::http
