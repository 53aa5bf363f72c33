#pragma once
// Relay — the media of one bridged call, anchored in the server.
//
// Two legs: A is the caller side, B the callee/agent side. Each leg has its own local
// RTP and RTCP sockets (advertise local_port() in the SDP sent to that leg). A packet
// received on one leg is forwarded at once (no buffering, no jitter added) from the
// other leg's socket to the other leg's remote; RTCP is relayed the same way between
// the RTCP sockets, unchanged. What a leg receives is one continuous RTP stream (one
// SSRC, sequence numbers and timestamps without jumps) even when the sender behind the
// other leg changes; see OutgoingStream. RFC 4733 telephone-events are forwarded
// (their payload type mapped to the receiving leg's) and also reported through
// on_dtmf. Audio payload types pass unchanged: there is no transcoding, so both legs
// must use the same codec numbers.
//
// Prompts: play() sends a Player's frames towards a leg every 20 ms, paced by the RTP
// thread's clock (absolute deadlines, so no drift), as part of the same continuous
// stream the leg receives; while a leg hears a prompt, audio from the other leg is not
// forwarded to it. A call answered by unicc itself (an IVR) simply has no remote on
// leg B. set_audio_codec() tells the relay the leg's G.711 law, which prompts are
// encoded in and in-band DTMF is decoded from. With in-band detection on, digits heard
// in a leg's audio are reported through on_dtmf too (duration 0); once a leg sends
// RFC 4733 events, its in-band detection stops, so one key press is never two digits.
// A leg recording (voicemail) writes what one leg says to a mono WAV.
//
// SRTP: set_srtp() gives a leg its SDES keys; from then on what it sends (RTP and
// RTCP) is authenticated and decrypted on arrival, before any other rule here sees
// it, and what goes towards it is encrypted last, after renumbering. So each leg is
// plain or SRTP on its own (RTP to SRTP, SRTP with different keys on both sides), and
// DTMF, prompts and recordings work on the clear packets inside. A packet that fails
// authentication (or any garbage) is dropped and counted in LegStats::srtp_failures.
//
// Remotes: set_remote() from the leg's SDP. Media is accepted only from the leg's
// negotiated peer, so nobody else can inject audio into a call or take its stream:
// a packet from the SDP's address and port is always accepted and fixes the leg's
// remote. With Latching::kSymmetric (phones behind NAT send from another address than
// their SDP says) a leg may instead latch to another source, guarded: only while the
// SDP's own endpoint has sent nothing, only among the first kLatchWindowPackets
// packets after creation or set_remote(), and only to a source that sent
// kLatchConfirmPackets packets in a row with one SSRC (those are not forwarded). Once
// a leg has a source, every other source is dropped until the next set_remote(). A
// set_remote() to another address than before is a new party (a transfer): the source
// the leg had is never latched to again (the phone that left may still be sending),
// unless the new SDP names it.
// RTCP is accepted from the SDP's RTCP endpoint or from the address of the leg's RTP
// source. A leg whose remote is unknown (no SDP yet, 0.0.0.0) receives nothing; with
// kSymmetric it may latch as above.

// Threading: every method may be called from any thread; work is posted to the RTP
// thread. Callbacks run ON THE RTP THREAD: they must be quick and must not block — post
// to your own thread — and must not wait for anything that waits for the relay.
// close() (and the destructor) waits until the RTP thread has closed the sockets;
// no callback starts after close() returns. It may be called from a callback.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "media/conference.h"
#include "media/prompt.h"
#include "media/srtp.h"

namespace unicc::media {

enum class Leg : std::uint8_t { kA, kB };

// A leg's media direction as the leg's own SDP states it (a=sendonly from a phone
// that puts the call on hold). Nothing is forwarded towards a leg that does not
// receive (sendonly, inactive); packets from a leg that does not send (recvonly,
// inactive) are counted, detected and recorded but not forwarded.
enum class Direction : std::uint8_t { kSendRecv, kSendOnly, kRecvOnly, kInactive };

// How a leg joins a conference: as a member it hears the mix instead of the other
// leg; as a tap it only speaks into the mix and goes on hearing the other leg's
// packets untouched (a call a supervisor listens to: no gap, no re-encoding).
enum class JoinAs : std::uint8_t { kMember, kTap };

// Counters of one leg: "in" is what the leg sent us, "out" what we sent towards it.
struct LegStats {
  std::uint64_t packets_in = 0;
  std::uint64_t bytes_in = 0;
  std::uint64_t packets_out = 0;
  std::uint64_t bytes_out = 0;
  // Estimated from gaps in the sequence numbers the leg sent.
  std::uint64_t packets_lost = 0;
  std::optional<std::chrono::steady_clock::time_point> last_arrival;
  // SRTP/SRTCP packets from the leg that failed authentication or replay checks.
  std::uint64_t srtp_failures = 0;
};

struct RelayCallbacks {
  // An RFC 4733 digit received from `leg`, reported once per key press.
  std::function<void(Leg leg, char digit, std::chrono::milliseconds duration)> on_dtmf;
  // No RTP from either leg for MediaSettings::rtp_timeout (counted from creation or
  // the last packet). Fires once per silence; again only after RTP resumed and stopped.
  std::function<void()> on_rtp_timeout;
  // A play() that does not loop has sent its last frame (not called after stop_playing
  // or when another play() replaced it).
  std::function<void(Leg leg, std::uint64_t play_id)> on_play_finished;
  // A leg recording ended: by itself (`reached_max`: its maximum length, or the silence
  // after speech it was told to end on), or stop_leg_recording().
  std::function<void(Leg leg, std::chrono::milliseconds length, bool reached_max)> on_leg_recording_ended;
};

struct EngineCore;

// The latching guards (see above).
inline constexpr std::uint32_t kLatchWindowPackets = 50;
inline constexpr std::uint32_t kLatchConfirmPackets = 3;

class Relay {
 public:
  ~Relay();  // close()
  Relay(const Relay&) = delete;
  Relay& operator=(const Relay&) = delete;

