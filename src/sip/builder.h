#pragma once
// sip::MessageBuilder — writes SIP requests and responses.
//
// Headers are written in the order they are added, each on its own line, names
// as given. finish() appends Content-Length (always: TCP requires it and it costs
// nothing on UDP), the empty line and the body, so callers must not add a
// Content-Length of their own; they add Content-Type when there is a body.
// The builder does not validate what it is given: it is fed by our own code.
//
// response_to() starts a response per RFC 3261 §8.2.6: every Via of the request
// in order, From, To (with `to_tag` added when the request's To has no tag),
// Call-ID and CSeq. serialize() writes a parsed Message back out.
#include <string>
#include <string_view>

#include "sip/message.h"

namespace unicc::sip {

class MessageBuilder {
 public:
  static MessageBuilder request(std::string_view method, std::string_view request_uri);
  // An empty reason uses reason_phrase(status_code).
  static MessageBuilder response(int status_code, std::string_view reason = {});

  MessageBuilder& add(std::string_view name, std::string_view value);
  // Returns the message; the builder is spent afterwards.
  std::string finish(std::string_view body = {});

 private:
  friend std::string serialize(const Message& message);
  MessageBuilder() { out_.reserve(1024); }
  std::string out_;
};

// The RFC 3261 §21 reason phrase of a status code, or "Unknown".
std::string_view reason_phrase(int status_code);

MessageBuilder response_to(const Message& request, int status_code, std::string_view reason = {},
                           std::string_view to_tag = {});

std::string serialize(const Message& message);

}  // namespace unicc::sip
