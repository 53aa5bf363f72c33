#include "sip/sdp.h"

#include <algorithm>
#include <array>
#include <span>

#include "sip/scan.h"

namespace unicc::sip {
namespace {

constexpr std::size_t kMaxMedia = 32;
constexpr std::size_t kMaxFormats = 128;
constexpr std::array<std::string_view, 4> kDirectionNames = {"sendrecv", "sendonly", "recvonly",
                                                             "inactive"};

std::optional<std::uint64_t> parse_u64(std::string_view s) {
  if (s.empty() || s.size() > 19) return std::nullopt;  // 19 digits always fit
  std::uint64_t value = 0;
  for (char c : s) {
    if (!scan::is_digit(c)) return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return value;
}

// Splits `s` at single spaces into exactly fields.size() non-empty fields.
bool split_fields(std::string_view s, std::span<std::string_view> fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    bool last = i + 1 == fields.size();
    std::size_t space = s.find(' ');
    if (last != (space == std::string_view::npos)) return false;
    fields[i] = s.substr(0, space);
    if (fields[i].empty()) return false;
    s.remove_prefix(last ? s.size() : space + 1);
  }
  return true;
}

std::optional<SdpDirection> direction_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kDirectionNames.size(); ++i) {
    if (name == kDirectionNames[i]) return static_cast<SdpDirection>(i);
  }
  return std::nullopt;
}

std::optional<SdpConnection> parse_connection(std::string_view value) {
  std::array<std::string_view, 3> fields;
  if (!split_fields(value, fields)) return std::nullopt;
  return SdpConnection{fields[0], fields[1], fields[2]};
}

std::optional<SdpOrigin> parse_origin(std::string_view value) {
  std::array<std::string_view, 6> fields;
  if (!split_fields(value, fields)) return std::nullopt;
  auto id = parse_u64(fields[1]);
  auto version = parse_u64(fields[2]);
  if (!id || !version) return std::nullopt;
  return SdpOrigin{fields[0], *id, *version, fields[3], fields[4], fields[5]};
}

std::optional<SdpRtpMap> parse_rtpmap(std::string_view value) {
  // <payload type> <encoding name>/<clock rate>[/<channels>]
  std::array<std::string_view, 2> fields;
  if (!split_fields(value, fields)) return std::nullopt;
  auto payload_type = scan::parse_uint(fields[0], 127);
  std::size_t slash = fields[1].find('/');
  if (!payload_type || slash == std::string_view::npos) return std::nullopt;
  SdpRtpMap map{static_cast<std::uint8_t>(*payload_type), fields[1].substr(0, slash), 0, 0};
  std::string_view rate = fields[1].substr(slash + 1);
  std::size_t second_slash = rate.find('/');
  auto clock_rate = scan::parse_uint(rate.substr(0, second_slash), 0xffffffff);
  if (!scan::is_token(map.encoding) || !clock_rate || *clock_rate == 0) return std::nullopt;
  map.clock_rate = *clock_rate;
  if (second_slash != std::string_view::npos) {
    auto channels = scan::parse_uint(rate.substr(second_slash + 1), 255);
    if (!channels || *channels == 0) return std::nullopt;
    map.channels = static_cast<std::uint8_t>(*channels);
  }
  return map;
}

std::optional<SdpFmtp> parse_fmtp(std::string_view value) {
  std::size_t space = value.find(' ');
  auto payload_type = scan::parse_uint(value.substr(0, space), 127);
  if (!payload_type || space == std::string_view::npos) return std::nullopt;
  return SdpFmtp{static_cast<std::uint8_t>(*payload_type), value.substr(space + 1)};
}

bool parse_rtcp(std::string_view value, SdpMedia& media) {
  std::size_t space = value.find(' ');
  auto port = scan::parse_uint(value.substr(0, space), 65535);
  if (!port) return false;
  media.rtcp_port = static_cast<std::uint16_t>(*port);
  if (space != std::string_view::npos) media.rtcp_address = value.substr(space + 1);
  return true;
}

bool valid_protocol(std::string_view protocol) {
  return !protocol.empty() && std::all_of(protocol.begin(), protocol.end(), [](char c) {
    return c == '/' || scan::has_class(c, scan::kToken);
  });
}

