#include "media/relay.h"

#include <spdlog/spdlog.h>

#include <array>
#include <atomic>
#include <cstdlib>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <future>
#include <random>
#include <vector>

#include "media/conference_core.h"
#include "media/dtmf.h"
#include "media/engine_core.h"
#include "media/g711.h"
#include "media/inband_dtmf.h"
#include "media/leg_recording.h"
#include "media/outgoing_stream.h"
#include "media/player.h"
#include "media/rtp.h"
#include "media/srtp.h"

namespace unicc::media {
namespace {

namespace asio = boost::asio;
using asio::ip::udp;
using Clock = std::chrono::steady_clock;

constexpr std::uint8_t kDefaultDtmfPayloadType = 101;
// Larger than any RTP packet on an Ethernet path; longer datagrams are truncated and
// then fail to parse or are forwarded short.
constexpr std::size_t kReceiveBufferSize = 2048;
// A forward jump in sequence numbers larger than this is a restarted sender, not loss.
constexpr int kMaxSequenceGap = 3000;
// A recording places a stream's packets by RTP timestamp from an anchor set at
// arrival time, and sets a new anchor when the two disagree by more than this.
constexpr std::int64_t kMaxRecordingDriftFrames = Recorder::kSampleRate;
constexpr auto kFrameInterval = std::chrono::milliseconds(20);
// A prompt that fell further behind than this (the thread was starved) starts
// again from now instead of sending the missed frames in a burst.
constexpr auto kMaxPromptLag = std::chrono::milliseconds(200);
constexpr std::uint8_t kPcmuPayloadType = 0;
constexpr std::uint8_t kPcmaPayloadType = 8;

enum class Protocol : std::uint8_t { kRtp, kRtcp };

std::size_t index_of(Leg leg) { return leg == Leg::kA ? 0 : 1; }
Leg other(Leg leg) { return leg == Leg::kA ? Leg::kB : Leg::kA; }
bool sends(Direction direction) { return direction == Direction::kSendRecv || direction == Direction::kSendOnly; }
bool receives(Direction direction) {
  return direction == Direction::kSendRecv || direction == Direction::kRecvOnly;
}

std::int64_t frames_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration_cast<std::chrono::microseconds>(to - from).count() * Recorder::kSampleRate /
         1'000'000;
}

std::uint32_t random_ssrc() {
  static thread_local std::mt19937 generator{std::random_device{}()};
  return static_cast<std::uint32_t>(generator());
}

// Where a leg's packets are sent, and whether its source is settled.
struct Peer {
  udp::endpoint endpoint;
  bool known = false;
  bool latched = false;  // packets from endpoint arrived: no other source is accepted
};

// A source other than the SDP's that may become the leg's (Latching::kSymmetric).
struct LatchCandidate {
  udp::endpoint source;
  std::uint32_t ssrc = 0;
  std::uint32_t packets = 0;  // in a row, from source with ssrc
};

// One local socket with its pending receive.
struct Channel {
  explicit Channel(asio::io_context& io) : socket(io) {}
  udp::socket socket;
  Peer peer;
  std::optional<udp::endpoint> announced;  // from the SDP
  LatchCandidate candidate;
  std::uint32_t strangers_seen = 0;  // packets from elsewhere than announced, since set_remote
  // Where the leg's previous party sent from: a phone that has gone (a transfer) may
  // still be sending, and is never latched to again unless the SDP names it.
  std::optional<udp::endpoint> retired;
  udp::endpoint sender;
  std::array<std::uint8_t, kReceiveBufferSize> buffer{};

  // A new SDP address is a new party (or one that moved); the same again is a
  // re-INVITE of the same one, whose source (behind NAT, say) stays acceptable.
  void reset_remote(std::optional<udp::endpoint> endpoint) {
    if (endpoint != announced && peer.latched) retired = peer.endpoint;
    announced = endpoint;
    peer = endpoint ? Peer{*endpoint, true, false} : Peer{};
    candidate = {};
    strangers_seen = 0;
  }
};

// Written only on the RTP thread, read from any thread.
struct LegCounters {
  std::atomic<std::uint64_t> packets_in{0};
  std::atomic<std::uint64_t> bytes_in{0};
  std::atomic<std::uint64_t> packets_out{0};
  std::atomic<std::uint64_t> bytes_out{0};
  std::atomic<std::uint64_t> packets_lost{0};
  std::atomic<std::uint64_t> srtp_failures{0};
  std::atomic<Clock::rep> last_arrival{0};  // 0: nothing arrived yet

  static void add(std::atomic<std::uint64_t>& counter, std::uint64_t amount) {
    counter.fetch_add(amount, std::memory_order_relaxed);
  }
};

// Where the recording places one leg's current stream.
struct RecordingAnchor {
  bool set = false;
  std::uint32_t ssrc = 0;
  std::uint32_t timestamp = 0;
  std::int64_t frame = 0;
};

struct Recording {
  Recorder::RecordingId id;
  Clock::time_point started_at;
  std::array<RecordingAnchor, 2> anchors{};
};

}  // namespace

