#pragma once
// report exports — a report's table as a file a spreadsheet opens.
//   cell_text: a cell as CSV text (the API writes CSV with http/csv.h: RFC 4180, a
//              byte-order mark); no value is "".
//   to_xlsx:   one sheet, a bold header row, numbers as numbers (libxlsxwriter).
#include <string>

#include "report/report.h"

namespace unicc::report {

std::string cell_text(const Cell& cell);
// Throws std::runtime_error when the workbook cannot be written (temporary file).
std::string to_xlsx(const Table& table, const std::string& sheet);

}  // namespace unicc::report
