#pragma once
// report exports — a report's table as a file a spreadsheet opens.
//   to_csv:  RFC 4180 (CRLF, fields with , " CR LF quoted, quotes doubled), UTF-8 with
//            a byte-order mark so that Excel reads Chinese names; no value is empty.
//   to_xlsx: one sheet, a bold header row, numbers as numbers (libxlsxwriter).
#include <string>

#include "report/report.h"

namespace unicc::report {

std::string to_csv(const Table& table);
// Throws std::runtime_error when the workbook cannot be written (temporary file).
std::string to_xlsx(const Table& table, const std::string& sheet);

}  // namespace unicc::report
