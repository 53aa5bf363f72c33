#pragma once
// The B2BUA's unit-test harness: the call module's real B2BUA behind a real
// sip::Front, with a transport that records what is sent, manual SIP timers, a fake
// clock and a real media engine (so RTP can be checked at the parties' ports).
// Parties are played by the test: it reads what was sent and feeds responses and
// requests back through the front, as the transport would.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "call/b2bua.h"
#include "core/clock.h"
#include "sip/builder.h"
#include "sip/digest.h"
#include "sip/front.h"
#include "sip/transaction_fakes.h"
#include "sip/trunk_registrations.h"

namespace unicc::call::testing {

using namespace std::chrono_literals;
using sip::Endpoint;
using sip::Message;
using sip::Transport;

inline Message parse(std::string text) {
  auto message = Message::parse(std::move(text));
  if (!message.ok()) ADD_FAILURE() << "unparsable: " << message.error().reason;
  return std::move(message).value();
}

class RecordingApplication final : public CallApplication {
 public:
  bool takes(const std::string&) const override { return false; }
  void on_answered(const AnsweredCall& call) override {
    answered.push_back(call);
    log.push_back("answered");
  }
  void on_dtmf(CallId, char) override {}
  void on_play_finished(CallId call, std::uint64_t play_id) override {
    played.emplace_back(call, play_id);
  }
  void on_recording_ended(CallId, std::chrono::milliseconds, bool) override {}
  void on_connect_result(CallId call, bool answered_now, int code) override {
    connect_results.push_back({call, answered_now, code});
    log.push_back("connect " + std::to_string(code));
  }
  void on_originate_failed(CallId call, int code) override {
    failed.emplace_back(call, code);
    log.push_back("failed " + std::to_string(code));
    if (when_failed) when_failed(call, code);
  }
  int on_refer(CallId call, const std::string& to, CallId replacing) override {
    refers.emplace_back(call, to);
    replaced.push_back(replacing);
    return refer_answer ? refer_answer(call, to) : 403;
  }
  void on_ended(CallId call, Cdr&) override {
    ended.push_back(call);
    log.push_back("ended");
  }

  struct ConnectResult {
    CallId call;
    bool answered;
    int code;
    bool operator==(const ConnectResult&) const = default;
  };
  std::vector<AnsweredCall> answered;
  std::vector<std::pair<CallId, std::uint64_t>> played;
  std::vector<ConnectResult> connect_results;
  std::vector<std::pair<CallId, int>> failed;
  std::vector<CallId> ended;
  std::vector<std::string> log;
  std::function<void(CallId, int)> when_failed;
  std::vector<std::pair<CallId, std::string>> refers;
  std::vector<CallId> replaced;  // each refer's `replacing`
  std::function<int(CallId, const std::string&)> refer_answer;  // unset: 403
};

// Records are durable at once, or, with `hold`, when the test says.
class RecordingCdrs final : public CdrSink {
 public:
  void answered(const Cdr& cdr) override { in_progress.push_back(cdr); }
  void record(const Cdr& cdr, Durable durable) override {
    cdrs.push_back(cdr);
    if (!durable) return;
    if (hold) return pending.push_back(std::move(durable));
    durable(true);
  }
  void confirm(bool durable) {
    for (auto& tell : pending) tell(durable);
    pending.clear();
  }
  std::vector<Cdr> in_progress;
  std::vector<Cdr> cdrs;
  bool hold = false;
  std::vector<Durable> pending;
};

class RecordingObserver final : public CallObserver {
 public:
  void on_call_event(const CallEvent& event) override { states.push_back(event.state); }
  std::vector<std::string> states;
};

// Tasks the relay posts from its RTP thread, run on the test's thread when asked.
class PostedTasks {
 public:
  void post(std::function<void()> task) {
    std::lock_guard lock(mutex_);
    tasks_.push_back(std::move(task));
    arrived_.notify_all();
  }

  // Runs posted tasks until `done` holds or `timeout` passes.
  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout = 3s) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
      std::unique_lock lock(mutex_);
      if (!arrived_.wait_until(lock, deadline, [this] { return !tasks_.empty(); })) return done();
      auto task = std::move(tasks_.front());
      tasks_.pop_front();
      lock.unlock();
      task();
    }
    return true;
  }

 private:
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::deque<std::function<void()>> tasks_;
};

constexpr std::chrono::seconds kRingTimeout{30};

// The B2BUA behind a sip::Front whose transport records what is sent, on manual
// timers and a fake clock. Phones: 1000 (password "secret", may call), 1001
// (registered from `agent`), 1003 (not registered); one trunk, "carrier", at
// `carrier` for numbers dialled with a leading 0.
class B2buaTest : public ::testing::Test {
 protected:
  static constexpr const char* kPassword = "secret";