class Relay::Impl : public std::enable_shared_from_this<Relay::Impl> {
 public:
  Impl(std::shared_ptr<EngineCore> core, RelayCallbacks callbacks)
      : core_(std::move(core)),
        thread_(core_->next_thread()),
        io_(thread_.io),
        callbacks_(std::move(callbacks)),
        legs_{LegState(io_), LegState(io_)},
        timeout_timer_(io_),
        last_rtp_at_(Clock::now()),
        prompt_ssrc_(random_ssrc()),
        mix_ssrc_(random_ssrc()) {}

  // Runs on the creating thread, before any work is posted; the ports are fixed from
  // then on, which is why local_port() needs no synchronisation.
  bool bind_sockets() {
    for (LegState& leg : legs_) {
      if (!bind_leg(leg)) {
        release_sockets();
        return false;
      }
    }
    return true;
  }

  void start() {
    asio::post(io_, [self = shared_from_this()] {
      // Closed from a callback before it ever started: arming the timer would keep
      // the RTP thread busy for a whole rtp_timeout.
      if (self->closing_) return;
      for (Leg leg : {Leg::kA, Leg::kB}) {
        self->receive(leg, Protocol::kRtp);
        self->receive(leg, Protocol::kRtcp);
      }
      self->arm_timeout();
    });
  }

  std::uint16_t local_port(Leg leg) const { return legs_[index_of(leg)].local_port; }

  // Runs `work` on the RTP thread unless the relay is closing.
  template <typename Work>
  void post(Work work) {
    if (closing_) return;
    asio::post(io_, [self = shared_from_this(), work = std::move(work)]() mutable {
      if (!self->closing_) work(*self);
    });
  }

  void set_remote(Leg leg, std::optional<udp::endpoint> rtp, std::optional<udp::endpoint> rtcp) {
    LegState& state = legs_[index_of(leg)];
    state.rtp.reset_remote(rtp);
    state.rtcp.reset_remote(rtcp);
  }

  void set_direction(Leg leg, Direction direction) { legs_[index_of(leg)].direction = direction; }

  void set_dtmf_payload_type(Leg leg, std::uint8_t payload_type) {
    legs_[index_of(leg)].dtmf_payload_type = payload_type;
  }

  void set_audio_codec(Leg leg, std::uint8_t payload_type) {
    LegState& state = leg_state(leg);
    const auto law = g711_law_for_payload_type(payload_type);
    if (!law || *law == state.law) return;
    state.law = *law;
    if (state.prompt.player && !state.prompt.player->playing()) state.prompt.player.reset();
  }

  void set_srtp(Leg leg, const std::optional<SrtpKeys>& keys) {
    LegState& state = leg_state(leg);
    if (!keys) {
      state.srtp.reset();
      state.srtp_blocked = false;
      return;
    }
    if (state.srtp && state.srtp->keys() == *keys) return;
    state.srtp = SrtpSession::create(*keys);
    // Without a session the leg would fall back to clear media: refuse its media instead.
    state.srtp_blocked = !state.srtp;
  }

  void await_srtp(Leg leg) {
    LegState& state = leg_state(leg);
    state.srtp.reset();
    state.srtp_blocked = true;
  }

  void set_inband_dtmf(Leg leg, bool enabled) {
    LegState& state = leg_state(leg);
    if (!enabled) {
      state.inband.reset();
    } else if (!state.inband) {
      state.inband = std::make_unique<InbandDtmfDetector>();
    }
  }

  void play(Leg leg, std::vector<Prompt> prompts, bool loop, bool stop_on_dtmf, std::uint64_t play_id) {
    PromptPlayback& prompt = leg_state(leg).prompt;
    if (!prompt.player) prompt.player = std::make_unique<Player>(leg_state(leg).law);
    prompt.player->play(std::move(prompts), loop);
    prompt.play_id = play_id;
    prompt.stop_on_dtmf = stop_on_dtmf;
    prompt.first_frame = true;
    ++prompt.generation;
    prompt.timer.cancel();
    release_phase(prompt);
    prompt.phase = thread_.phases.least_busy();
    ++thread_.phases.playing[*prompt.phase];
    prompt.next_frame_at = first_deadline_in(*prompt.phase);
    schedule_prompt_frame(leg);
  }


  void stop_playing(Leg leg) {
    PromptPlayback& prompt = leg_state(leg).prompt;
    if (!prompt.player) return;
    prompt.player->stop();
    ++prompt.generation;
    prompt.timer.cancel();
    release_phase(prompt);
  }

  void start_leg_recording(Leg leg, std::string path, std::chrono::milliseconds max_length,
                           std::chrono::milliseconds end_after_silence) {
    LegState& state = leg_state(leg);
    state.voice_recording.reset();
    state.voice_recording =
        std::make_unique<LegRecording>(core_->recorder, std::move(path), max_length, end_after_silence);
  }

