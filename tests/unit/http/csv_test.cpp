// http::parse_csv and csv_field: RFC 4180 quoting both ways (commas, quotes and line
// breaks inside fields, Chinese text), the formula guard undone on reading, and the
// line named when the text is malformed.
#include "http/csv.h"

#include <gtest/gtest.h>

namespace unicc::http {
namespace {

std::vector<std::vector<std::string>> fields_of(const std::vector<CsvRecord>& records) {
  std::vector<std::vector<std::string>> out;
  for (const auto& record : records) out.push_back(record.fields);
  return out;
}

std::string refusal(std::string_view text, std::size_t max_records = 100) {
  try {
    parse_csv(text, max_records);
  } catch (const HttpError& error) {
    return std::to_string(error.status()) + " " + error.code() + " " + error.what();
  }
  return "accepted";
}

TEST(Csv, QuotedFieldsHoldCommasQuotesAndLineBreaks) {
  const auto records = parse_csv(
      "\xEF\xBB\xBF"
      "extension,name\r\n"
      "1001,\"Li, Na\"\r\n"
      "\r\n"
      "1002,\"She said \"\"hi\"\"\"\n"
      "1003,\"two\nlines\"\n"
      "1004,前台 王芳\n"
      "1005,",
      100);
  EXPECT_EQ(fields_of(records), (std::vector<std::vector<std::string>>{{"extension", "name"},
                                                                        {"1001", "Li, Na"},
                                                                        {"1002", "She said \"hi\""},
                                                                        {"1003", "two\nlines"},
                                                                        {"1004", "前台 王芳"},
                                                                        {"1005", ""}}));
  std::vector<int> lines;
  for (const auto& record : records) lines.push_back(record.line);
  EXPECT_EQ(lines, (std::vector<int>{1, 2, 4, 5, 7, 8})) << "the line each record starts on, blank ones counted";
}

TEST(Csv, WhatIsWrittenReadsBackTheSame) {
  const std::vector<std::string> fields = {"Li, Na", "say \"hi\"", "a\r\nb", "=SUM(A1)", "-5", "王芳", "", "plain"};
  const std::string line = csv_line(fields);
  EXPECT_EQ(line, "\"Li, Na\",\"say \"\"hi\"\"\",\"a\r\nb\",'=SUM(A1),'-5,王芳,,plain\r\n")
      << "formulas are guarded as text";
  const auto records = parse_csv(line, 10);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].fields, fields);
  const auto response = csv_response(line, "x.csv");
  EXPECT_EQ(response.content_type, "text/csv; charset=utf-8");
  EXPECT_TRUE(response.body.starts_with("\xEF\xBB\xBF")) << "Excel needs the BOM for UTF-8";
}

TEST(Csv, MalformedTextIsRefusedNamingTheLine) {
  EXPECT_EQ(refusal("a,b\n1,\"open\n2,3\n"), "400 invalid_csv line 2: a quoted field is not closed");
  EXPECT_EQ(refusal("a,b\n1,x\"y\n"), "400 invalid_csv line 2: a quote inside an unquoted field (quote the whole field)");
  EXPECT_EQ(refusal("a,b\n\n1,\"x\"y\n"), "400 invalid_csv line 3: text after a closing quote");
  EXPECT_EQ(refusal("a,b\n1,\xC3\x28\n"), "400 invalid_csv line 2: the text is not UTF-8");
  EXPECT_EQ(refusal("a,b\n1,\xED\xA0\x80\n"), "400 invalid_csv line 2: the text is not UTF-8") << "a surrogate";
  EXPECT_EQ(refusal("a\n1\n2\n3\n", 3), "413 body_too_large more than 3 records");
  EXPECT_EQ(refusal("a\n1\n2\n", 3), "accepted");
}

}  // namespace
}  // namespace unicc::http
