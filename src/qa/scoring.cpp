#include "qa/scoring.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <set>
#include <string_view>

#include "core/text.h"

namespace unicc::qa {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxSections = 50;
constexpr std::size_t kMaxItems = 200;
constexpr std::size_t kMaxBands = 10;
constexpr std::size_t kMaxLabelBytes = 600;  // 200 Chinese characters
constexpr std::size_t kMaxCommentBytes = 6000;
constexpr double kMaxItemPoints = 1000;

std::string at(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }
std::string at(const std::string& path, std::size_t index) { return path + "[" + std::to_string(index) + "]"; }

void only_keys(const json& object, const std::string& path, std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, value] : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) throw InvalidInput(at(path, key), "is not known");
  }
}

const json& array_at(const json& parent, const std::string& key, const std::string& path, std::size_t max) {
  auto found = parent.find(key);
  if (found == parent.end()) throw InvalidInput(at(path, key), "is missing");
  if (!found->is_array() || found->empty() || found->size() > max) {
    throw InvalidInput(at(path, key), "must be a list of 1 to " + std::to_string(max));
  }
  return *found;
}

std::string name_at(const json& parent, const std::string& key, const std::string& path) {
  auto found = parent.find(key);
  if (found == parent.end()) throw InvalidInput(at(path, key), "is missing");
  if (!found->is_string() || !core::is_name(found->get<std::string>())) {
    throw InvalidInput(at(path, key), "must be 1-64 letters, digits, '_' or '-'");
  }
  return found->get<std::string>();
}

double number_at(const json& value, const std::string& path, double min, double max) {
  if (!value.is_number() || !std::isfinite(value.get<double>()) || value.get<double>() < min ||
      value.get<double>() > max) {
    throw InvalidInput(path, "must be a number from " + json(min).dump() + " to " + json(max).dump());
  }
  return value.get<double>();
}

bool flag_at(const json& parent, const std::string& key, const std::string& path) {
  auto found = parent.find(key);
  if (found == parent.end()) return false;
  if (!found->is_boolean()) throw InvalidInput(at(path, key), "must be true or false");
  return found->get<bool>();
}

// A plain string is English; an object maps languages to texts.
Labels labels_at(const json& parent, const std::string& key, const std::string& path) {
  auto found = parent.find(key);
  const std::string field = at(path, key);
  if (found == parent.end()) throw InvalidInput(field, "is missing");
  Labels out;
  auto add = [&](const std::string& language, const json& text) {
    if (!text.is_string() || text.get<std::string>().empty() || text.get<std::string>().size() > kMaxLabelBytes) {
      throw InvalidInput(at(field, language), "must be a text of 1 to " + std::to_string(kMaxLabelBytes) + " bytes");
    }
    out[language] = text.get<std::string>();
  };
  if (found->is_string()) {
    add("en", *found);
  } else if (found->is_object() && !found->empty() && found->size() <= 10) {
    for (const auto& [language, text] : found->items()) {
      if (!core::is_name(language)) throw InvalidInput(field, "has '" + language + "', which is not a language tag");
      add(language, text);
    }
  } else {
    throw InvalidInput(field, "must be a text or {\"en\": …, \"zh-CN\": …}");
  }
  return out;
}

Item parse_item(const json& node, const std::string& path) {
  if (!node.is_object()) throw InvalidInput(path, "must be an object");
  only_keys(node, path, {"id", "label", "kind", "max", "critical", "na_allowed"});
  Item item;
  item.id = name_at(node, "id", path);
  item.label = labels_at(node, "label", path);
  if (auto kind = node.find("kind"); kind != node.end()) {
    if (*kind == "pass_fail") {
      item.kind = ItemKind::pass_fail;
    } else if (*kind != "points") {
      throw InvalidInput(at(path, "kind"), "must be \"points\" or \"pass_fail\"");
    }
  }
  if (!node.contains("max")) throw InvalidInput(at(path, "max"), "is missing");
  item.max = number_at(node["max"], at(path, "max"), 0, kMaxItemPoints);
  if (item.max <= 0) throw InvalidInput(at(path, "max"), "must be more than 0");
  item.critical = flag_at(node, "critical", path);
  item.na_allowed = flag_at(node, "na_allowed", path);
  if (item.critical && item.kind != ItemKind::pass_fail) {
    throw InvalidInput(at(path, "critical"), "is for pass_fail items only");
  }
  if (item.critical && item.na_allowed) throw InvalidInput(at(path, "na_allowed"), "cannot be set on a critical item");
  return item;
}

std::vector<Band> parse_bands(const json& list) {
  if (!list.is_array() || list.empty() || list.size() > kMaxBands) {
    throw InvalidInput("bands", "must be a list of 1 to " + std::to_string(kMaxBands));
  }
  std::vector<Band> bands;
  std::set<std::string> grades;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string path = at("bands", i);
    if (!list[i].is_object()) throw InvalidInput(path, "must be an object");
    only_keys(list[i], path, {"grade", "min"});
    auto grade = list[i].find("grade");
    if (grade == list[i].end() || !grade->is_string() || grade->get<std::string>().empty() ||
        grade->get<std::string>().size() > 16) {
      throw InvalidInput(at(path, "grade"), "must be a text of 1 to 16 bytes");
    }
    if (!grades.insert(grade->get<std::string>()).second) throw InvalidInput(at(path, "grade"), "is used twice");
    if (!list[i].contains("min")) throw InvalidInput(at(path, "min"), "is missing");
    Band band{grade->get<std::string>(), number_at(list[i]["min"], at(path, "min"), 0, 100)};
    if (!bands.empty() && band.min >= bands.back().min) {
      throw InvalidInput(at(path, "min"), "must be lower than the band before it");
    }
    bands.push_back(band);
  }
  if (bands.back().min != 0) throw InvalidInput(at(at("bands", list.size() - 1), "min"), "must be 0 (the lowest band)");
  return bands;
}