  void stop_leg_recording(Leg leg, bool reached_max = false) {
    LegState& state = leg_state(leg);
    if (!state.voice_recording) return;
    const auto length = state.voice_recording->length();
    state.voice_recording.reset();
    if (callbacks_.on_leg_recording_ended && !closing_) callbacks_.on_leg_recording_ended(leg, length, reached_max);
  }

  void start_recording(std::string path) {
    stop_recording();
    recording_ = Recording{core_->recorder.open(std::move(path)), Clock::now()};
  }

  void stop_recording() {
    if (!recording_) return;
    core_->recorder.close(recording_->id, frames_between(recording_->started_at, Clock::now()));
    recording_.reset();
  }

  void join(Leg leg, std::shared_ptr<Conference::Core> conference, Conference::Participant participant, JoinAs as) {
    leave(leg);
    LegState& state = leg_state(leg);
    state.conference = std::move(conference);
    state.participant = participant;
    state.tap = as == JoinAs::kTap;
  }

  void leave(Leg leg) {
    LegState& state = leg_state(leg);
    if (!state.conference) return;
    state.conference->leave(state.participant);
    state.conference.reset();
  }

  // The conference ended while `leg` was in it (it has already forgotten the leg).
  void dismissed(Leg leg, const Conference::Core* conference) {
    LegState& state = leg_state(leg);
    if (state.conference.get() == conference) state.conference.reset();
  }

  // This tick's frame of the mix for a joined leg.
  void hear_mix(Leg leg, const Mixer::Frame& heard) {
    LegState& state = leg_state(leg);
    if (!hears_mix(state) || state.prompt.playing()) return;
    std::array<std::uint8_t, kFrameSamples> payload{};
    encode_g711(state.law, heard, payload);
    send_own_frame(leg, payload, mix_ssrc_, state.mix_sequence++, state.mix_timestamp, false, Clock::now());
    state.mix_timestamp += kFrameSamples;
  }

  LegStats stats(Leg leg) const {
    const LegCounters& counters = legs_[index_of(leg)].counters;
    LegStats stats;
    stats.packets_in = counters.packets_in.load(std::memory_order_relaxed);
    stats.bytes_in = counters.bytes_in.load(std::memory_order_relaxed);
    stats.packets_out = counters.packets_out.load(std::memory_order_relaxed);
    stats.bytes_out = counters.bytes_out.load(std::memory_order_relaxed);
    stats.packets_lost = counters.packets_lost.load(std::memory_order_relaxed);
    stats.srtp_failures = counters.srtp_failures.load(std::memory_order_relaxed);
    const Clock::rep last_arrival = counters.last_arrival.load(std::memory_order_relaxed);
    if (last_arrival != 0) stats.last_arrival = Clock::time_point(Clock::duration(last_arrival));
    return stats;
  }

  bool on_own_thread() { return io_.get_executor().running_in_this_thread(); }
  bool closing() const { return closing_; }

  void close(bool wait) {
    if (!closing_.exchange(true)) {
      if (on_own_thread()) {
        shut_down();
      } else {
        asio::post(io_, [self = shared_from_this()] { self->shut_down(); });
      }
    }
    // On the RTP thread the shutdown either just ran or is queued behind this handler;
    // waiting there would deadlock, and closing_ already silences the callbacks.
    if (wait && !on_own_thread()) closed_.wait();
  }

  // The relay was made but never started (the engine is stopping).
  void abandon() {
    closing_ = true;
    release_sockets();
    closed_promise_.set_value();
  }

 private:
  // A prompt being played towards a leg.
  struct PromptPlayback {
    explicit PromptPlayback(asio::io_context& io) : timer(io) {}
    std::unique_ptr<Player> player;
    asio::steady_timer timer;
    Clock::time_point next_frame_at;
    std::uint64_t play_id = 0;
    // Frames of a replaced or stopped play that are already due must not be sent.
    std::uint64_t generation = 0;
    bool stop_on_dtmf = false;
    bool first_frame = false;
    std::uint16_t sequence = 0;
    std::uint32_t timestamp = 0;
    std::optional<int> phase;  // this play's slot in the thread's PromptPhases

    bool playing() const { return player && player->playing(); }
  };

