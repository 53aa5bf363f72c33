// The B2BUA's main path, from the caller's phone to the CDR, driven through the
// front with a recording transport (b2bua_harness.h): INVITE, 407, the INVITE with
// credentials, the callee's leg, its answer, our 200, the ACK, the BYE; and an
// in-dialog request that does not match the dialog, which must change nothing.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "call/b2bua_harness.h"
#include "sip/auth_header.h"

namespace unicc::call {
namespace {

using namespace testing;

class CallTest : public B2buaTest {
 protected:
  static constexpr const char* kCallId = "call-1@phone";
  static constexpr const char* kCallerTag = "caller-tag";

  // 1000's phone calls 1001, with `authorization` (Proxy-Authorization) if given.
  void invite(std::uint32_t cseq, const std::string& authorization = {}) {
    auto request = sip::MessageBuilder::request("INVITE", "sip:1001@127.0.0.1");
    request.add("Via", "SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKinvite" + std::to_string(cseq) + ";rport")
        .add("Max-Forwards", "70")
        .add("From", std::string("\"Caller\" <sip:1000@127.0.0.1>;tag=") + kCallerTag)
        .add("To", "<sip:1001@127.0.0.1>")
        .add("Call-ID", kCallId)
        .add("CSeq", std::to_string(cseq) + " INVITE")
        .add("Contact", "<sip:1000@127.0.0.1:5070>");
    if (!authorization.empty()) request.add("Proxy-Authorization", authorization);
    front.receive(parse(request.add("Content-Type", "application/sdp").finish(party_sdp(40000))), phone);
  }

  // A request in the caller's dialog; `to_tag` is the tag our 200 gave it.
  void from_caller(std::string_view method, std::uint32_t cseq, std::string_view to_tag,
                   const Endpoint& source) {
    std::string request = sip::MessageBuilder::request(method, "sip:unicc@127.0.0.1:5060")
                              .add("Via", "SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK" + std::string(method) +
                                              std::to_string(++requests_) + ";rport")
                              .add("Max-Forwards", "70")
                              .add("From", std::string("\"Caller\" <sip:1000@127.0.0.1>;tag=") + kCallerTag)
                              .add("To", "<sip:1001@127.0.0.1>;tag=" + std::string(to_tag))
                              .add("Call-ID", kCallId)
                              .add("CSeq", std::to_string(cseq) + " " + std::string(method))
                              .finish();
    front.receive(parse(request), source);
  }

  // The last response sent with `status`.
  Message response(int status) {
    std::string start = "SIP/2.0 " + std::to_string(status) + " ";
    for (auto it = sender.sent().rbegin(); it != sender.sent().rend(); ++it) {
      if (it->bytes.starts_with(start)) return parse(it->bytes);
    }
    ADD_FAILURE() << "no " << status << " was sent";
    return parse("SIP/2.0 500 Nothing\r\nVia: SIP/2.0/UDP x;branch=z9hG4bKx\r\nFrom: <sip:x>;tag=x\r\n"
                 "To: <sip:x>\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\n\r\n");
  }

  // Answers the 407 to the first INVITE as 1000's phone would.
  std::string credentials() {
    Message challenge = response(407);
    auto header = challenge.header("Proxy-Authenticate");
    if (!header) return {};
    auto parsed = sip::AuthHeader::parse(*header);
    if (!parsed.ok()) return {};
    return sip::DigestAuthenticator::answer(parsed.value(), "INVITE", "sip:1001@127.0.0.1", "1000", kPassword,
                                            "0a4f113b")
        .value_or("");
  }

  // Calls 1001 through the challenge and has 1001 answer; returns our 200's To tag.
  std::string answered_call() {
    invite(1);
    EXPECT_EQ(count("SIP/2.0 407"), 1u);
    EXPECT_EQ(count("INVITE "), 0u);
    invite(2, credentials());
    respond(sent("INVITE"), 180, agent);
    clock.advance(5s);
    respond(sent("INVITE"), 200, agent, party_sdp(40002), "callee-tag");
    return std::string(response(200).to().tag());
  }