double one_decimal(double value) { return std::round(value * 10) / 10; }

ItemScore score_item(const Item& item, const json& answer, const std::string& path) {
  if (!answer.is_object()) throw InvalidInput(path, "must be an object");
  only_keys(answer, path, {"score", "passed", "na", "comment"});
  ItemScore out{item.id, 0, item.max, false, std::nullopt, ""};
  if (auto comment = answer.find("comment"); comment != answer.end()) {
    if (!comment->is_string() || comment->get<std::string>().size() > kMaxCommentBytes) {
      throw InvalidInput(at(path, "comment"), "must be a text of at most " + std::to_string(kMaxCommentBytes) + " bytes");
    }
    out.comment = comment->get<std::string>();
  }
  if (flag_at(answer, "na", path)) {
    if (!item.na_allowed) throw InvalidInput(at(path, "na"), "is not allowed: the item always applies");
    if (answer.contains("score") || answer.contains("passed")) throw InvalidInput(path, "is not applicable and scored");
    out.na = true;
    return out;
  }
  if (item.kind == ItemKind::pass_fail) {
    if (answer.contains("score")) throw InvalidInput(at(path, "score"), "is not for a pass_fail item: give \"passed\"");
    if (!answer.contains("passed")) throw InvalidInput(at(path, "passed"), "is missing");
    out.passed = flag_at(answer, "passed", path);
    out.score = *out.passed ? item.max : 0;
    return out;
  }
  if (answer.contains("passed")) throw InvalidInput(at(path, "passed"), "is not for a points item: give \"score\"");
  if (!answer.contains("score")) throw InvalidInput(at(path, "score"), "is missing");
  out.score = number_at(answer["score"], at(path, "score"), 0, item.max);
  return out;
}

}  // namespace

std::vector<Band> default_bands() { return {{"A", 90}, {"B", 75}, {"C", 60}, {"D", 0}}; }

Form parse_form(const json& document) {
  if (!document.is_object()) throw InvalidInput("form", "must be a JSON object");
  only_keys(document, "", {"name", "title", "sections", "bands"});
  Form form;
  form.name = name_at(document, "name", "");
  form.title = labels_at(document, "title", "");
  const json& sections = array_at(document, "sections", "", kMaxSections);
  std::set<std::string> section_ids, item_ids;
  std::size_t items = 0;
  for (std::size_t s = 0; s < sections.size(); ++s) {
    const std::string path = at("sections", s);
    if (!sections[s].is_object()) throw InvalidInput(path, "must be an object");
    only_keys(sections[s], path, {"id", "title", "items"});
    Section section;
    section.id = name_at(sections[s], "id", path);
    if (!section_ids.insert(section.id).second) throw InvalidInput(at(path, "id"), "is used twice");
    section.title = labels_at(sections[s], "title", path);
    const json& list = array_at(sections[s], "items", path, kMaxItems);
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string item_path = at(at(path, "items"), i);
      Item item = parse_item(list[i], item_path);
      if (!item_ids.insert(item.id).second) throw InvalidInput(at(item_path, "id"), "is used by another item");
      if (++items > kMaxItems) throw InvalidInput(item_path, "is one item too many (" + std::to_string(kMaxItems) + ")");
      section.items.push_back(std::move(item));
    }
    form.sections.push_back(std::move(section));
  }
  form.bands = document.contains("bands") ? parse_bands(document["bands"]) : default_bands();
  return form;
}

Score score(const Form& form, const json& answers) {
  if (!answers.is_object()) throw InvalidInput("answers", "must be an object of item ids");
  for (const auto& [id, answer] : answers.items()) {
    bool known = false;
    for (const auto& section : form.sections) {
      known = known || std::any_of(section.items.begin(), section.items.end(), [&id](const Item& i) { return i.id == id; });
    }
    if (!known) throw InvalidInput(at("answers", id), "is not an item of form '" + form.name + "'");
  }
  Score out;
  double given = 0, possible = 0;
  bool critical_failed = false;
  for (const auto& section : form.sections) {
    for (const auto& item : section.items) {
      const std::string path = at("answers", item.id);
      auto answer = answers.find(item.id);
      if (answer == answers.end()) throw InvalidInput(path, "is missing: every item needs an answer");
      ItemScore scored = score_item(item, *answer, path);
      if (!scored.na) {
        given += scored.score;
        possible += item.max;
      }
      if (item.critical && scored.passed == false) {
        critical_failed = true;
        out.critical_failures.push_back(item.id);
      }
      out.items.push_back(std::move(scored));
    }
  }
  if (possible <= 0) throw InvalidInput("answers", "marks every item not applicable: nothing to score");
  out.total = critical_failed ? 0 : one_decimal(100 * given / possible);
  out.grade = grade_for(form.bands, out.total);
  return out;
}

std::string grade_for(const std::vector<Band>& bands, double total) {
  for (const auto& band : bands) {
    if (total >= band.min) return band.grade;
  }
  return bands.empty() ? "" : bands.back().grade;
}

}  // namespace unicc::qa