  struct LegState {
    explicit LegState(asio::io_context& io) : rtp(io), rtcp(io), outgoing(random_ssrc()), prompt(io) {}
    std::uint16_t local_port = 0;
    Channel rtp;
    Channel rtcp;
    Direction direction = Direction::kSendRecv;
    std::uint8_t dtmf_payload_type = kDefaultDtmfPayloadType;
    DtmfDetector dtmf;
    // The stream this relay sends towards the leg.
    OutgoingStream outgoing;
    // The stream the leg sends, for loss estimation.
    bool incoming_known = false;
    std::uint32_t incoming_ssrc = 0;
    std::uint16_t incoming_highest_sequence = 0;
    LegCounters counters;
    G711Law law = G711Law::kMu;
    PromptPlayback prompt;  // towards this leg
    std::unique_ptr<InbandDtmfDetector> inband;
    bool sends_telephone_events = false;
    std::unique_ptr<LegRecording> voice_recording;  // of what this leg says
    std::unique_ptr<SrtpSession> srtp;  // null: plain RTP
    // SRTP without a session (keys refused, or not known yet): nothing passes either way.
    bool srtp_blocked = false;
    // The conference this leg is in: it then hears the mix, not the other leg,
    // unless it is a tap there.
    std::shared_ptr<Conference::Core> conference;
    Conference::Participant participant = 0;
    bool tap = false;
    std::uint16_t mix_sequence = 0;
    std::uint32_t mix_timestamp = 0;
  };

  LegState& leg_state(Leg leg) { return legs_[index_of(leg)]; }
  static bool hears_mix(const LegState& leg) { return leg.conference && !leg.tap; }

  // The next start of slot `phase` of the 20 ms period (slots are kSlotMs long).
  static Clock::time_point first_deadline_in(int phase) {
    constexpr auto kPeriod = std::chrono::milliseconds(PromptPhases::kSlots * PromptPhases::kSlotMs);
    const auto now = Clock::now();
    const auto into_period = now.time_since_epoch() % kPeriod;
    auto wait = std::chrono::milliseconds(phase * PromptPhases::kSlotMs) - into_period;
    if (wait < Clock::duration::zero()) wait += kPeriod;
    return now + wait;
  }

  void release_phase(PromptPlayback& prompt) {
    if (prompt.phase) --thread_.phases.playing[*prompt.phase];
    prompt.phase.reset();
  }

  bool bind_leg(LegState& leg) {
    // Every pair may be tried once; a pair some other program holds goes to the back.
    for (std::size_t attempts = core_->ports.available(); attempts > 0; --attempts) {
      const auto port = core_->ports.acquire();
      if (!port) break;
      if (open_socket(leg.rtp.socket, *port) &&
          open_socket(leg.rtcp.socket, static_cast<std::uint16_t>(*port + 1))) {
        leg.local_port = *port;
        return true;
      }
      close_sockets(leg);
      core_->ports.release(*port);
    }
    spdlog::warn("media: no free RTP port pair in {}-{}", core_->settings.port_min, core_->settings.port_max);
    return false;
  }

  bool open_socket(udp::socket& socket, std::uint16_t port) {
    boost::system::error_code error;
    socket.open(core_->address.is_v6() ? udp::v6() : udp::v4(), error);
    if (!error) socket.bind(udp::endpoint(core_->address, port), error);
    // Sends must never block the RTP thread; a full send buffer drops the packet.
    if (!error) socket.non_blocking(true, error);
    return !error;
  }

  static void close_sockets(LegState& leg) {
    boost::system::error_code ignored;
    leg.rtp.socket.close(ignored);
    leg.rtcp.socket.close(ignored);
  }

  void release_sockets() {
    for (LegState& leg : legs_) {
      close_sockets(leg);
      if (leg.local_port != 0) core_->ports.release(leg.local_port);
    }
  }

  void shut_down() {
    stop_recording();
    timeout_timer_.cancel();
    for (Leg leg : {Leg::kA, Leg::kB}) {
      LegState& state = leg_state(leg);
      state.prompt.timer.cancel();
      release_phase(state.prompt);
      state.voice_recording.reset();
      leave(leg);
    }
    release_sockets();
    core_->unregister_relay(this);
    closed_promise_.set_value();
  }

  void receive(Leg leg, Protocol protocol) {
    Channel& channel = protocol == Protocol::kRtp ? leg_state(leg).rtp : leg_state(leg).rtcp;
    channel.socket.async_receive_from(
        asio::buffer(channel.buffer), channel.sender,
        [self = shared_from_this(), leg, protocol](const boost::system::error_code& error, std::size_t size) {
          if (self->closing_ || error == asio::error::operation_aborted) return;
          if (!error && protocol == Protocol::kRtp) self->on_rtp(leg, size);
          if (!error && protocol == Protocol::kRtcp) self->on_rtcp(leg, size);
          if (!self->closing_) self->receive(leg, protocol);
        });
  }

  // Whether an RTP packet from channel.sender with `ssrc` is the leg's media (see
  // relay.h for the rules); settles the leg's source when it is.
  bool accept_rtp_source(Channel& channel, std::uint32_t ssrc) {
    if (channel.peer.latched) return channel.sender == channel.peer.endpoint;
    if (channel.announced && channel.sender == *channel.announced) {
      channel.peer = Peer{channel.sender, true, true};
      return true;
    }
    if (core_->settings.latching != Latching::kSymmetric || channel.sender == channel.retired ||
        ++channel.strangers_seen > kLatchWindowPackets) {
      return false;
    }
    LatchCandidate& candidate = channel.candidate;
    if (candidate.packets > 0 && candidate.source == channel.sender && candidate.ssrc == ssrc) {
      ++candidate.packets;
    } else {
      candidate = LatchCandidate{channel.sender, ssrc, 1};
    }
    if (candidate.packets < kLatchConfirmPackets) return false;
    channel.peer = Peer{channel.sender, true, true};
    return true;
  }