  // The local RTP port for `leg` (RTCP is the next port).
  std::uint16_t local_port(Leg leg) const;

  // The leg's remote from its SDP. `rtcp_port` 0 means rtp_port + 1. An unspecified
  // address (0.0.0.0, old-style hold) or port 0 forgets the remote. Returns false
  // (and changes nothing) when `address` is not an IP address.
  bool set_remote(Leg leg, const std::string& address, std::uint16_t rtp_port, std::uint16_t rtcp_port = 0);
  void set_direction(Leg leg, Direction direction);
  // The telephone-event payload type negotiated with `leg` (default 101).
  void set_dtmf_payload_type(Leg leg, std::uint8_t payload_type);
  // The audio payload type negotiated with `leg`: 0 (PCMU, the default) or 8 (PCMA).
  void set_audio_codec(Leg leg, std::uint8_t payload_type);
  // The leg's SRTP keys, or plain RTP (nullopt, the default). Setting the keys the
  // leg already has changes nothing, so a re-INVITE keeps the running streams.
  void set_srtp(Leg leg, std::optional<SrtpKeys> keys);
  // The leg will be SRTP but its peer's key is not known yet (our offer is out): until
  // set_srtp(), nothing from it is accepted and nothing is sent to it, so a leg that
  // must be SRTP never carries clear media.
  void await_srtp(Leg leg);
  // Detect DTMF in the audio `leg` sends (for peers without telephone-event).
  void set_inband_dtmf(Leg leg, bool enabled);

  // Plays `prompts` back to back towards `leg` (looping until stop_playing() with
  // `loop`), replacing what was playing. With `stop_on_dtmf`, a digit from that leg
  // stops the prompt at once (barge-in); the digit is still reported.
  void play(Leg leg, std::vector<Prompt> prompts, bool loop, bool stop_on_dtmf, std::uint64_t play_id);
  void stop_playing(Leg leg);

  // Records what `leg` sends into `path` (mono WAV, 8 kHz) for at most `max_length`,
  // and with `end_after_silence` until that long quiet after speech (LegRecording).
  void start_leg_recording(Leg leg, std::string path, std::chrono::milliseconds max_length,
                           std::chrono::milliseconds end_after_silence = std::chrono::milliseconds(0));
  void stop_leg_recording(Leg leg);

  // Puts `leg` into `conference` (see conference.h): from now on it sends into the
  // mix and hears the mix instead of the other leg; a leg already in a conference
  // leaves it first. Returns the leg's participant id there (for set_hears). leave()
  // takes it out again (back to plain forwarding); closing the relay does too. A
  // member's audio reaches the other leg only if that one is a tap (a whisper: the
  // agent hears the mix, the customer still hears the agent).
  Conference::Participant join(Leg leg, Conference& conference, JoinAs as = JoinAs::kMember);
  void leave(Leg leg);

  // Records the call into `path`: stereo WAV, 8 kHz, leg A left, leg B right, from
  // their PCMU/PCMA packets. A recording already running is stopped first. Files are
  // written by the engine's recorder thread; errors are logged.
  void start_recording(std::string path);
  void stop_recording();

  LegStats stats(Leg leg) const;

  // Stops forwarding, detection and recording, closes the sockets and returns the
  // ports to the engine. Idempotent.
  void close();
  // As close(), without waiting for the RTP thread: for callers that must not block
  // (the SIP thread). No callback starts after it returns; the ports come back
  // when the RTP thread has closed the sockets.
  void close_soon();

  class Impl;  // defined in relay.cpp; public only so the engine can track relays

 private:
  explicit Relay(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
  friend std::unique_ptr<Relay> open_relay(const std::shared_ptr<EngineCore>& core, RelayCallbacks callbacks);

  std::shared_ptr<Impl> impl_;
};

}  // namespace unicc::media
