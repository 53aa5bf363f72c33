#include "http/csv.h"

namespace unicc::http {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::string_view kFormulaStarts = "=+-@\t\r";

[[noreturn]] void invalid(int line, const std::string& why) {
  throw HttpError(400, "invalid_csv", "line " + std::to_string(line) + ": " + why);
}

// Whether `text` is well-formed UTF-8 (no overlong forms, surrogates or code points
// past U+10FFFF): names go into JSON answers and the database as they are.
bool valid_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    unsigned min = 0;
    unsigned code = 0;
    if (lead < 0x80) {
      ++i;
      continue;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2, min = 0x80, code = lead & 0x1Fu;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3, min = 0x800, code = lead & 0x0Fu;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4, min = 0x10000, code = lead & 0x07u;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0u) != 0x80u) return false;
      code = (code << 6) | (next & 0x3Fu);
    }
    if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    i += length;
  }
  return true;
}

// The field as typed, without the formula guard csv_field() adds.
std::string unguarded(std::string field) {
  if (field.size() >= 2 && field[0] == '\'' && kFormulaStarts.find(field[1]) != std::string_view::npos) {
    field.erase(0, 1);
  }
  return field;
}

}  // namespace

std::string csv_field(std::string text) {
  if (!text.empty() && kFormulaStarts.find(text.front()) != std::string_view::npos) text.insert(0, "'");
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string csv_line(const std::vector<std::string>& fields) {
  std::string line;
  for (const auto& field : fields) line += (line.empty() ? "" : ",") + csv_field(field);
  return line + "\r\n";
}

Response csv_response(const std::string& lines, const std::string& filename) {
  Response response{200, "text/csv; charset=utf-8", std::string(kBom) + lines, {}};
  response.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  return response;
}

std::vector<CsvRecord> parse_csv(std::string_view text, std::size_t max_records) {
  if (text.starts_with(kBom)) text.remove_prefix(kBom.size());
  std::vector<CsvRecord> records;
  int line = 1;
  std::size_t i = 0;
  while (i < text.size()) {
    CsvRecord record{line, {}};
    // One record: fields until an unquoted line end or the end of the text.
    for (;;) {
      std::string field;
      if (i < text.size() && text[i] == '"') {
        const int opened = line;
        ++i;
        for (;;) {
          if (i >= text.size()) invalid(opened, "a quoted field is not closed");
          if (text[i] == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (text[i] == '\n') ++line;
          field += text[i++];
        }
        if (i < text.size() && text[i] != ',' && text[i] != '\r' && text[i] != '\n') {
          invalid(line, "text after a closing quote");
        }
      } else {
        while (i < text.size() && text[i] != ',' && text[i] != '\r' && text[i] != '\n') {
          if (text[i] == '"') invalid(line, "a quote inside an unquoted field (quote the whole field)");
          field += text[i++];
        }
      }
      if (!valid_utf8(field)) invalid(line, "the text is not UTF-8");
      record.fields.push_back(unguarded(std::move(field)));
      if (i < text.size() && text[i] == ',') {
        ++i;
        continue;
      }
      break;
    }
    if (i < text.size() && text[i] == '\r') ++i;
    if (i < text.size() && text[i] == '\n') ++i;
    ++line;
    if (record.fields.size() == 1 && record.fields[0].empty()) continue;  // a blank line
    if (records.size() == max_records) {
      throw HttpError(413, "body_too_large", "more than " + std::to_string(max_records) + " records");
    }
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace unicc::http