  // RTCP follows the leg's RTP: from the SDP's RTCP endpoint, or from the host the
  // leg's RTP comes from (its port learned from the first such packet).
  bool accept_rtcp_source(Channel& rtcp, const Channel& rtp) {
    if (rtcp.peer.latched) return rtcp.sender == rtcp.peer.endpoint;
    const bool announced = rtcp.announced && rtcp.sender == *rtcp.announced;
    const bool beside_rtp = core_->settings.latching == Latching::kSymmetric && rtp.peer.latched &&
                            rtcp.sender.address() == rtp.peer.endpoint.address();
    if (!announced && !beside_rtp) return false;
    rtcp.peer = Peer{rtcp.sender, true, true};
    return true;
  }

  // Decrypts what an SRTP leg sent, in place (a plain leg's packets pass as they are);
  // false when the packet must be dropped.
  bool open_srtp(LegState& source, Channel& channel, std::size_t& size, Protocol protocol) {
    if (source.srtp_blocked) return false;
    if (!source.srtp) return true;
    const std::span<std::uint8_t> buffer(channel.buffer);
    const bool opened = protocol == Protocol::kRtp ? source.srtp->unprotect_rtp(buffer, size)
                                                   : source.srtp->unprotect_rtcp(buffer, size);
    if (!opened) {
      LegCounters::add(source.counters.srtp_failures, 1);
      (protocol == Protocol::kRtp ? core_->srtp_failures : core_->srtcp_failures)
          .fetch_add(1, std::memory_order_relaxed);
    }
    return opened;
  }

  void on_rtp(Leg leg, std::size_t size) {
    const Clock::time_point now = Clock::now();
    LegState& source = leg_state(leg);
    if (!open_srtp(source, source.rtp, size, Protocol::kRtp)) return;
    const std::span<std::uint8_t> bytes(source.rtp.buffer.data(), size);
    const RtpParseResult parsed = parse_rtp(bytes);
    if (!parsed.ok() || !accept_rtp_source(source.rtp, parsed.packet.ssrc)) return;
    const RtpPacket& packet = parsed.packet;

    count_arrival(source, packet, size, now);
    last_rtp_at_ = now;
    if (timeout_reported_) {
      timeout_reported_ = false;
      arm_timeout();
    }

    const bool is_dtmf = packet.payload_type == source.dtmf_payload_type;
    const Leg target = other(leg);
    const LegState& destination = leg_state(target);
    if (source.conference && !is_dtmf && sends(source.direction)) mix_in(source, packet);
    // A member's audio goes only into the mix, unless the other leg is a tap there.
    const bool mixed_only = hears_mix(source) && !(destination.conference && destination.tap);
    if (!mixed_only && sends(source.direction) && !destination.prompt.playing() && !hears_mix(destination)) {
      const std::uint8_t payload_type =
          is_dtmf ? leg_state(target).dtmf_payload_type : packet.payload_type;
      transmit_towards(target, bytes, packet, payload_type, now);
    }
    if (is_dtmf) {
      detect_dtmf(leg, packet);
    } else {
      record(leg, packet, now);
      listen(leg, packet);
    }
  }

  // A joined leg's audio into its conference's mix.
  static void mix_in(LegState& source, const RtpPacket& packet) {
    const auto law = g711_law_for_payload_type(packet.payload_type);
    if (!law || packet.payload.empty()) return;
    std::array<std::int16_t, Mixer::kFrameSamples> samples{};
    const auto payload = packet.payload.first(std::min(packet.payload.size(), samples.size()));
    decode_g711(*law, payload, samples);
    source.conference->put(source.participant, std::span(samples).first(payload.size()));
  }

  // What unicc itself hears of a leg's audio: in-band digits and voicemail.
  void listen(Leg leg, const RtpPacket& packet) {
    LegState& source = leg_state(leg);
    const bool detect = source.inband && !source.sends_telephone_events;
    if (!detect && !source.voice_recording) return;
    const auto law = g711_law_for_payload_type(packet.payload_type);
    if (!law || packet.payload.empty()) return;
    if (detect) {
      for (char digit : source.inband->on_payload(*law, packet.payload)) report_digit(leg, digit, {});
    }
    if (source.voice_recording) {
      std::vector<std::int16_t> samples(packet.payload.size());
      decode_g711(*law, packet.payload, samples);
      if (!source.voice_recording->write(samples)) stop_leg_recording(leg, true);
    }
  }

  void report_digit(Leg leg, char digit, std::chrono::milliseconds duration) {
    PromptPlayback& prompt = leg_state(leg).prompt;
    if (prompt.playing() && prompt.stop_on_dtmf) stop_playing(leg);
    if (callbacks_.on_dtmf && !closing_) callbacks_.on_dtmf(leg, digit, duration);
  }

