#include "sip/builder.h"

#include <array>
#include <utility>

namespace unicc::sip {

MessageBuilder MessageBuilder::request(std::string_view method, std::string_view request_uri) {
  MessageBuilder builder;
  builder.out_ += method;
  builder.out_ += ' ';
  builder.out_ += request_uri;
  builder.out_ += " SIP/2.0\r\n";
  return builder;
}

MessageBuilder MessageBuilder::response(int status_code, std::string_view reason) {
  MessageBuilder builder;
  builder.out_ += "SIP/2.0 ";
  builder.out_ += std::to_string(status_code);
  builder.out_ += ' ';
  builder.out_ += reason.empty() ? reason_phrase(status_code) : reason;
  builder.out_ += "\r\n";
  return builder;
}

MessageBuilder& MessageBuilder::add(std::string_view name, std::string_view value) {
  out_ += name;
  out_ += ": ";
  out_ += value;
  out_ += "\r\n";
  return *this;
}

std::string MessageBuilder::finish(std::string_view body) {
  out_ += "Content-Length: ";
  out_ += std::to_string(body.size());
  out_ += "\r\n\r\n";
  out_ += body;
  return std::move(out_);
}

std::string_view reason_phrase(int status_code) {
  static constexpr auto kPhrases = std::to_array<std::pair<int, std::string_view>>({
      {100, "Trying"}, {180, "Ringing"}, {181, "Call Is Being Forwarded"}, {182, "Queued"},
      {183, "Session Progress"}, {200, "OK"}, {202, "Accepted"},
      {300, "Multiple Choices"}, {301, "Moved Permanently"}, {302, "Moved Temporarily"},
      {305, "Use Proxy"}, {380, "Alternative Service"},
      {400, "Bad Request"}, {401, "Unauthorized"}, {402, "Payment Required"},
      {403, "Forbidden"}, {404, "Not Found"}, {405, "Method Not Allowed"},
      {406, "Not Acceptable"}, {407, "Proxy Authentication Required"},
      {408, "Request Timeout"}, {410, "Gone"}, {413, "Request Entity Too Large"},
      {414, "Request-URI Too Long"}, {415, "Unsupported Media Type"},
      {416, "Unsupported URI Scheme"}, {420, "Bad Extension"}, {421, "Extension Required"},
      {423, "Interval Too Brief"}, {480, "Temporarily Unavailable"},
      {481, "Call/Transaction Does Not Exist"}, {482, "Loop Detected"},
      {483, "Too Many Hops"}, {484, "Address Incomplete"}, {485, "Ambiguous"},
      {486, "Busy Here"}, {487, "Request Terminated"}, {488, "Not Acceptable Here"},
      {491, "Request Pending"}, {493, "Undecipherable"},
      {500, "Server Internal Error"}, {501, "Not Implemented"}, {502, "Bad Gateway"},
      {503, "Service Unavailable"}, {504, "Server Time-out"}, {505, "Version Not Supported"},
      {513, "Message Too Large"}, {600, "Busy Everywhere"}, {603, "Decline"},
  });
  for (const auto& [code, phrase] : kPhrases) {
    if (code == status_code) return phrase;
  }
  return "Unknown";
}

MessageBuilder response_to(const Message& request, int status_code, std::string_view reason,
                           std::string_view to_tag) {
  MessageBuilder builder = MessageBuilder::response(status_code, reason);
  bool add_tag = !to_tag.empty() && request.to().tag().empty();
  for (const Header& header : request.headers()) {
    switch (header.id) {
      case HeaderId::kVia:
      case HeaderId::kFrom:
      case HeaderId::kCallId:
      case HeaderId::kCSeq:
        builder.add(header.name, header.value);
        break;
      case HeaderId::kTo:
        if (add_tag) {
          builder.add(header.name, std::string(header.value) + ";tag=" + std::string(to_tag));
        } else {
          builder.add(header.name, header.value);
        }
        break;
      default:
        break;
    }
  }
  return builder;
}

std::string serialize(const Message& message) {
  MessageBuilder builder;
  builder.out_ += message.start_line();
  builder.out_ += "\r\n";
  for (const Header& header : message.headers()) {
    if (header.id != HeaderId::kContentLength) builder.add(header.name, header.value);
  }
  return builder.finish(message.body());
}

}  // namespace unicc::sip
