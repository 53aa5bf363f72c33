#include "core/json_limits.h"

#include <vector>

namespace unicc::core {
namespace {

using nlohmann::json;

// Builds the value from SAX events with an explicit stack (like nlohmann's own DOM
// parser) and stops at the first container that would exceed the depth limit.
class BoundedBuilder final : public nlohmann::json_sax<json> {
 public:
  BoundedBuilder(json& root, std::size_t max_depth) : root_(root), max_depth_(max_depth) {}

  bool null() override { return place(json(nullptr)) != nullptr; }
  bool boolean(bool value) override { return place(json(value)) != nullptr; }
  bool number_integer(number_integer_t value) override { return place(json(value)) != nullptr; }
  bool number_unsigned(number_unsigned_t value) override { return place(json(value)) != nullptr; }
  bool number_float(number_float_t value, const string_t&) override { return place(json(value)) != nullptr; }
  bool string(string_t& value) override { return place(json(std::move(value))) != nullptr; }
  bool binary(binary_t& value) override { return place(json::binary(std::move(value))) != nullptr; }
  bool start_object(std::size_t) override { return open(json::object()); }
  bool start_array(std::size_t) override { return open(json::array()); }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }
  bool key(string_t& name) override {
    // A key given twice: the last value wins, as with nlohmann::json::parse.
    member_ = &(*stack_.back())[name];
    return true;
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& error) override {
    offset = position;
    message = error.what();
    auto bracket = message.find("] ");
    if (message.rfind("[json.exception", 0) == 0 && bracket != std::string::npos) message.erase(0, bracket + 2);
    return false;
  }

  bool too_deep = false;
  std::size_t offset = 0;
  std::string message;

 private:
  json* place(json&& value) {
    if (stack_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    json& parent = *stack_.back();
    if (parent.is_array()) {
      parent.push_back(std::move(value));
      return &parent.back();
    }
    *member_ = std::move(value);
    return member_;
  }

  bool open(json&& container) {
    if (stack_.size() >= max_depth_) {
      too_deep = true;
      return false;
    }
    stack_.push_back(place(std::move(container)));
    return true;
  }

  bool close() {
    stack_.pop_back();
    return true;
  }

  json& root_;
  std::size_t max_depth_;
  std::vector<json*> stack_;  // the open containers; only the innermost one grows
  json* member_ = nullptr;    // the object member whose value comes next
};

// Counts how far the parser read, so a depth failure can say where it happened.
class CountingIterator {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  CountingIterator() = default;
  CountingIterator(const char* at, const char** furthest) : at_(at), furthest_(furthest) {}
  reference operator*() const { return *at_; }
  CountingIterator& operator++() {
    ++at_;
    if (furthest_ && at_ > *furthest_) *furthest_ = at_;
    return *this;
  }
  CountingIterator operator++(int) {
    CountingIterator before = *this;
    ++*this;
    return before;
  }
  bool operator==(const CountingIterator& other) const { return at_ == other.at_; }

 private:
  const char* at_ = nullptr;
  const char** furthest_ = nullptr;
};

}  // namespace

JsonParse parse_json(std::string_view text, JsonLimits limits) {
  JsonParse out;
  if (text.size() > limits.max_bytes) {
    out.value = json(json::value_t::discarded);
    out.failure = JsonFailure::too_large;
    out.message = "the document is larger than " + std::to_string(limits.max_bytes) + " bytes";
    return out;
  }
  const char* furthest = text.data();
  BoundedBuilder builder(out.value, limits.max_depth);
  bool ok = json::sax_parse(CountingIterator(text.data(), &furthest),
                            CountingIterator(text.data() + text.size(), &furthest), &builder);
  if (ok) return out;
  out.value = json(json::value_t::discarded);
  if (builder.too_deep) {
    out.failure = JsonFailure::too_deep;
    out.offset = static_cast<std::size_t>(furthest - text.data());
    out.message = "the document is nested deeper than " + std::to_string(limits.max_depth) + " levels";
  } else {
    out.failure = JsonFailure::syntax;
    out.offset = builder.offset;
    out.message = builder.message;
  }
  return out;
}

}  // namespace unicc::core
