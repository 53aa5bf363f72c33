// PathCounts over hand-written traces: entries and exits per node (a repeated menu
// counted once), callers who hung up in a node, condition rules named as the
// document's fields, earlier flows of an overflowed call counted for their own
// flow, and traces of other flows or unreadable text ignored.
#include "ivr/path_counts.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace unicc::ivr {
namespace {

using nlohmann::json;

std::string trace(const std::string& flow, const std::string& exit, const json& steps) {
  return json{{"flow", flow}, {"version", 1}, {"exit", exit}, {"steps", steps}}.dump();
}

json step(const std::string& node, const std::string& exit, const std::string& note = "") {
  return {{"node", node}, {"type", "menu"}, {"exit", exit}, {"note", note}, {"digits", ""}};
}

TEST(PathCounts, CountsEntriesExitsAndHangUpsPerNode) {
  PathCounts counts;
  // Pressed 1 and was queued.
  counts.add("hotline", trace("hotline", "queued", {step("welcome", "next"), step("main", "options.1"),
                                                    step("sales", "")}));
  // A wrong key first (the menu is entered once), then 2: voicemail.
  counts.add("hotline", trace("hotline", "voicemail", {step("welcome", "next"), step("main", "options.2"),
                                                       step("leave", "")}));
  // Hung up while the menu played.
  counts.add("hotline", trace("hotline", "caller_hung_up",
                              {step("welcome", "next"), step("main", "", "caller hung up")}));
  // A condition's rule, as the executor names it.
  counts.add("hotline", trace("hotline", "queued", {step("vip", "rules[0]"), step("sales", "")}));
  // Not this flow, and not a trace at all.
  counts.add("hotline", trace("other", "queued", {step("welcome", "next")}));
  counts.add("hotline", "not json {");
  // A test call of the draft (version 0).
  counts.add("hotline", json{{"flow", "hotline"}, {"version", 0}, {"exit", "queued"}, {"steps", {step("welcome", "next")}}}.dump());
  counts.add("hotline", "");

  EXPECT_EQ(counts.calls, 4);
  EXPECT_EQ(counts.nodes["welcome"].entered, 3);
  EXPECT_EQ(counts.nodes["welcome"].exits, (std::map<std::string, std::int64_t>{{"next", 3}}));
  EXPECT_EQ(counts.nodes["main"].entered, 3);
  EXPECT_EQ(counts.nodes["main"].hung_up, 1);
  EXPECT_EQ(counts.nodes["main"].exits, (std::map<std::string, std::int64_t>{{"options.1", 1}, {"options.2", 1}}));
  EXPECT_EQ(counts.nodes["vip"].exits, (std::map<std::string, std::int64_t>{{"rules[0].next", 1}}));
  EXPECT_EQ(counts.nodes["sales"].entered, 2);
  EXPECT_TRUE(counts.nodes["sales"].exits.empty());
  EXPECT_EQ(counts.ended, (std::map<std::string, std::int64_t>{{"caller_hung_up", 1}, {"queued", 2}, {"voicemail", 1}}));

  const json answer = to_json(counts);
  EXPECT_EQ(answer["nodes"]["main"], json::parse(R"({"entered":3,"hung_up":1,"exits":{"options.1":1,"options.2":1}})"));
}

TEST(PathCounts, AnOverflowedCallCountsInEachFlowItWentThrough) {
  json first = json::parse(trace("hotline", "queued", {step("main", "options.1"), step("sales", "")}));
  json second = json::parse(trace("after-hours", "voicemail", {step("closed", "next"), step("leave", "")}));
  second["previous"] = first;
  PathCounts hotline;
  hotline.add("hotline", second.dump());
  EXPECT_EQ(hotline.calls, 1);
  EXPECT_EQ(hotline.nodes["main"].exits["options.1"], 1);
  EXPECT_EQ(hotline.nodes.count("closed"), 0u);
  PathCounts after_hours;
  after_hours.add("after-hours", second.dump());
  EXPECT_EQ(after_hours.calls, 1);
  EXPECT_EQ(after_hours.nodes["closed"].exits["next"], 1);
  EXPECT_EQ(after_hours.ended["voicemail"], 1);
}

}  // namespace
}  // namespace unicc::ivr
