"""Click-to-dial on real calls: an agent asks over REST; unicc rings the agent's phone
(SIPp, auto-answer hint for an agent on a headset), then the customer's number behind
the carrier trunk (SIPp) showing the configured caller ID. Both phones' media are the
test's own RTP peers, each sending its tone, so what each hears proves the relay
forwards both ways; hold plays ringback to the customer (not the agent), digits reach
the customer; hanging up over REST sends BYE to both phones; the CDR names the agent,
the direction, the number and the customer; the agent wraps up and is not ready again
as before. Refusals: someone else's agent, an unknown or logged-out agent, a number
that goes nowhere or the outbound rules refuse; a busy customer. A blind transfer of
the agent's own call: the agent's phone is let go at once, the target (shown the
customer's number) answers and its media moves to the customer's call, and the two
hear each other; a queue refuses it."""
import time

from harness import EventStream
from ivr_support import IvrServerTest, RtpListener, alaw_to_linear, tone_amplitude
from sip_test import Sipp, free_udp_port

NUMBER = "013800000000"  # the trunk's prefix 0, then the customer's number
CALLER_ID = "02150001234"
AGENT_TONE, CUSTOMER_TONE = 600, 1000
TRANSFER_TONES = {"customer": 500, "agent": 700, "target": 900}


def heard(party, since, until=None):
    """A party's decoded audio that arrived between two times."""
    until = until or time.time()
    return [alaw_to_linear(b) for at, payload in list(party.packets) if since <= at <= until for b in payload]