  Endpoint phone{Transport::kUdp, "127.0.0.1", 5070};
  int requests_ = 0;
};

TEST_F(CallTest, AnAuthenticatedCallIsBridgedAnsweredAndEndedWithItsRecord) {
  const std::int64_t started = clock.now_ms();
  invite(1);
  ASSERT_EQ(count("SIP/2.0 407"), 1u);
  EXPECT_TRUE(response(407).header("Proxy-Authenticate").has_value());
  EXPECT_EQ(count("INVITE "), 0u);

  invite(2, credentials());
  ASSERT_EQ(count("INVITE "), 1u);
  Message b_invite = sent("INVITE");
  EXPECT_EQ(sender.sent().back().to, agent);  // where 1001 registered from
  EXPECT_EQ(b_invite.request_uri().to_string(), "sip:1001@127.0.0.1:5071");
  EXPECT_EQ(b_invite.from().uri.user_decoded(), "1000");
  EXPECT_NE(b_invite.call_id(), kCallId);  // the callee's leg is a dialog of its own

  respond(b_invite, 180, agent);
  EXPECT_EQ(count("SIP/2.0 180"), 1u);
  clock.advance(5s);
  respond(b_invite, 200, agent, party_sdp(40002), "callee-tag");

  ASSERT_EQ(count("ACK "), 1u);  // to the callee
  EXPECT_EQ(sent("ACK").to().tag(), "callee-tag");
  ASSERT_EQ(count("SIP/2.0 200"), 1u);
  Message ok = response(200);
  EXPECT_EQ(ok.call_id(), kCallId);
  EXPECT_EQ(ok.from().tag(), kCallerTag);
  ASSERT_FALSE(ok.to().tag().empty());
  EXPECT_NE(ok.body().find("m=audio "), std::string_view::npos);
  EXPECT_EQ(observer.states, (std::vector<std::string>{"ringing", "answered"}));

  // Acknowledged: our 200 is not sent again.
  from_caller("ACK", 2, ok.to().tag(), phone);
  timers.advance(10s);
  EXPECT_EQ(count("SIP/2.0 200"), 1u);

  clock.advance(60s);
  from_caller("BYE", 3, ok.to().tag(), phone);
  ASSERT_EQ(count("BYE "), 1u);
  Message bye = sent("BYE");
  EXPECT_EQ(bye.call_id(), b_invite.call_id());
  EXPECT_EQ(bye.to().tag(), "callee-tag");
  EXPECT_EQ(sender.sent().back().to, agent);
  EXPECT_TRUE(posted.run_until([&] { return count("SIP/2.0 200") == 2; }));  // once the CDR is durable

  ASSERT_EQ(cdrs.cdrs.size(), 1u);
  const Cdr& cdr = cdrs.cdrs.front();
  EXPECT_EQ(cdr.call_id, kCallId);
  EXPECT_EQ(cdr.b_call_id, b_invite.call_id());
  EXPECT_EQ(cdr.direction, "internal");
  EXPECT_EQ(cdr.caller, "1000");
  EXPECT_EQ(cdr.caller_name, "Caller");
  EXPECT_EQ(cdr.dialled, "1001");
  EXPECT_EQ(cdr.callee, "1001");
  EXPECT_EQ(cdr.trunk, "");
  EXPECT_EQ(cdr.disposition, "answered");
  EXPECT_EQ(cdr.started_at, started);
  EXPECT_EQ(cdr.answered_at, started + 5'000);
  EXPECT_EQ(cdr.ended_at, started + 65'000);
  EXPECT_EQ(cdr.hangup_side, "caller");
  EXPECT_EQ(cdr.hangup_cause, "BYE");
  EXPECT_EQ(observer.states.back(), "ended");
}

TEST_F(CallTest, AByeThatDoesNotMatchTheDialogGets481AndLeavesTheCallUp) {
  std::string to_tag = answered_call();
  from_caller("ACK", 2, to_tag, phone);
  sender.clear();

  from_caller("BYE", 3, "guessed-tag", phone);
  from_caller("BYE", 4, to_tag, Endpoint{Transport::kUdp, "127.0.0.9", 5070});  // right tags, wrong source

  ASSERT_EQ(sender.sent().size(), 2u);
  EXPECT_TRUE(sender.sent()[0].bytes.starts_with("SIP/2.0 481"));
  EXPECT_TRUE(sender.sent()[1].bytes.starts_with("SIP/2.0 481"));
  EXPECT_EQ(count("BYE "), 0u);
  EXPECT_TRUE(cdrs.cdrs.empty());
  EXPECT_EQ(observer.states.back(), "answered");

  // The call is still up: the caller's own BYE ends it.
  from_caller("BYE", 5, to_tag, phone);
  EXPECT_EQ(count("BYE "), 1u);
  EXPECT_EQ(cdrs.cdrs.size(), 1u);
}

TEST_F(CallTest, AnUnacknowledged200IsResentThenTheCallIsHungUp) {
  answered_call();
  timers.advance(35s);  // resent at 0.5, 1.5, 3.5, 7.5 s, then every 4 s
  EXPECT_EQ(count("SIP/2.0 200"), 11u);
  EXPECT_EQ(count("BYE "), 0u);
  EXPECT_TRUE(cdrs.cdrs.empty());

  timers.advance(500ms);  // 35.5 s: the first check past 64·T1
  EXPECT_EQ(count("SIP/2.0 200"), 11u);
  EXPECT_EQ(count("BYE "), 2u);  // to both parties
  ASSERT_EQ(cdrs.cdrs.size(), 1u);
  EXPECT_EQ(cdrs.cdrs.front().hangup_cause, "no ACK");
}

}  // namespace
}  // namespace unicc::call
