#pragma once
// qa::Form and qa::score — how a call is scored: pure, no database.
//
// A form has sections of items. An item is worth `max` points: a "points" item is
// given 0..max, a "pass_fail" item all or nothing. An item marked `na_allowed` may
// be answered "not applicable" and then counts neither way. The total is the points
// given over the points possible, as 0-100 with one decimal; a failed `critical`
// item (only pass_fail items may be critical) makes it 0 whatever else was given.
// The grade is the first of the form's bands, highest first, whose `min` the total
// reaches; the last band's min is 0, so every total has a grade. A form without
// bands gets A ≥ 90, B ≥ 75, C ≥ 60, D. Labels are per language ({"en": …,
// "zh-CN": …}; a plain string is English). Every rule a form or its answers break
// throws InvalidInput naming the field, e.g. "sections[1].items[0].max".
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace unicc::qa {

using Labels = std::map<std::string, std::string>;  // language → text

enum class ItemKind { points, pass_fail };

struct Item {
  std::string id;  // unique in the form: answers name it
  Labels label;
  ItemKind kind = ItemKind::points;
  double max = 0;  // the item's weight, > 0
  bool critical = false;
  bool na_allowed = false;
};

struct Section {
  std::string id;
  Labels title;
  std::vector<Item> items;
};

struct Band {
  std::string grade;
  double min = 0;
};

struct Form {
  std::string name;
  Labels title;
  std::vector<Section> sections;
  std::vector<Band> bands;  // highest min first, the last one 0
};

class InvalidInput : public std::runtime_error {
 public:
  InvalidInput(std::string field, const std::string& problem)
      : std::runtime_error("field '" + field + "' " + problem), field_(std::move(field)) {}
  const std::string& field() const { return field_; }

 private:
  std::string field_;
};

// A form document (JSON, as docs/quality.md shows) checked against every rule.
Form parse_form(const nlohmann::json& document);

struct ItemScore {
  std::string item;
  double score = 0;  // points given; 0 when not applicable
  double max = 0;
  bool na = false;
  std::optional<bool> passed;  // pass_fail items that apply
  std::string comment;
};

struct Score {
  std::vector<ItemScore> items;  // in the form's order
  double total = 0;              // 0-100, one decimal
  std::vector<std::string> critical_failures;
  std::string grade;
};

// Scores `answers`: {"<item id>": {"score": n} | {"passed": bool} | {"na": true},
// each with an optional "comment"}; every item answered, nothing else.
Score score(const Form& form, const nlohmann::json& answers);

// The grade of `total` in `bands` (as Form::bands).
std::string grade_for(const std::vector<Band>& bands, double total);

// The bands a form without "bands" gets.
std::vector<Band> default_bands();

}  // namespace unicc::qa