class ClickToDialTest(IvrServerTest):
    tones = TRANSFER_TONES

    @classmethod
    def setUpClass(cls):
        cls.start_server(
            f'[outbound]\ncaller_id = "{CALLER_ID}"\n'
            '[[queue]]\nname = "out"\nwrap_up_s = 60\n'
            '[[agent]]\nextension = "1004"\nname = "Agent A"\nqueues = "out"\nauto_answer = true\n'
            '[[agent]]\nextension = "1005"\nname = "Agent B"\nqueues = "out"\n')
        cls.sign_in_agents("1004", "1005")
        status, body, _ = cls.server.call("POST", "/api/v1/customers", {"name": "王芳", "phones": ["13800000000"]},
                                          token=cls.admin)
        assert status == 201, body
        cls.customer_id = body["id"]

    def dial(self, extension, body):
        return self.as_agent(extension, "POST", "/api/v1/calls", body)

    def set_state(self, extension, state):
        status, body, _ = self.as_agent(extension, "POST", f"/api/v1/agents/{extension}/state", {"state": state})
        self.assertEqual(status, 200, body)

    def agent(self, extension):
        status, body, _ = self.as_agent(extension, "GET", f"/api/v1/agents/{extension}")
        self.assertEqual(status, 200, body)
        return body

    def live_call(self, extension, state):
        status, body, _ = self.as_agent(extension, "GET", "/api/v1/calls")
        self.assertEqual(status, 200, body)
        return [c for c in body["items"] if c["state"] == state]

    @staticmethod
    def invite_of(sipp):
        """The first INVITE a SIPp UAS received: its request line and headers."""
        return sipp.trace().split("INVITE sip:", 1)[1].split("\n\n", 1)[0]

    def test_the_agent_then_the_customer_talk_hold_digits_and_hangup(self):
        self.set_state("1004", "not_ready")  # outbound calls are often made while not ready
        stream = EventStream(self.server, self.tokens["1004"])
        agent_media, customer_media = RtpListener(), RtpListener()
        agent_media.talk(AGENT_TONE)  # each, once unicc sends it audio
        customer_media.talk(CUSTOMER_TONE)
        agent = self.phone("1004", "uas_answer_rtp.xml", "-set", "rtp_port", str(agent_media.port))
        customer = Sipp(self.sip_port, "uas_ring_answer_rtp.xml", "-mp", str(free_udp_port()),
                        "-set", "rtp_port", str(customer_media.port), port=self.trunk_port)
        try:
            status, body, _ = self.dial("1004", {"agent": "1004", "to": NUMBER})
            self.assertEqual(status, 201, body)
            call_id = body["call_id"]
            self.assertEqual((body["direction"], body["agent"], body["dialled"], body["caller"]),
                             ("outbound", "1004", NUMBER, CALLER_ID), body)
            # A double click while it rings: the same call, no second one.
            status, again, _ = self.dial("1004", {"agent": "1004", "to": NUMBER})
            self.assertEqual((status, again["call_id"]), (200, call_id), again)
            # Another agent may not dial for this one.
            status, body, _ = self.dial("1005", {"agent": "1004", "to": NUMBER})
            self.assertEqual((status, body["error"]["code"]), (403, "forbidden"), body)

            talking = self.wait_for(lambda: self.live_call("1004", "talking"))[0]
            self.assertEqual((talking["call_id"], talking["direction"]), (call_id, "outbound"))
            self.assertEqual(talking["customer"]["name"], "王芳")  # looked up by the number dialled
            self.assertEqual(self.agent("1004")["state"], "on_call")
            # The customer's INVITE left through the trunk showing the caller ID; the
            # agent's phone showed whom they call and was asked to answer at once.
            invite = self.invite_of(customer)
            self.assertTrue(invite.startswith("13800000000@"), invite)
            self.assertIn(f"<sip:{CALLER_ID}@", invite.split("From:", 1)[1].split("\n", 1)[0])
            agent_invite = self.invite_of(agent)
            self.assertIn(NUMBER, agent_invite.split("From:", 1)[1].split("\n", 1)[0])
            self.assertIn("answer-after=0", agent_invite)

            # Both ways: each hears the other's tone.
            since = time.time()
            time.sleep(1.2)
            self.assertGreater(tone_amplitude(heard(customer_media, since)[:4000], AGENT_TONE), 1000)
            self.assertGreater(tone_amplitude(heard(agent_media, since)[:4000], CUSTOMER_TONE), 1000)

            # Hold: the customer hears ringback (450 Hz in China), the agent nothing of them.
            status, body, _ = self.command("1004", call_id, "hold")
            self.assertEqual((status, body["state"]), (200, "held"), body)
            held_at = time.time()
            time.sleep(0.9)
            customer_heard = heard(customer_media, held_at + 0.2)
            self.assertGreater(len(customer_heard), 2000, "the customer heard nothing on hold")
            self.assertGreater(tone_amplitude(customer_heard[:2000], 450), 1000)
            self.assertLess(tone_amplitude(customer_heard[:2000], AGENT_TONE), 300)
            self.assertLess(tone_amplitude(heard(agent_media, held_at + 0.2)[:2000] or [0], CUSTOMER_TONE), 300)
            status, body, _ = self.command("1004", call_id, "resume")
            self.assertEqual((status, body["state"]), (200, "talking"), body)

            # Digits go to the customer: 1 is 697 + 1209 Hz.
            sent_at = time.time()
            status, body, _ = self.command("1004", call_id, "dtmf", {"digits": "1"})
            self.assertEqual(status, 200, body)
            time.sleep(0.5)
            after = heard(customer_media, sent_at)
            frames = [after[i:i + 160] for i in range(0, len(after) - 159, 160)]
            digit = [f for f in frames if tone_amplitude(f, 697) > 1000 and tone_amplitude(f, 1209) > 1000]
            self.assertGreaterEqual(len(digit), 3, "no digit heard")  # 100 ms of it, in 20 ms frames

            # Hanging up over REST: both phones get their BYE.
            status, body, _ = self.command("1004", call_id, "hangup")
            self.assertEqual(status, 200, body)
            self.assertEqual(agent.wait(timeout=10), 0, agent.explain())
            self.assertEqual(customer.wait(timeout=10), 0, customer.explain())

            cdr = self.cdr(agent.trace(), did=NUMBER)
            self.assertEqual((cdr["direction"], cdr["agent"], cdr["caller"], cdr["dialled"], cdr["callee"]),
                             ("outbound", "1004", CALLER_ID, NUMBER, "13800000000"), cdr)
            self.assertEqual((cdr["disposition"], cdr["trunk"], cdr["customer_id"]),
                             ("answered", "carrier", self.customer_id), cdr)
            self.assertEqual(cdr["call_id"], call_id)
            states = [e["call"]["state"] for e in stream.of_type("live_call") if e["call"]["call_id"] == call_id]
            self.assertEqual([s for i, s in enumerate(states) if i == 0 or states[i - 1] != s],
                             ["offered", "dialing", "talking", "held", "talking", "ended"], states)

            # Wrap-up as after a queue call; then not ready again, as before the call.
            self.assertEqual(self.agent("1004")["state"], "wrap_up")
            status, body, _ = self.command("1004", call_id, "wrap-up", {"disposition": "resolved", "notes": "回访"})
            self.assertEqual(status, 200, body)
            self.assertEqual(self.agent("1004")["state"], "not_ready")
            cdr = self.cdr(agent.trace(), did=NUMBER)
            self.assertEqual((cdr["disposition_code"], cdr["notes"]), ("resolved", "回访"), cdr)
        finally:
            for peer in (agent, customer):
                peer.process.kill()
                peer.process.wait()
            agent_media.stop()
            customer_media.stop()
            stream.close()

    def test_the_agents_own_call_transferred_blind_reaches_the_target_who_talks_with_the_customer(self):
        self.set_state("1004", "ready")
        self.set_state("1005", "ready")
        parties = {name: RtpListener() for name in ("customer", "agent", "target")}
        agent = self.phone("1004", "uas_answer_rtp.xml", "-set", "rtp_port", str(parties["agent"].port))
        target = self.phone("1005", "uas_answer_rtp.xml", "-set", "rtp_port", str(parties["target"].port))
        customer = Sipp(self.sip_port, "uas_ring_answer_rtp.xml", "-mp", str(free_udp_port()),
                        "-set", "rtp_port", str(parties["customer"].port), port=self.trunk_port)
        try:
            status, body, _ = self.dial("1004", {"agent": "1004", "to": NUMBER})
            self.assertEqual(status, 201, body)
            call_id = body["call_id"]
            self.wait_for(lambda: self.live_call("1004", "talking"))
            for name, party in parties.items():
                party.talk(TRANSFER_TONES[name])
            status, body, _ = self.command("1004", call_id, "transfer", {"to": "queue:out"})
            self.assertEqual((status, body["error"]["code"]), (409, "not_supported"), body)
            status, body, _ = self.command("1004", call_id, "transfer", {"to": "1005"})
            self.assertEqual(status, 200, body)
            self.assertEqual(agent.wait(timeout=10), 0, agent.explain())  # the agent's phone got its BYE at once
            self.assertEqual(self.agent("1004")["state"], "wrap_up")
            # The target's phone showed the customer's number, not the center's caller ID.
            self.assertIn("13800000000", self.invite_of(target).split("From:", 1)[1].split("\n", 1)[0])
            talking = self.wait_for(lambda: self.live_call("1005", "talking"))[0]
            self.assertEqual((talking["call_id"], talking["agent"], talking["direction"]), (call_id, "1005", "outbound"))
            self.assertEqual(self.agent("1005")["state"], "on_call")
            # The target's media moved to the customer's call (a re-INVITE): they hear each other.
            moved = time.time()
            time.sleep(2.0)
            self.assert_hearing({name: parties[name] for name in ("customer", "target")}, moved + 0.7, moved + 2.0,
                                {"customer": {"target"}, "target": {"customer"}})
            status, body, _ = self.command("1005", call_id, "hangup")
            self.assertEqual(status, 200, body)
            self.assertEqual(customer.wait(timeout=10), 0, customer.explain())
            self.assertEqual(target.wait(timeout=10), 0, target.explain())
            self.assertIn("INVITE sip:", target.trace().split("ACK", 1)[1], "no re-INVITE moved the target's media")
            cdr = self.cdr(agent.trace(), did=NUMBER)
            self.assertEqual(cdr["call_id"], call_id)
            self.assertEqual([(e["kind"], e["mode"], e["from"], e["to"]) for e in cdr["events"]],
                             [("transfer", "blind", "1004", "1005")], cdr)
            self.assertEqual((cdr["direction"], cdr["disposition"], cdr["callee"]),
                             ("outbound", "answered", "13800000000"), cdr)
            self.assertEqual(self.agent("1005")["state"], "wrap_up")
        finally:
            for peer in (agent, target, customer):
                peer.process.kill()
                peer.process.wait()
            for party in parties.values():
                party.stop()
            self.set_state("1004", "logged_out")
            self.set_state("1005", "logged_out")

    def test_a_busy_customer_ends_the_call_with_the_reason(self):
        self.set_state("1005", "ready")
        stream = EventStream(self.server, self.tokens["1005"])
        agent_media = RtpListener()
        agent = self.phone("1005", "uas_answer_rtp.xml", "-set", "rtp_port", str(agent_media.port))
        customer = Sipp(self.sip_port, "uas_busy.xml", "-mp", str(free_udp_port()), port=self.trunk_port)
        try:
            status, body, _ = self.dial("1005", {"agent": "1005", "to": NUMBER})
            self.assertEqual(status, 201, body)
            call_id = body["call_id"]
            self.assertEqual(customer.wait(timeout=10), 0, customer.explain())
            self.assertEqual(agent.wait(timeout=10), 0, agent.explain())  # unicc hung up on the agent
            ended = self.wait_for(lambda: [e["call"] for e in stream.of_type("live_call")
                                           if e["call"]["call_id"] == call_id and e["call"]["state"] == "ended"])
            self.assertEqual(ended[0]["reason"], "busy")
            cdr = self.cdr(agent.trace(), did=NUMBER)
            self.assertEqual((cdr["direction"], cdr["agent"], cdr["disposition"]), ("outbound", "1005", "busy"), cdr)
            self.assertEqual(self.agent("1005")["state"], "wrap_up")
        finally:
            for peer in (agent, customer):
                peer.process.kill()
                peer.process.wait()
            agent_media.stop()
            stream.close()
            self.set_state("1005", "logged_out")

    def test_refusals(self):
        self.set_state("1005", "logged_out")
        self.set_state("1004", "ready")
        cases = [
            ("1004", {"agent": "1099", "to": NUMBER}, 403, "forbidden"),  # not theirs, though nobody has it
            ("admin", {"agent": "1099", "to": NUMBER}, 404, "unknown_agent"),
            ("admin", {"agent": "1005", "to": NUMBER}, 409, "logged_out"),
            ("1004", {"agent": "1004", "to": "0138 0000"}, 400, "invalid_field"),
            ("1004", {"agent": "1004", "to": "queue:out"}, 400, "invalid_field"),
            ("1004", {"agent": "1004", "to": "5551234"}, 400, "invalid_field"),  # no extension, DID or prefix
            ("1004", {"agent": "1004", "to": "000441234567"}, 403, "refused"),  # international: not for 1004
            ("1004", {"agent": "1004"}, 400, "missing_field"),
        ]
        for who, request, status, code in cases:
            token = self.admin if who == "admin" else self.tokens[who]
            got, body, _ = self.server.call("POST", "/api/v1/calls", request, token=token)
            self.assertEqual((got, body.get("error", {}).get("code")), (status, code), (request, body))
        self.assertEqual(self.live_call("1004", "offered"), [])
        self.assertEqual(self.agent("1004")["state"], "ready")
