#include "sip/stream_framer.h"

#include "sip/header_names.h"
#include "sip/scan.h"

namespace unicc::sip {
namespace {

constexpr std::string_view kEmptyLine = "\r\n\r\n";

}  // namespace

StreamFramer::StreamFramer(std::size_t max_message_bytes) : max_message_bytes_(max_message_bytes) {}

void StreamFramer::append(std::string_view bytes) {
  if (!error_) buffer_.append(bytes);
}

bool StreamFramer::in_message() const {
  std::string_view rest = std::string_view(buffer_).substr(start_);
  return body_start_ != 0 || !(rest.empty() || rest == "\r" || rest == "\r\n" || rest == "\r\n\r");
}

std::size_t StreamFramer::take_pings() {
  std::size_t pings = pings_;
  pings_ = 0;
  return pings;
}

void StreamFramer::skip_keepalives() {
  // Waits on a trailing CRLF or CRLF+CR so a ping split across reads still counts once.
  std::string_view rest = std::string_view(buffer_).substr(start_);
  while (rest.starts_with("\r\n")) {
    if (rest.starts_with(kEmptyLine)) {
      ++pings_;
      rest.remove_prefix(4);
    } else if (rest.size() == 2 || rest == "\r\n\r") {
      break;
    } else {
      rest.remove_prefix(2);
    }
  }
  start_ = buffer_.size() - rest.size();
}

std::optional<ParseError> StreamFramer::find_content_length(std::string_view head) {
  std::optional<std::uint32_t> length;
  for (std::size_t line_start = head.find("\r\n") + 2; line_start < head.size();) {
    std::size_t line_end = head.find("\r\n", line_start);
    std::string_view line = head.substr(line_start, line_end - line_start);
    line_start = line_end + 2;
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos ||
        resolve_header_name(scan::trim(line.substr(0, colon))).id != HeaderId::kContentLength) {
      continue;
    }
    auto value = scan::parse_uint(scan::trim(line.substr(colon + 1)),
                                  static_cast<std::uint32_t>(max_message_bytes_));
    if (!value || (length && *length != *value)) return ParseError{"Malformed Content-Length header"};
    length = value;
  }
  if (!length) return ParseError{"Missing Content-Length header"};
  content_length_ = *length;
  return std::nullopt;
}

void StreamFramer::consume(std::size_t bytes) {
  start_ += bytes;
  scanned_ = 0;
  body_start_ = 0;
  // Compacting only once the consumed prefix dominates keeps erase() amortized O(1).
  if (start_ == buffer_.size()) {
    buffer_.clear();
    start_ = 0;
  } else if (start_ > buffer_.size() / 2) {
    buffer_.erase(0, start_);
    start_ = 0;
  }
}

Result<std::optional<std::string>> StreamFramer::next() {
  if (error_) return *error_;
  if (body_start_ == 0) {
    skip_keepalives();
    std::string_view pending = std::string_view(buffer_).substr(start_);
    std::size_t search_from = scanned_ > 3 ? scanned_ - 3 : 0;
    std::size_t empty_line = pending.find(kEmptyLine, search_from);
    if (empty_line == std::string_view::npos) {
      scanned_ = pending.size();
      if (pending.size() > max_message_bytes_) error_ = ParseError{"Message too large"};
      if (error_) return *error_;
      return std::optional<std::string>();
    }
    if (auto error = find_content_length(pending.substr(0, empty_line + 2))) {
      error_ = error;
      return *error_;
    }
    body_start_ = empty_line + 4;
    if (body_start_ + content_length_ > max_message_bytes_) {
      error_ = ParseError{"Message too large"};
      return *error_;
    }
  }
  std::size_t total = body_start_ + content_length_;
  if (buffered() < total) return std::optional<std::string>();
  std::optional<std::string> message(buffer_.substr(start_, total));
  consume(total);
  return message;
}

}  // namespace unicc::sip