bool parse_media_line(std::string_view value, SdpMedia& media) {
  // <media> <port>[/<number of ports>] <proto> <fmt> ...
  std::array<std::string_view, 3> fields;
  std::size_t formats_at = 0;  // the space after the third field
  for (std::size_t i = 0, from = 0; i < fields.size(); ++i, from = formats_at + 1) {
    formats_at = value.find(' ', from);
    if (formats_at == std::string_view::npos) return false;
  }
  if (!split_fields(value.substr(0, formats_at), fields)) return false;
  media.media = fields[0];
  media.protocol = fields[2];
  std::size_t slash = fields[1].find('/');
  auto port = scan::parse_uint(fields[1].substr(0, slash), 65535);
  if (!scan::is_token(media.media) || !valid_protocol(media.protocol) || !port) return false;
  media.port = static_cast<std::uint16_t>(*port);
  if (slash != std::string_view::npos) {
    auto count = scan::parse_uint(fields[1].substr(slash + 1), 65535);
    if (!count || *count == 0) return false;
    media.port_count = static_cast<std::uint16_t>(*count);
  }
  bool rtp = media.protocol.find("RTP") != std::string_view::npos;
  return scan::split_top_level(value.substr(formats_at + 1), ' ', [&](std::string_view format) {
    if (media.formats.size() == kMaxFormats) return false;
    if (rtp ? !scan::parse_uint(format, 127) : !scan::is_token(format)) return false;
    media.formats.push_back(format);
    return true;
  });
}

class SdpParser {
 public:
  explicit SdpParser(SessionDescription& session) : session_(session) {}

