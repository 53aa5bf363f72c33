// qa::parse_form and qa::score: weights, pass/fail, not applicable, critical items,
// grade bands, and the field each broken rule names.
#include "qa/scoring.h"

#include <gtest/gtest.h>

namespace unicc::qa {
namespace {

using nlohmann::json;

json form_document() {
  return json::parse(R"({
    "name": "standard",
    "title": {"en": "Standard", "zh-CN": "标准"},
    "sections": [
      {"id": "opening", "title": "Opening", "items": [
        {"id": "greeting", "label": "Greeting", "max": 10},
        {"id": "verify", "label": {"en": "Verify", "zh-CN": "核实身份"}, "kind": "pass_fail", "max": 10, "critical": true}
      ]},
      {"id": "handling", "title": "Handling", "items": [
        {"id": "solution", "label": "Solution", "max": 30},
        {"id": "hold", "label": "Hold", "max": 10, "na_allowed": true}
      ]}
    ]
  })");
}

json answers(double greeting, bool verify, double solution, json hold) {
  return {{"greeting", {{"score", greeting}}},
          {"verify", {{"passed", verify}}},
          {"solution", {{"score", solution}, {"comment", "explained the bill"}}},
          {"hold", hold}};
}

std::string field_of(const json& document) {
  try {
    parse_form(document);
  } catch (const InvalidInput& error) {
    return error.field();
  }
  return "";
}

std::string answer_field(const json& given) {
  try {
    score(parse_form(form_document()), given);
  } catch (const InvalidInput& error) {
    return error.field();
  }
  return "";
}

TEST(QaScoringTest, TotalIsPointsGivenOverPointsPossible) {
  const Form form = parse_form(form_document());
  ASSERT_EQ(form.sections.size(), 2u);
  EXPECT_EQ(form.sections[0].items[1].label.at("zh-CN"), "核实身份");
  EXPECT_EQ(form.sections[0].title.at("en"), "Opening");  // a plain string is English
  // 8 + 10 + 24 + 5 of 60.
  Score s = score(form, answers(8, true, 24, {{"score", 5}}));
  EXPECT_DOUBLE_EQ(s.total, 78.3);
  EXPECT_EQ(s.grade, "B");
  ASSERT_EQ(s.items.size(), 4u);
  EXPECT_EQ(s.items[1].passed, true);
  EXPECT_DOUBLE_EQ(s.items[1].score, 10);
  EXPECT_EQ(s.items[2].comment, "explained the bill");
  EXPECT_TRUE(s.critical_failures.empty());
}

TEST(QaScoringTest, NotApplicableCountsNeitherWay) {
  Score s = score(parse_form(form_document()), answers(10, true, 30, {{"na", true}}));
  EXPECT_DOUBLE_EQ(s.total, 100);
  EXPECT_TRUE(s.items[3].na);
  EXPECT_EQ(s.grade, "A");
}

TEST(QaScoringTest, AFailedCriticalItemZeroesTheTotal) {
  Score s = score(parse_form(form_document()), answers(10, false, 30, {{"score", 10}}));
  EXPECT_DOUBLE_EQ(s.total, 0);
  EXPECT_EQ(s.grade, "D");
  EXPECT_EQ(s.critical_failures, std::vector<std::string>{"verify"});
}

TEST(QaScoringTest, GradesFollowTheBandsAtTheirBoundaries) {
  const auto bands = default_bands();
  EXPECT_EQ(grade_for(bands, 100), "A");
  EXPECT_EQ(grade_for(bands, 90), "A");
  EXPECT_EQ(grade_for(bands, 89.9), "B");
  EXPECT_EQ(grade_for(bands, 75), "B");
  EXPECT_EQ(grade_for(bands, 60), "C");
  EXPECT_EQ(grade_for(bands, 59.9), "D");
  EXPECT_EQ(grade_for(bands, 0), "D");

  json document = form_document();
  document["bands"] = json::parse(R"([{"grade": "优秀", "min": 95}, {"grade": "合格", "min": 70}, {"grade": "不合格", "min": 0}])");
  const Form form = parse_form(document);
  EXPECT_EQ(score(form, answers(10, true, 30, {{"score", 7}})).grade, "优秀");      // 95
  EXPECT_EQ(score(form, answers(10, true, 20, {{"score", 7}})).grade, "合格");      // 78.3
  EXPECT_EQ(score(form, answers(0, true, 20, {{"score", 0}})).grade, "不合格");     // 50
}

TEST(QaScoringTest, FormRulesNameTheField) {
  auto with = [](const std::function<void(json&)>& change) {
    json document = form_document();
    change(document);
    return field_of(document);
  };
  EXPECT_EQ(with([](json&) {}), "");
  EXPECT_EQ(with([](json& d) { d["name"] = "has space"; }), "name");
  EXPECT_EQ(with([](json& d) { d.erase("title"); }), "title");
  EXPECT_EQ(with([](json& d) { d["sections"] = json::array(); }), "sections");
  EXPECT_EQ(with([](json& d) { d["sections"][1]["id"] = "opening"; }), "sections[1].id");
  EXPECT_EQ(with([](json& d) { d["sections"][1]["items"][0]["id"] = "greeting"; }), "sections[1].items[0].id");
  EXPECT_EQ(with([](json& d) { d["sections"][0]["items"][0]["max"] = 0; }), "sections[0].items[0].max");
  EXPECT_EQ(with([](json& d) { d["sections"][0]["items"][0].erase("max"); }), "sections[0].items[0].max");
  EXPECT_EQ(with([](json& d) { d["sections"][0]["items"][0]["kind"] = "stars"; }), "sections[0].items[0].kind");
  EXPECT_EQ(with([](json& d) { d["sections"][0]["items"][0]["critical"] = true; }), "sections[0].items[0].critical");
  EXPECT_EQ(with([](json& d) { d["sections"][0]["items"][1]["na_allowed"] = true; }), "sections[0].items[1].na_allowed");
  EXPECT_EQ(with([](json& d) { d["sections"][0]["items"][0]["weight"] = 3; }), "sections[0].items[0].weight");
  EXPECT_EQ(with([](json& d) { d["sections"][0]["items"][0]["label"] = ""; }), "sections[0].items[0].label.en");
  EXPECT_EQ(with([](json& d) { d["bands"] = json::parse(R"([{"grade": "A", "min": 80}, {"grade": "B", "min": 90}, {"grade": "C", "min": 0}])"); }),
            "bands[1].min");
  EXPECT_EQ(with([](json& d) { d["bands"] = json::parse(R"([{"grade": "A", "min": 80}, {"grade": "B", "min": 10}])"); }),
            "bands[1].min");
  EXPECT_EQ(with([](json& d) { d["bands"] = json::parse(R"([{"grade": "A", "min": 80}, {"grade": "A", "min": 0}])"); }),
            "bands[1].grade");
  EXPECT_EQ(with([](json& d) { d["bands"] = json::parse(R"([{"grade": "A", "min": 101}, {"grade": "B", "min": 0}])"); }),
            "bands[0].min");
}

TEST(QaScoringTest, AnswerRulesNameTheField) {
  EXPECT_EQ(answer_field(answers(10, true, 30, {{"score", 10}})), "");
  EXPECT_EQ(answer_field(answers(11, true, 30, {{"score", 10}})), "answers.greeting.score");
  EXPECT_EQ(answer_field(answers(-1, true, 30, {{"score", 10}})), "answers.greeting.score");
  json missing = answers(10, true, 30, {{"score", 10}});
  missing.erase("solution");
  EXPECT_EQ(answer_field(missing), "answers.solution");
  json unknown = answers(10, true, 30, {{"score", 10}});
  unknown["smile"] = {{"score", 1}};
  EXPECT_EQ(answer_field(unknown), "answers.smile");
  json pass_as_score = answers(10, true, 30, {{"score", 10}});
  pass_as_score["verify"] = {{"score", 10}};
  EXPECT_EQ(answer_field(pass_as_score), "answers.verify.score");
  json na_not_allowed = answers(10, true, 30, {{"score", 10}});
  na_not_allowed["greeting"] = {{"na", true}};
  EXPECT_EQ(answer_field(na_not_allowed), "answers.greeting.na");
  EXPECT_EQ(answer_field(json::array()), "answers");
}

}  // namespace
}  // namespace unicc::qa