  void send_prompt_frame(Leg leg, std::uint64_t generation) {
    PromptPlayback& prompt = leg_state(leg).prompt;
    if (generation != prompt.generation || !prompt.player) return;
    const auto frame = prompt.player->next_frame();
    if (!frame) return;
    const Clock::time_point now = Clock::now();
    if (prompt.first_frame) leg_state(leg).outgoing.interrupt();  // the stream resumes from now
    send_own_frame(leg, frame->payload, prompt_ssrc_, prompt.sequence++, prompt.timestamp, prompt.first_frame, now);
    prompt.timestamp += kFrameSamples;
    prompt.first_frame = false;
    if (frame->last) {
      release_phase(prompt);
      if (callbacks_.on_play_finished && !closing_) callbacks_.on_play_finished(leg, prompt.play_id);
      return;
    }
    prompt.next_frame_at += kFrameInterval;
    if (now - prompt.next_frame_at > kMaxPromptLag) prompt.next_frame_at = now + kFrameInterval;
    schedule_prompt_frame(leg);
  }

  // Sends a 20 ms G.711 frame that unicc made (a prompt, the mix) towards `leg`, in
  // the leg's law, as part of the stream the leg receives.
  void send_own_frame(Leg leg, std::span<const std::uint8_t> payload, std::uint32_t ssrc, std::uint16_t sequence,
                      std::uint32_t timestamp, bool marker, Clock::time_point now) {
    RtpPacket packet;
    packet.marker = marker;
    packet.payload_type = leg_state(leg).law == G711Law::kMu ? kPcmuPayloadType : kPcmaPayloadType;
    packet.sequence = sequence;
    packet.timestamp = timestamp;
    packet.ssrc = ssrc;
    packet.payload = payload;
    std::array<std::uint8_t, RtpPacket::kFixedHeaderSize + kFrameSamples> bytes{};
    serialize_rtp(packet, bytes);
    transmit_towards(leg, bytes, packet, packet.payload_type, now);
  }

  void schedule_prompt_frame(Leg leg) {
    PromptPlayback& prompt = leg_state(leg).prompt;
    prompt.timer.expires_at(prompt.next_frame_at);
    prompt.timer.async_wait([self = shared_from_this(), leg, generation = prompt.generation](
                                const boost::system::error_code& error) {
      if (!error && !self->closing_) self->send_prompt_frame(leg, generation);
    });
  }

  void count_arrival(LegState& source, const RtpPacket& packet, std::size_t size, Clock::time_point now) {
    LegCounters& counters = source.counters;
    LegCounters::add(counters.packets_in, 1);
    LegCounters::add(counters.bytes_in, size);
    counters.last_arrival.store(now.time_since_epoch().count(), std::memory_order_relaxed);
    if (!source.incoming_known || packet.ssrc != source.incoming_ssrc) {
      source.incoming_known = true;
      source.incoming_ssrc = packet.ssrc;
      source.incoming_highest_sequence = packet.sequence;
      return;
    }
    // Small steps back are late or duplicate packets; large jumps either way are a
    // sender that restarted its numbering.
    const int gap = static_cast<std::int16_t>(packet.sequence - source.incoming_highest_sequence);
    if (gap > 0 && gap <= kMaxSequenceGap) {
      LegCounters::add(counters.packets_lost, static_cast<std::uint64_t>(gap - 1));
    }
    if (gap > 0 || gap < -kMaxSequenceGap) source.incoming_highest_sequence = packet.sequence;
  }

  // Sends an RTP packet (held in `bytes`, rewritten in place) as part of the stream
  // towards `target`. Forwarding uses it; it is also the way in for packets a leg
  // should hear that do not come from the other leg (hold music, prompts).
  void transmit_towards(Leg target, std::span<std::uint8_t> bytes, const RtpPacket& packet,
                        std::uint8_t payload_type, Clock::time_point now) {
    LegState& destination = leg_state(target);
    if (!receives(destination.direction) || !destination.rtp.peer.known) {
      destination.outgoing.interrupt();
      return;
    }
    const auto numbering = destination.outgoing.next(packet.ssrc, packet.sequence, packet.timestamp, now);
    rewrite_rtp_stream_fields(bytes, payload_type, numbering.sequence, numbering.timestamp,
                              destination.outgoing.ssrc());
    const auto sealed = seal(destination, bytes, Protocol::kRtp);
    if (sealed && send(destination.rtp, *sealed)) {
      LegCounters::add(destination.counters.packets_out, 1);
      LegCounters::add(destination.counters.bytes_out, sealed->size());
    }
  }