  B2buaTest() {
    accounts.replace({sip::SipAccount{"1000", "Caller", sip::digest_ha1(sip::DigestAlgorithm::kMd5, "1000",
                                                                        digest.realm(), kPassword), ""},
                      sip::SipAccount{"1001", "Agent", "", ""}, sip::SipAccount{"1003", "Away", "", ""}});
    locations.update("1001",
                     sip::Binding{"sip:1001@127.0.0.1:5071", agent, clock.now_ms() + 3'600'000, "reg-1", 1, "test"},
                     clock.now_ms());
    core::TrunkConfig trunk;
    trunk.name = "carrier";
    trunk.address = "127.0.0.1";
    trunk.port = 5080;
    trunk.outbound_prefix = "0";
    trunks.push_back(trunk);
    front.attach(b2bua);
  }

  // The n-th request sent with this method (0: the first).
  Message sent(std::string_view method, std::size_t nth = 0) {
    std::string start = std::string(method) + " ";
    for (const auto& message : sender.sent()) {
      if (message.bytes.starts_with(start) && nth-- == 0) return parse(message.bytes);
    }
    ADD_FAILURE() << "no " << method << " number " << nth << " was sent";
    return parse("OPTIONS sip:x SIP/2.0\r\nVia: SIP/2.0/UDP x;branch=z9hG4bKx\r\nFrom: <sip:x>;tag=x\r\n"
                 "To: <sip:x>\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\n\r\n");
  }
  std::size_t count(std::string_view start_line_prefix) const { return sender.count(start_line_prefix); }

  // The answer of a party whose RTP socket is `rtp_port` (PCMU and telephone-event).
  static std::string party_sdp(std::uint16_t rtp_port) {
    return "v=0\r\no=party 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio " +
           std::to_string(rtp_port) + " RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n";
  }

  void respond(const Message& invite, int status, const Endpoint& from, const std::string& sdp = {},
               std::string_view to_tag = "party-tag") {
    auto response = sip::response_to(invite, status, {}, to_tag);
    if (status >= 200 && status < 300) response.add("Contact", "<sip:party@" + from.address + ":" + std::to_string(from.port) + ">");
    if (!sdp.empty()) response.add("Content-Type", "application/sdp");
    front.receive(parse(response.finish(sdp)), from);
  }

  // A BYE from the party that answered `invite` (its dialog is the INVITE's, reversed).
  void bye_from(const Message& invite, const Endpoint& from, std::string_view to_tag = "party-tag") {
    request_from("BYE", invite, from, to_tag);
  }

  // A request in the dialog of the party that answered `invite`, with `headers`
  // (each ending in CRLF).
  void request_from(const std::string& method, const Message& invite, const Endpoint& from,
                    std::string_view to_tag = "party-tag", const std::string& headers = {}) {
    const std::string n = std::to_string(++in_dialog_requests_);
    std::string text = method + " sip:unicc@127.0.0.1:5060 SIP/2.0\r\nVia: SIP/2.0/UDP " + from.address + ":" +
                       std::to_string(from.port) + ";branch=z9hG4bK" + method + n +
                       "\r\nMax-Forwards: 70\r\nFrom: " + std::string(*invite.header("To")) + ";tag=" +
                       std::string(to_tag) + "\r\nTo: " + std::string(*invite.header("From")) +
                       "\r\nCall-ID: " + std::string(invite.call_id()) + "\r\nCSeq: " + n +
                       " " + method + "\r\n" + headers + "\r\n";
    front.receive(parse(text), from);
  }

  Endpoint agent{Transport::kUdp, "127.0.0.1", 5071};
  Endpoint carrier{Transport::kUdp, "127.0.0.1", 5080};
  sip::testing::FakeTimerService timers;
  sip::testing::RecordingSender sender{&timers};
  core::FakeClock clock;
  sip::AccountDirectory accounts;
  sip::LocationService locations;
  sip::DigestAuthenticator digest{"unicc.test", clock};
  std::vector<core::TrunkConfig> trunks;
  std::vector<core::DidConfig> dids;
  NumberPlan plan{trunks, dids};
  // Below the ephemeral range, where the SIPp tests pick their "free" ports.
  media::MediaEngine media{media::MediaSettings{"127.0.0.1", 31000, 31198, media::Latching::kSymmetric, 60s, 1, 0}};
  RecordingCdrs cdrs;
  RecordingObserver observer;
  PostedTasks posted;
  RecordingApplication application;
  OutboundGuard outbound{clock, [] {
                           core::OutboundConfig policy;
                           policy.concurrent_per_caller = 1;
                           return policy;
                         }()};
  sip::TrunkRegistrations trunk_registrations{trunks, sender, timers, clock};
  sip::Front front{sip::FrontParts{sender, timers, clock, accounts, locations, digest, trunk_registrations}, {}};
  B2bua b2bua{B2buaParts{front.transactions(), timers, clock, accounts, locations, digest, plan, media, cdrs, observer,
                         [this](std::function<void()> task) { posted.post(std::move(task)); }, &application,
                         &outbound},
              B2buaSettings{"127.0.0.1", 5060, 5060, "127.0.0.1", kRingTimeout, false, "", 5061}};
  int in_dialog_requests_ = 0;
};

}  // namespace unicc::call::testing