  std::optional<ParseError> run(std::string_view text) {
    static constexpr std::string_view kFixedStart = "vos";
    std::size_t index = 0;
    while (!text.empty()) {
      std::size_t newline = text.find('\n');
      std::string_view line = text.substr(0, newline);
      text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.empty() && text.find_first_not_of("\r\n") == std::string_view::npos) break;
      if (line.size() < 2 || line[1] != '=' ||
          std::any_of(line.begin(), line.end(), [](char c) {
            return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
          })) {
        return ParseError{"Malformed SDP line"};
      }
      char type = line[0];
      std::string_view value = line.substr(2);
      if (index < kFixedStart.size() && type != kFixedStart[index]) {
        return ParseError{"SDP must start with v=, o=, s="};
      }
      if (auto error = parse_line(type, value)) return error;
      ++index;
    }
    return check_complete(index);
  }

 private:
  std::optional<ParseError> parse_line(char type, std::string_view value) {
    switch (type) {
      case 'v':
        if (value != "0" || version_seen_) return ParseError{"Unsupported SDP version"};
        version_seen_ = true;
        return std::nullopt;
      case 'o':
        return set_once(parse_origin(value), session_.origin, origin_seen_, "Malformed o= line");
      case 's':
        if (value.empty() || session_name_seen_) return ParseError{"Malformed s= line"};
        session_.session_name = value;
        session_name_seen_ = true;
        return std::nullopt;
      case 'c':
        return parse_connection_line(value);
      case 't':
        return parse_timing(value);
      case 'm':
        return parse_media(value);
      case 'a':
        return media_ ? parse_media_attribute(value) : parse_session_attribute(value);
      case 'i':
      case 'b':
      case 'k':
        (media_ ? media_->other_lines : session_.other_lines).push_back({type, value});
        return std::nullopt;
      case 'u':
      case 'e':
      case 'p':
      case 'r':
      case 'z':
        if (media_) return ParseError{"Misplaced SDP line"};
        session_.other_lines.push_back({type, value});
        return std::nullopt;
      default:
        return ParseError{"Unknown SDP line type"};
    }
  }

  template <typename T>
  static std::optional<ParseError> set_once(std::optional<T> parsed, T& target, bool& seen,
                                            std::string_view reason) {
    if (!parsed || seen) return ParseError{reason};
    target = *parsed;
    seen = true;
    return std::nullopt;
  }

  std::optional<ParseError> parse_connection_line(std::string_view value) {
    std::optional<SdpConnection>& target = media_ ? media_->connection : session_.connection;
    std::optional<SdpConnection> connection = parse_connection(value);
    if (!connection || target) return ParseError{"Malformed c= line"};
    target = connection;
    return std::nullopt;
  }

  std::optional<ParseError> parse_timing(std::string_view value) {
    std::array<std::string_view, 2> fields;
    std::optional<std::uint64_t> start;
    std::optional<std::uint64_t> stop;
    if (!media_ && split_fields(value, fields)) {
      start = parse_u64(fields[0]);
      stop = parse_u64(fields[1]);
    }
    if (!start || !stop) return ParseError{"Malformed t= line"};
    if (timing_seen_) {
      session_.other_lines.push_back({'t', value});
    } else {
      session_.start_time = *start;
      session_.stop_time = *stop;
      timing_seen_ = true;
    }
    return std::nullopt;
  }

  std::optional<ParseError> parse_media(std::string_view value) {
    if (session_.media.size() == kMaxMedia) return ParseError{"Too many SDP media"};
    media_ = &session_.media.emplace_back();
    if (!parse_media_line(value, *media_)) return ParseError{"Malformed m= line"};
    return std::nullopt;
  }

  static SdpAttribute split_attribute(std::string_view value) {
    std::size_t colon = value.find(':');
    if (colon == std::string_view::npos) return {value, {}};
    return {value.substr(0, colon), value.substr(colon + 1)};
  }

  std::optional<ParseError> parse_session_attribute(std::string_view value) {
    SdpAttribute attribute = split_attribute(value);
    if (attribute.name.empty()) return ParseError{"Malformed a= line"};
    if (auto direction = direction_from_name(attribute.name)) {
      return set_direction(session_.direction, *direction, attribute);
    }
    session_.attributes.push_back(attribute);
    return std::nullopt;
  }

  std::optional<ParseError> parse_media_attribute(std::string_view value) {
    SdpAttribute attribute = split_attribute(value);
    SdpMedia& media = *media_;
    if (attribute.name.empty()) return ParseError{"Malformed a= line"};
    if (auto direction = direction_from_name(attribute.name)) {
      return set_direction(media.direction, *direction, attribute);
    }
    if (attribute.name == "rtpmap") {
      std::optional<SdpRtpMap> map = parse_rtpmap(attribute.value);
      if (!map || media.find_rtpmap(map->payload_type)) return ParseError{"Malformed a=rtpmap"};
      media.rtpmaps.push_back(*map);
    } else if (attribute.name == "fmtp") {
      std::optional<SdpFmtp> fmtp = parse_fmtp(attribute.value);
      if (!fmtp) return ParseError{"Malformed a=fmtp"};
      media.fmtps.push_back(*fmtp);
    } else if (attribute.name == "ptime") {
      auto ptime = scan::parse_uint(attribute.value, 10000);
      if (!ptime || media.ptime) return ParseError{"Malformed a=ptime"};
      media.ptime = ptime;
    } else if (attribute.name == "rtcp") {
      if (media.rtcp_port || !parse_rtcp(attribute.value, media)) {
        return ParseError{"Malformed a=rtcp"};
      }
    } else {
      media.attributes.push_back(attribute);
    }
    return std::nullopt;
  }

  static std::optional<ParseError> set_direction(std::optional<SdpDirection>& target,
                                                 SdpDirection direction,
                                                 const SdpAttribute& attribute) {
    if (target || !attribute.value.empty()) return ParseError{"Malformed SDP direction attribute"};
    target = direction;
    return std::nullopt;
  }

  std::optional<ParseError> check_complete(std::size_t lines) const {
    if (lines < 3) return ParseError{"SDP must start with v=, o=, s="};
    if (!timing_seen_) return ParseError{"Missing t= line"};
    for (const SdpMedia& media : session_.media) {
      if (media.port != 0 && !media.connection && !session_.connection) {
        return ParseError{"Missing c= line"};
      }
    }
    return std::nullopt;
  }

  SessionDescription& session_;
  SdpMedia* media_ = nullptr;  // the m= section being read; null at session level
  bool version_seen_ = false;
  bool origin_seen_ = false;
  bool session_name_seen_ = false;
  bool timing_seen_ = false;
};

void append_line(std::string& out, char type, std::string_view value) {
  out += type;
  out += '=';
  out += value;
  out += "\r\n";
}

void append_kept_lines(std::string& out, const std::vector<SdpLine>& lines,
                       std::string_view types) {
  for (char type : types) {
    for (const SdpLine& line : lines) {
      if (line.type == type) append_line(out, type, line.value);
    }
  }
}

void append_connection(std::string& out, const std::optional<SdpConnection>& connection) {
  if (!connection) return;
  out += "c=";
  out += connection->network_type;
  out += ' ';
  out += connection->address_type;
  out += ' ';
  out += connection->address;
  out += "\r\n";
}