  // The bytes to send towards `destination`: as they are for a plain leg, else
  // encrypted into the thread's scratch buffer; nullopt when they must not go.
  std::optional<std::span<const std::uint8_t>> seal(LegState& destination, std::span<const std::uint8_t> bytes,
                                                    Protocol protocol) {
    if (destination.srtp_blocked) return std::nullopt;
    if (!destination.srtp) return bytes;
    if (bytes.size() + kSrtpMaxTrailer > sealed_.size()) return std::nullopt;
    std::copy(bytes.begin(), bytes.end(), sealed_.begin());
    std::size_t size = bytes.size();
    const bool ok = protocol == Protocol::kRtp ? destination.srtp->protect_rtp(sealed_, size)
                                               : destination.srtp->protect_rtcp(sealed_, size);
    if (!ok) return std::nullopt;
    return std::span<const std::uint8_t>(sealed_.data(), size);
  }

  static bool send(Channel& channel, std::span<const std::uint8_t> bytes) {
    boost::system::error_code error;
    channel.socket.send_to(asio::buffer(bytes.data(), bytes.size()), channel.peer.endpoint, 0, error);
    return !error;
  }

  void on_rtcp(Leg leg, std::size_t size) {
    LegState& source = leg_state(leg);
    if (!open_srtp(source, source.rtcp, size, Protocol::kRtcp)) return;
    const std::span<const std::uint8_t> bytes(source.rtcp.buffer.data(), size);
    if (!looks_like_rtcp(bytes) || !accept_rtcp_source(source.rtcp, source.rtp)) return;
    LegState& destination = leg_state(other(leg));
    // Reports about the other leg's stream mean nothing to a leg that hears a mix.
    if (!destination.rtcp.peer.known || hears_mix(source) || hears_mix(destination)) return;
    if (const auto sealed = seal(destination, bytes, Protocol::kRtcp)) send(destination.rtcp, *sealed);
  }

  void detect_dtmf(Leg leg, const RtpPacket& packet) {
    LegState& source = leg_state(leg);
    source.sends_telephone_events = true;
    const auto digit = source.dtmf.on_packet(packet.timestamp, packet.payload);
    if (digit) report_digit(leg, digit->digit, digit->duration);
  }

  void record(Leg leg, const RtpPacket& packet, Clock::time_point now) {
    if (!recording_) return;
    const auto law = g711_law_for_payload_type(packet.payload_type);
    if (!law || packet.payload.empty()) return;
    const std::int64_t arrival_frame = frames_between(recording_->started_at, now);
    RecordingAnchor& anchor = recording_->anchors[index_of(leg)];
    std::int64_t frame = arrival_frame;
    if (anchor.set && anchor.ssrc == packet.ssrc) {
      frame = anchor.frame + static_cast<std::int32_t>(packet.timestamp - anchor.timestamp);
    }
    if (!anchor.set || anchor.ssrc != packet.ssrc || std::abs(frame - arrival_frame) > kMaxRecordingDriftFrames) {
      anchor = RecordingAnchor{true, packet.ssrc, packet.timestamp, arrival_frame};
      frame = arrival_frame;
    }
    std::vector<std::int16_t> samples(packet.payload.size());
    decode_g711(*law, packet.payload, samples);
    core_->recorder.write(recording_->id, leg == Leg::kA ? Recorder::Channel::kLeft : Recorder::Channel::kRight,
                          frame, std::move(samples));
  }

  void arm_timeout() {
    timeout_timer_.expires_at(last_rtp_at_ + core_->settings.rtp_timeout);
    timeout_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& error) {
      if (!error && !self->closing_) self->on_timeout_timer();
    });
  }

  void on_timeout_timer() {
    if (Clock::now() < last_rtp_at_ + core_->settings.rtp_timeout) {
      arm_timeout();  // RTP arrived since the timer was set
      return;
    }
    timeout_reported_ = true;
    if (callbacks_.on_rtp_timeout) callbacks_.on_rtp_timeout();
  }

  // Declared first so it is destroyed last: the sockets below live on its io_context.
  const std::shared_ptr<EngineCore> core_;
  EngineCore::RtpThread& thread_;  // this relay's RTP thread; the core keeps it alive
  asio::io_context& io_;
  const RelayCallbacks callbacks_;
  std::atomic<bool> closing_{false};
  std::promise<void> closed_promise_;
  std::shared_future<void> closed_ = closed_promise_.get_future().share();

  // Everything below is touched only on the RTP thread once start() has run, except
  // the counters (atomic) and local ports (fixed at creation).
  std::array<LegState, 2> legs_;
  asio::steady_timer timeout_timer_;
  Clock::time_point last_rtp_at_;
  bool timeout_reported_ = false;
  std::optional<Recording> recording_;
  const std::uint32_t prompt_ssrc_;  // the source prompts are sent as, on both legs
  const std::uint32_t mix_ssrc_;     // and the source of a conference's mix
  // Where a packet towards an SRTP leg is encrypted (the received one stays intact for
  // recording and detection).
  std::array<std::uint8_t, kReceiveBufferSize + kSrtpMaxTrailer> sealed_{};
};

