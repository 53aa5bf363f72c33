#include "call/media_sdp.h"

#include <algorithm>
#include <charconv>

#include "sip/sdp.h"
#include "sip/sdp_crypto.h"

namespace unicc::call {
namespace {

media::Direction from_sdp(sip::SdpDirection direction) {
  switch (direction) {
    case sip::SdpDirection::kSendOnly: return media::Direction::kSendOnly;
    case sip::SdpDirection::kRecvOnly: return media::Direction::kRecvOnly;
    case sip::SdpDirection::kInactive: return media::Direction::kInactive;
    case sip::SdpDirection::kSendRecv: break;
  }
  return media::Direction::kSendRecv;
}

const char* attribute_of(media::Direction direction) {
  switch (direction) {
    case media::Direction::kSendOnly: return "sendonly";
    case media::Direction::kRecvOnly: return "recvonly";
    case media::Direction::kInactive: return "inactive";
    case media::Direction::kSendRecv: break;
  }
  return "sendrecv";
}

// Static payload types that may appear without an rtpmap (RFC 3551).
std::optional<Codec> static_codec(std::uint8_t payload_type) {
  if (payload_type == 0) return Codec{0, "PCMU", 8000, ""};
  if (payload_type == 8) return Codec{8, "PCMA", 8000, ""};
  return std::nullopt;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

// The first crypto line of `stream` that unicc implements: a known suite, one
// 30-byte key, no MKI and no session parameters.
std::optional<SdesKey> usable_crypto(const sip::SdpMedia& stream) {
  for (const auto& attribute : stream.attributes) {
    if (attribute.name != "crypto") continue;
    const auto crypto = sip::parse_crypto(attribute.value);
    if (!crypto || crypto->has_mki || crypto->has_session_params) continue;
    const auto suite = media::srtp_suite_named(crypto->suite);
    if (!suite || crypto->key_salt.size() != media::kSrtpKeySaltSize) continue;
    SdesKey key{crypto->tag, {*suite, {}}, stream.protocol == "RTP/SAVP"};
    std::copy(crypto->key_salt.begin(), crypto->key_salt.end(), key.key.key_salt.begin());
    return key;
  }
  return std::nullopt;
}

}  // namespace

std::optional<SrtpPolicy> srtp_policy_named(std::string_view name) {
  if (name == "off") return SrtpPolicy::kOff;
  if (name == "optional") return SrtpPolicy::kOptional;
  if (name == "required") return SrtpPolicy::kRequired;
  return std::nullopt;
}

SrtpAnswer answer_srtp(SrtpPolicy policy, const AudioOffer& offer, const std::optional<SdesKey>& current) {
  if (!offer.srtp) {
    if (policy == SrtpPolicy::kRequired) return {488, "SRTP Required", std::nullopt};
    return {};
  }
  if (policy == SrtpPolicy::kOff) {
    if (offer.srtp->savp) return {488, "SRTP Not Accepted", std::nullopt};
    return {};  // best-effort SRTP offered over RTP/AVP: answered plain
  }
  SdesKey own{offer.srtp->tag, current && current->key.suite == offer.srtp->key.suite
                                   ? current->key
                                   : media::random_srtp_key(offer.srtp->key.suite),
              offer.srtp->savp};
  return {0, "", own};
}

std::optional<SdesKey> offer_srtp(SrtpPolicy policy) {
  if (policy != SrtpPolicy::kRequired) return std::nullopt;
  return SdesKey{1, media::random_srtp_key(media::SrtpSuite::kAesCm128HmacSha1_80), true};
}

bool answer_matches_srtp(const std::optional<SdesKey>& own, const AudioOffer& answer) {
  if (!own) return true;  // a key in an answer to a plain offer is ignored
  return answer.srtp && answer.srtp->tag == own->tag && answer.srtp->key.suite == own->key.suite;
}

std::optional<media::SrtpKeys> relay_keys(const std::optional<SdesKey>& own, const AudioOffer& party) {
  if (!own || !party.srtp) return std::nullopt;
  return media::SrtpKeys{party.srtp->key, own->key};
}

std::optional<std::uint8_t> AudioOffer::dtmf_payload_type() const {
  for (const auto& codec : codecs) {
    if (codec.name == "telephone-event") return codec.payload_type;
  }
  return std::nullopt;
}

bool AudioOffer::has_voice_codec() const {
  for (const auto& codec : codecs) {
    if (codec.name != "telephone-event") return true;
  }
  return false;
}

SdpOutcome read_audio(std::string_view sdp_body) {
  auto parsed = sip::SessionDescription::parse(sdp_body);
  if (!parsed) return {std::nullopt, 400, std::string("Bad SDP: ") + std::string(parsed.error().reason)};
  for (const auto& stream : parsed->media) {
    if (stream.media != "audio" || stream.port == 0) continue;
    if (stream.protocol != "RTP/AVP" && stream.protocol != "RTP/SAVP") {
      return {std::nullopt, 488, "Only RTP/AVP and RTP/SAVP audio are supported"};
    }
    const auto* connection = parsed->connection_of(stream);
    if (!connection) return {std::nullopt, 400, "Bad SDP: no connection address"};
    AudioOffer offer;
    offer.address = std::string(connection->address.substr(0, connection->address.find('/')));
    offer.port = stream.port;
    offer.direction = from_sdp(parsed->direction_of(stream));
    offer.ptime = stream.ptime;
    offer.srtp = usable_crypto(stream);
    if (stream.protocol == "RTP/SAVP" && !offer.srtp) return {std::nullopt, 488, "No Usable SRTP Crypto Suite"};
    std::vector<Codec> events;
    for (auto format : stream.formats) {
      int payload_type = -1;
      std::from_chars(format.data(), format.data() + format.size(), payload_type);
      if (payload_type < 0 || payload_type > 127) continue;
      auto pt = static_cast<std::uint8_t>(payload_type);
      std::optional<Codec> codec;
      if (const auto* map = stream.find_rtpmap(pt)) {
        if (map->clock_rate != 8000) continue;
        for (const char* known : {"PCMU", "PCMA", "telephone-event"}) {
          if (iequals(map->encoding, known)) codec = Codec{pt, known, 8000, ""};
        }
      } else {
        codec = static_codec(pt);
      }
      if (!codec) continue;
      codec->fmtp = std::string(stream.find_fmtp(pt).value_or(""));
      (codec->name == "telephone-event" ? events : offer.codecs).push_back(*codec);
    }
    if (offer.codecs.empty()) return {std::nullopt, 488, "No common codec (PCMU or PCMA needed)"};
    offer.codecs.insert(offer.codecs.end(), events.begin(), events.end());
    return {offer, 0, ""};
  }
  return {std::nullopt, 488, "No audio stream offered"};
}

media::Direction answer_direction(media::Direction offered) {
  switch (offered) {
    case media::Direction::kSendOnly: return media::Direction::kRecvOnly;
    case media::Direction::kRecvOnly: return media::Direction::kSendOnly;
    case media::Direction::kInactive: return media::Direction::kInactive;
    case media::Direction::kSendRecv: break;
  }
  return media::Direction::kSendRecv;
}

std::string describe_audio(const std::vector<Codec>& codecs, std::string_view address, std::uint16_t port,
                           media::Direction direction, std::uint64_t session_id, std::uint64_t version,
                           std::optional<std::uint32_t> ptime, const std::optional<SdesKey>& own) {
  std::string formats, attributes;
  for (const auto& codec : codecs) {
    formats += " " + std::to_string(codec.payload_type);
    attributes += "a=rtpmap:" + std::to_string(codec.payload_type) + " " + codec.name + "/" +
                  std::to_string(codec.clock_rate) + "\r\n";
    if (!codec.fmtp.empty()) attributes += "a=fmtp:" + std::to_string(codec.payload_type) + " " + codec.fmtp + "\r\n";
  }
  std::string ip(address);
  std::string family = ip.find(':') == std::string::npos ? "IP4" : "IP6";
  std::string sdp = "v=0\r\no=unicc " + std::to_string(session_id) + " " + std::to_string(version) + " IN " + family +
                    " " + ip + "\r\ns=unicc\r\nc=IN " + family + " " + ip + "\r\nt=0 0\r\nm=audio " +
                    std::to_string(port) + (own && own->savp ? " RTP/SAVP" : " RTP/AVP") + formats + "\r\n" +
                    attributes;
  if (own) {
    const std::string_view key(reinterpret_cast<const char*>(own->key.key_salt.data()), own->key.key_salt.size());
    sdp += "a=crypto:" + sip::format_crypto(own->tag, media::srtp_suite_name(own->key.suite), key) + "\r\n";
  }
  if (ptime) sdp += "a=ptime:" + std::to_string(*ptime) + "\r\n";
  sdp += std::string("a=") + attribute_of(direction) + "\r\n";
  return sdp;
}

std::vector<Codec> common_codecs(const std::vector<Codec>& offer, const std::vector<Codec>& answer) {
  std::vector<Codec> common;
  for (const auto& codec : answer) {
    for (const auto& offered : offer) {
      if (offered.name == codec.name) {
        common.push_back(codec);
        break;
      }
    }
  }
  return common;
}

std::vector<Codec> answer_codecs(const std::vector<Codec>& offered) {
  auto is_events = [](const Codec& codec) { return codec.name == "telephone-event"; };
  std::vector<Codec> answer;
  if (auto voice = std::find_if_not(offered.begin(), offered.end(), is_events); voice != offered.end()) {
    answer.push_back(*voice);
  }
  if (auto events = std::find_if(offered.begin(), offered.end(), is_events); events != offered.end()) {
    answer.push_back(*events);
  }
  return answer;
}

}  // namespace unicc::call