void append_attributes(std::string& out, std::optional<SdpDirection> direction,
                       const std::vector<SdpAttribute>& attributes) {
  if (direction) append_line(out, 'a', kDirectionNames[static_cast<std::size_t>(*direction)]);
  for (const SdpAttribute& attribute : attributes) {
    out += "a=";
    out += attribute.name;
    if (!attribute.value.empty()) {
      out += ':';
      out += attribute.value;
    }
    out += "\r\n";
  }
}

void append_fmtp(std::string& out, const SdpFmtp& fmtp) {
  out += "a=fmtp:";
  out += std::to_string(fmtp.payload_type);
  out += ' ';
  out += fmtp.parameters;
  out += "\r\n";
}

void append_media(std::string& out, const SdpMedia& media) {
  out += "m=";
  out += media.media;
  out += ' ';
  out += std::to_string(media.port);
  if (media.port_count != 0) {
    out += '/';
    out += std::to_string(media.port_count);
  }
  out += ' ';
  out += media.protocol;
  for (std::string_view format : media.formats) {
    out += ' ';
    out += format;
  }
  out += "\r\n";
  append_kept_lines(out, media.other_lines, "i");
  append_connection(out, media.connection);
  append_kept_lines(out, media.other_lines, "bk");
  for (const SdpRtpMap& map : media.rtpmaps) {
    out += "a=rtpmap:";
    out += std::to_string(map.payload_type);
    out += ' ';
    out += map.encoding;
    out += '/';
    out += std::to_string(map.clock_rate);
    if (map.channels != 0) {
      out += '/';
      out += std::to_string(map.channels);
    }
    out += "\r\n";
    for (const SdpFmtp& fmtp : media.fmtps) {
      if (fmtp.payload_type == map.payload_type) append_fmtp(out, fmtp);
    }
  }
  for (const SdpFmtp& fmtp : media.fmtps) {
    if (!media.find_rtpmap(fmtp.payload_type)) append_fmtp(out, fmtp);
  }
  if (media.ptime) append_line(out, 'a', "ptime:" + std::to_string(*media.ptime));
  if (media.rtcp_port) {
    std::string rtcp = "rtcp:" + std::to_string(*media.rtcp_port);
    if (!media.rtcp_address.empty()) rtcp.append(" ").append(media.rtcp_address);
    append_line(out, 'a', rtcp);
  }
  append_attributes(out, media.direction, media.attributes);
}

}  // namespace

const SdpRtpMap* SdpMedia::find_rtpmap(std::uint8_t payload_type) const {
  for (const SdpRtpMap& map : rtpmaps) {
    if (map.payload_type == payload_type) return &map;
  }
  return nullptr;
}

std::optional<std::string_view> SdpMedia::find_fmtp(std::uint8_t payload_type) const {
  for (const SdpFmtp& fmtp : fmtps) {
    if (fmtp.payload_type == payload_type) return fmtp.parameters;
  }
  return std::nullopt;
}

Result<SessionDescription> SessionDescription::parse(std::string_view text) {
  SessionDescription session;
  if (auto error = SdpParser(session).run(text)) return *error;
  return session;
}

std::string SessionDescription::serialize() const {
  std::string out;
  out.reserve(256 + 192 * media.size());
  out += "v=0\r\no=";
  out += origin.username;
  out += ' ';
  out += std::to_string(origin.session_id);
  out += ' ';
  out += std::to_string(origin.session_version);
  out += ' ';
  out += origin.network_type;
  out += ' ';
  out += origin.address_type;
  out += ' ';
  out += origin.address;
  out += "\r\n";
  append_line(out, 's', session_name);
  append_kept_lines(out, other_lines, "iuep");
  append_connection(out, connection);
  append_kept_lines(out, other_lines, "b");
  append_line(out, 't', std::to_string(start_time) + ' ' + std::to_string(stop_time));
  append_kept_lines(out, other_lines, "trzk");
  append_attributes(out, direction, attributes);
  for (const SdpMedia& stream : media) append_media(out, stream);
  return out;
}

SdpDirection SessionDescription::direction_of(const SdpMedia& stream) const {
  return stream.direction.value_or(direction.value_or(SdpDirection::kSendRecv));
}

const SdpConnection* SessionDescription::connection_of(const SdpMedia& stream) const {
  if (stream.connection) return &*stream.connection;
  return connection ? &*connection : nullptr;
}

}  // namespace unicc::sip