std::unique_ptr<Relay> open_relay(const std::shared_ptr<EngineCore>& core, RelayCallbacks callbacks) {
  auto impl = std::make_shared<Relay::Impl>(core, std::move(callbacks));
  if (!impl->bind_sockets()) return nullptr;
  if (!core->register_relay(impl)) {
    impl->abandon();
    return nullptr;
  }
  impl->start();
  return std::unique_ptr<Relay>(new Relay(impl));
}

void close_relay(Relay::Impl& relay) { relay.close(true); }

Relay::~Relay() { close(); }

std::uint16_t Relay::local_port(Leg leg) const { return impl_->local_port(leg); }

bool Relay::set_remote(Leg leg, const std::string& address, std::uint16_t rtp_port, std::uint16_t rtcp_port) {
  boost::system::error_code error;
  const auto ip = asio::ip::make_address(address, error);
  if (error) return false;
  std::optional<udp::endpoint> rtp;
  std::optional<udp::endpoint> rtcp;
  if (!ip.is_unspecified() && rtp_port != 0) {
    rtp = udp::endpoint(ip, rtp_port);
    rtcp = udp::endpoint(ip, rtcp_port != 0 ? rtcp_port : static_cast<std::uint16_t>(rtp_port + 1));
  }
  impl_->post([leg, rtp, rtcp](Impl& relay) { relay.set_remote(leg, rtp, rtcp); });
  return true;
}

void Relay::set_direction(Leg leg, Direction direction) {
  impl_->post([leg, direction](Impl& relay) { relay.set_direction(leg, direction); });
}

void Relay::set_dtmf_payload_type(Leg leg, std::uint8_t payload_type) {
  impl_->post([leg, payload_type](Impl& relay) { relay.set_dtmf_payload_type(leg, payload_type); });
}

void Relay::set_audio_codec(Leg leg, std::uint8_t payload_type) {
  impl_->post([leg, payload_type](Impl& relay) { relay.set_audio_codec(leg, payload_type); });
}

void Relay::set_srtp(Leg leg, std::optional<SrtpKeys> keys) {
  impl_->post([leg, keys = std::move(keys)](Impl& relay) { relay.set_srtp(leg, keys); });
}

void Relay::await_srtp(Leg leg) {
  impl_->post([leg](Impl& relay) { relay.await_srtp(leg); });
}

void Relay::set_inband_dtmf(Leg leg, bool enabled) {
  impl_->post([leg, enabled](Impl& relay) { relay.set_inband_dtmf(leg, enabled); });
}

void Relay::play(Leg leg, std::vector<Prompt> prompts, bool loop, bool stop_on_dtmf, std::uint64_t play_id) {
  impl_->post([leg, prompts = std::move(prompts), loop, stop_on_dtmf, play_id](Impl& relay) mutable {
    relay.play(leg, std::move(prompts), loop, stop_on_dtmf, play_id);
  });
}

void Relay::stop_playing(Leg leg) {
  impl_->post([leg](Impl& relay) { relay.stop_playing(leg); });
}

void Relay::start_leg_recording(Leg leg, std::string path, std::chrono::milliseconds max_length,
                                std::chrono::milliseconds end_after_silence) {
  impl_->post([leg, path = std::move(path), max_length, end_after_silence](Impl& relay) mutable {
    relay.start_leg_recording(leg, std::move(path), max_length, end_after_silence);
  });
}

void Relay::stop_leg_recording(Leg leg) {
  impl_->post([leg](Impl& relay) { relay.stop_leg_recording(leg); });
}

void Relay::start_recording(std::string path) {
  impl_->post([path = std::move(path)](Impl& relay) mutable { relay.start_recording(std::move(path)); });
}

void Relay::stop_recording() {
  impl_->post([](Impl& relay) { relay.stop_recording(); });
}

Conference::Participant Relay::join(Leg leg, Conference& conference, JoinAs as) {
  const std::shared_ptr<Conference::Core> core = conference.core_;
  std::weak_ptr<Impl> relay = impl_;
  const Conference::Participant participant = core->join(Conference::Core::Member{
      [relay, leg](const Mixer::Frame& heard) {
        const auto alive = relay.lock();
        if (!alive || alive->closing()) return false;
        alive->post([leg, heard](Impl& self) { self.hear_mix(leg, heard); });
        return true;
      },
      [relay, leg, ended = core.get()] {
        if (auto alive = relay.lock()) alive->post([leg, ended](Impl& self) { self.dismissed(leg, ended); });
      }});
  impl_->post([leg, core, participant, as](Impl& self) { self.join(leg, core, participant, as); });
  return participant;
}

void Relay::leave(Leg leg) {
  impl_->post([leg](Impl& relay) { relay.leave(leg); });
}

LegStats Relay::stats(Leg leg) const { return impl_->stats(leg); }

void Relay::close() { impl_->close(true); }
void Relay::close_soon() { impl_->close(false); }

}  // namespace unicc::media
