#include "ivr/json_source.h"

#include <algorithm>
#include <iterator>
#include <set>

#include "core/json_limits.h"

namespace unicc::ivr {
namespace {

std::vector<std::size_t> newline_offsets(std::string_view text) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') out.push_back(i);
  }
  return out;
}

// The 1-based line of the character at `offset` (a newline belongs to the line it ends).
int line_at(const std::vector<std::size_t>& newlines, std::size_t offset) {
  return 1 + static_cast<int>(std::lower_bound(newlines.begin(), newlines.end(), offset) - newlines.begin());
}

// nlohmann's message without its "[json.exception...] " and "parse error at line L,
// column C: " prefixes (the line is reported on its own).
std::string describe(std::string message) {
  auto bracket = message.find("] ");
  if (message.rfind("[json.exception", 0) == 0 && bracket != std::string::npos) message.erase(0, bracket + 2);
  auto column = message.find("column ");
  auto colon = column == std::string::npos ? std::string::npos : message.find(": ", column);
  return message.rfind("parse error", 0) == 0 && colon != std::string::npos ? message.substr(colon + 2) : message;
}

// Reads the text for nlohmann's parser and remembers how far it got: the parser
// reports SAX events right after consuming a token, so the furthest character read
// tells where that token is.
class TrackingIterator {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  TrackingIterator() = default;
  TrackingIterator(const char* at, const char** furthest) : at_(at), furthest_(furthest) {}
  reference operator*() const { return *at_; }
  TrackingIterator& operator++() {
    ++at_;
    if (furthest_ && at_ > *furthest_) *furthest_ = at_;
    return *this;
  }
  TrackingIterator operator++(int) {
    TrackingIterator before = *this;
    ++*this;
    return before;
  }
  bool operator==(const TrackingIterator& other) const { return at_ == other.at_; }

 private:
  const char* at_ = nullptr;
  const char** furthest_ = nullptr;
};

// SAX handler that records a line for every JSON pointer.
class LineRecorder : public nlohmann::json_sax<nlohmann::json> {
 public:
  LineRecorder(std::string_view text, const char** furthest, JsonSource& out)
      : text_(text), furthest_(furthest), out_(out), newlines_(newline_offsets(text)) {}

  bool null() override { return value(); }
  bool boolean(bool) override { return value(); }
  bool number_integer(number_integer_t) override { return value(); }
  bool number_unsigned(number_unsigned_t) override { return value(); }
  bool number_float(number_float_t, const string_t&) override { return value(); }
  bool string(string_t&) override { return value(); }
  bool binary(binary_t&) override { return value(); }
  bool start_object(std::size_t) override { return open(false); }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(true); }
  bool end_array() override { return close(); }
  bool key(string_t& name) override {
    Frame& frame = frames_.back();
    frame.member = frame.prefix + "/" + pointer_segment(name);
    if (!frame.keys.insert(name).second) out_.duplicate_keys.push_back(frame.member);
    out_.lines[frame.member] = current_line();
    return true;
  }
  // Syntax errors and numbers out of range; `read` counts the characters read, the
  // last of them is where parsing stopped.
  bool parse_error(std::size_t read, const std::string&, const nlohmann::detail::exception& error) override {
    read = std::min(read, text_.size());
    error_line = line_at(newlines_, read == 0 ? 0 : read - 1);
    error_message = describe(error.what());
    return false;
  }

  int error_line = 0;
  std::string error_message;

 private:
  struct Frame {
    bool array = false;
    std::string prefix;
    std::size_t index = 0;
    std::string member;  // pointer of the current object member
    std::set<std::string> keys;
  };

  // The line of the last character read: a token ends there.
  int current_line() const {
    auto consumed = static_cast<std::size_t>(*furthest_ - text_.data());
    return line_at(newlines_, consumed == 0 ? 0 : consumed - 1);
  }

  // The pointer of the value that starts now, recording its line if in an array.
  std::string begin_value() {
    if (frames_.empty()) {
      out_.lines[""] = current_line();
      return "";
    }
    Frame& frame = frames_.back();
    if (!frame.array) return frame.member;
    std::string pointer = frame.prefix + "/" + std::to_string(frame.index++);
    out_.lines[pointer] = current_line();
    return pointer;
  }

  bool value() {
    begin_value();
    return true;
  }
  bool open(bool array) {
    if (frames_.size() >= core::kMaxJsonDepth) {
      // Stopping here keeps both the stack and the pointers recorded per level bounded.
      error_line = current_line();
      error_message = "nested deeper than " + std::to_string(core::kMaxJsonDepth) + " levels";
      return false;
    }
    std::string pointer = begin_value();
    frames_.push_back(Frame{array, pointer, 0, "", {}});
    return true;
  }
  bool close() {
    frames_.pop_back();
    return true;
  }

  std::string_view text_;
  const char** furthest_;
  JsonSource& out_;
  std::vector<std::size_t> newlines_;
  std::vector<Frame> frames_;
};

}  // namespace

int JsonSource::line_of(std::string pointer) const {
  while (true) {
    auto it = lines.find(pointer);
    if (it != lines.end()) return it->second;
    auto slash = pointer.rfind('/');
    if (slash == std::string::npos) return 0;
    pointer.erase(slash);
  }
}

std::string pointer_segment(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

JsonSource parse_json_source(std::string_view text) {
  if (text.size() > core::kMaxJsonBytes) {
    throw JsonSyntaxError(1, "the document is larger than " + std::to_string(core::kMaxJsonBytes) + " bytes");
  }
  JsonSource source;
  const char* furthest = text.data();
  LineRecorder recorder(text, &furthest, source);
  if (!nlohmann::json::sax_parse(TrackingIterator(text.data(), &furthest),
                                 TrackingIterator(text.data() + text.size(), &furthest), &recorder)) {
    throw JsonSyntaxError(recorder.error_line, recorder.error_message);
  }
  source.value = core::parse_json(text).value;  // cannot fail: the same parser and limits just accepted it
  return source;
}

}  // namespace unicc::ivr
