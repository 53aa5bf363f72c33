#pragma once
// sip::StreamFramer — cuts SIP messages out of a TCP/TLS byte stream (RFC 3261 §18.3).
//
// Feed every read to append(), then call next() until it returns no message.
// CRLFs between messages are skipped; a double CRLF is an RFC 5626 keep-alive
// ping, counted so the transport can answer each with a single CRLF pong. A
// message ends Content-Length bytes after its empty line; a missing or malformed
// Content-Length, or a message larger than the limit, breaks the stream: next()
// then returns the same ParseError forever and the connection should be closed.
// The returned bytes are meant for Message::parse with Framing::kStream.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "sip/result.h"

namespace unicc::sip {

class StreamFramer {
 public:
  explicit StreamFramer(std::size_t max_message_bytes = 64 * 1024);

  void append(std::string_view bytes);
  // A complete message, std::nullopt when more bytes are needed, or the error.
  Result<std::optional<std::string>> next();
  // Keep-alive pings seen since the last call.
  std::size_t take_pings();
  // Bytes held that do not yet form a complete message.
  std::size_t buffered() const { return buffer_.size() - start_; }
  // True when part of a message is held, as opposed to nothing or the start of a
  // keep-alive (a CR, CRLF or CRLF CR awaiting the rest). Meaningful after next().
  bool in_message() const;

 private:
  void skip_keepalives();
  std::optional<ParseError> find_content_length(std::string_view head);
  void consume(std::size_t bytes);

  std::size_t max_message_bytes_;
  std::string buffer_;
  std::size_t start_ = 0;          // first byte of the next message
  std::size_t scanned_ = 0;        // bytes after start_ known not to end the headers
  std::size_t body_start_ = 0;     // set once the empty line is found, else 0
  std::size_t content_length_ = 0;
  std::size_t pings_ = 0;
  std::optional<ParseError> error_;
};

}  // namespace unicc::sip
