"""The CTI on real calls: a SIPp caller from the trunk waits in a queue, the agents'
phones are SIPp, the agents are users signed in with their extension. Checked over
REST, on each agent's own event stream, on the caller's RTP and in the CDR: an agent
sees and controls only their own calls; hold plays the queue's music to the caller;
digits reach the caller as DTMF tones; a blind transfer to a second agent hangs up
the first agent's phone, rings the second's, and the call arrives there with its
queue and caller; so does a transfer the agent makes from the phone (REFER), which a
caller from the trunk may not make, and the attended transfer a phone makes itself
(its own call to the target, then REFER with Replaces). A three-way call mixes customer, agent and a
guest: each party's audio carries the other two parties' tones and not its own."""
import json
import socket
import time
import urllib.parse

from consulting_phone import ConsultingPhone, ConsultingPhoneThread
from harness import EventStream
from ivr_support import IvrServerTest, RtpListener, queue_flow, tone_amplitude
from sip_test import Sipp, free_udp_port

CTI_FLOW = queue_flow("ivr-cti", "4070", "cti")
CALLER = "8613900005555"
# What each party of a three-way call or an attended transfer says: a tone of its own.
TONES = {"customer": 500, "agent": 700, "guest": 900}


class CtiCallTest(IvrServerTest):
    tones = TONES

    @classmethod
    def setUpClass(cls):
        cls.start_server(
            '[[queue]]\nname = "cti"\nstrategy = "longest_idle"\nring_timeout_s = 8\nwrap_up_s = 60\n'
            'music = "hold.wav"\n'
            '[[agent]]\nextension = "1004"\nname = "Agent A"\nqueues = "cti"\nauto_answer = true\n'
            '[[agent]]\nextension = "1005"\nname = "Agent B"\nqueues = "cti"\n')
        cls.publish(CTI_FLOW)
        cls.sign_in_agents("1004", "1005")
        status, body, _ = cls.server.call("POST", "/api/v1/customers",
                                          {"name": "张伟", "phones": ["+86 139 0000 5555"], "vip": True},
                                          token=cls.admin)
        assert status == 201, body
        cls.customer_id = body["id"]

    def live_calls(self, extension):
        status, body, _ = self.as_agent(extension, "GET", "/api/v1/calls")
        self.assertEqual(status, 200, body)
        return body["items"]

    def over_stream(self, stream, command, call_id):
        """An agent's command on a live call sent over their event stream: the response."""
        self.requests = getattr(self, "requests", 0) + 1
        request_id = f"r{self.requests}"
        stream.send(json.dumps({"type": "request", "id": request_id, "method": "POST",
                                "path": f"/api/v1/calls/{urllib.parse.quote(call_id, safe='')}/{command}"}))
        return self.wait_for(lambda: [m for m in stream.of_type("response") if m["id"] == request_id])[0]

    def test_agent_holds_sends_digits_and_transfers_blind_to_a_second_agent(self):
        # Agents set their own state; not someone else's.
        status, body, _ = self.as_agent("1004", "POST", "/api/v1/agents/1005/state", {"state": "ready"})
        self.assertEqual(status, 403, body)
        # 1005 is not ready until 1004 has the call: which of two ready agents waited
        # longest depends on the calls of the tests before.
        for extension, state in (("1004", "ready"), ("1005", "not_ready")):
            status, body, _ = self.as_agent(extension, "POST", f"/api/v1/agents/{extension}/state",
                                            {"state": state})
            self.assertEqual((status, body["state"]), (200, state), body)
        streams = {extension: EventStream(self.server, self.tokens[extension]) for extension in ("1004", "1005")}
        first = self.phone("1004", "uas_answer.xml")
        time.sleep(0.3)
        second = self.phone("1005", "uas_answer.xml")
        listener = RtpListener()
        caller = self.start_listening_caller(CALLER, "4070", listener, 16000)
        try:
            # 1004 was ready: the call is offered there, and only there.
            talking = self.wait_for(lambda: [c for c in self.live_calls("1004") if c["state"] == "talking"])[0]
            status, body, _ = self.as_agent("1005", "POST", "/api/v1/agents/1005/state", {"state": "ready"})
            self.assertEqual((status, body["state"]), (200, "ready"), body)
            call_id = talking["call_id"]
            self.assertEqual((talking["agent"], talking["queue"], talking["caller"]), ("1004", "cti", CALLER))
            self.assertEqual(talking["customer"]["name"], "张伟")  # however the carrier spells the number
            self.assertEqual(talking["ivr_path"], ["wait"])  # the flow's queue node
            self.assertEqual(self.live_calls("1005"), [])
            offered = [e["call"] for e in streams["1004"].of_type("live_call") if e["call"]["state"] == "offered"]
            self.assertEqual([c["call_id"] for c in offered], [call_id])
            self.assertEqual(offered[0]["customer"]["id"], self.customer_id)  # the screen pop
            self.assertEqual(streams["1005"].of_type("live_call"), [])
            self.assertIn("on_call", [e["state"] for e in streams["1004"].of_type("agent")])
            self.assertEqual({e["extension"] for e in streams["1004"].of_type("agent")}, {"1004"})
            # Another agent may not touch it.
            status, body, _ = self.command("1005", call_id, "hold")
            self.assertEqual((status, body["error"]["code"]), (403, "forbidden"), body)

            # Hold (twice: a double click, the second over the agent's event stream),
            # the caller hears the queue's 440 Hz music; resumed over the stream.
            status, body, _ = self.command("1004", call_id, "hold")
            self.assertEqual((status, body["state"]), (200, "held"), body)
            self.assertEqual(self.over_stream(streams["1004"], "hold", call_id)["body"]["state"], "held")
            held_at = time.time()
            time.sleep(1.5)
            answer = self.over_stream(streams["1004"], "resume", call_id)
            self.assertEqual((answer["status"], answer["body"]["state"]), (200, "talking"), answer)
            answer = self.over_stream(streams["1005"], "hold", call_id)  # not 1005's call
            self.assertEqual((answer["status"], answer["body"]["error"]["code"]), (403, "forbidden"), answer)
            on_hold = self.heard(listener, held_at + 0.3, time.time())
            self.assertGreater(len(on_hold), 4000, "no music on hold")
            self.assertGreater(tone_amplitude(on_hold[:4000], 440), 1000)

            # Digits reach the caller as DTMF: 1 is 697 + 1209 Hz.
            status, body, _ = self.command("1004", call_id, "dtmf", {"digits": "1x"})
            self.assertEqual((status, body["error"]["code"]), (400, "invalid_digits"), body)
            sent_at = time.time()
            status, body, _ = self.command("1004", call_id, "dtmf", {"digits": "1"})
            self.assertEqual(status, 200, body)
            time.sleep(0.5)
            tone = self.heard(listener, sent_at, time.time())[:640]
            self.assertEqual(len(tone), 640, "no digits heard")
            self.assertGreater(tone_amplitude(tone, 697), 1000)
            self.assertGreater(tone_amplitude(tone, 1209), 1000)

            # Blind transfer to 1005: a number nobody has is refused and changes nothing.
            status, body, _ = self.command("1004", call_id, "transfer", {"to": "1099"})
            self.assertEqual((status, body["error"]["code"]), (404, "not_found"), body)
            status, body, _ = self.command("1004", call_id, "transfer", {"to": "1005", "mode": "blind"})
            self.assertEqual((status, body["state"], body["agent"]), (200, "offered", "1005"), body)
            self.assertEqual(first.wait(timeout=10), 0, first.explain())  # 1004's phone got its BYE
            offer = first.trace().split("INVITE sip:", 1)[1].split("\n\n", 1)[0]
            self.assertIn("answer-after=0", offer)  # 1004 works on a headset: auto-answer
            moved = self.wait_for(lambda: [c for c in self.live_calls("1005") if c["state"] == "talking"])[0]
            self.assertEqual((moved["call_id"], moved["queue"], moved["caller"]), (call_id, "cti", CALLER))
            self.assertEqual(moved["customer"]["name"], "张伟")  # the customer's data went along
            self.assertEqual([(s["kind"], s["from"], s["to"]) for s in moved["steps"]],
                             [("transfer", "1004", "1005")])
            self.assertEqual(self.live_calls("1004"), [])
            status, body, _ = self.server.call("GET", "/api/v1/agents/1005", token=self.tokens["1005"])
            self.assertEqual(body["state"], "on_call", body)  # the ACD offers them nothing meanwhile
            ended = self.wait_for(lambda: [e["call"] for e in streams["1004"].of_type("live_call")
                                           if e["call"]["state"] == "ended"])
            self.assertEqual([c["call_id"] for c in ended], [call_id])
            status, body, _ = self.server.call("GET", "/api/v1/agents/1004", token=self.tokens["1004"])
            self.assertEqual((status, body["state"]), (200, "wrap_up"), body)
            self.assertEqual(self.command("1004", call_id, "hangup")[0], 403)  # no longer theirs

            self.assertEqual(caller.wait(timeout=30), 0, caller.explain())
            self.assertEqual(second.wait(timeout=10), 0, second.explain())
            cdr = self.cdr(caller.trace(), did="4070")
            self.assertEqual((cdr["callee"], cdr["disposition"]), ("1005", "answered"), cdr)
            self.assertEqual((cdr["agent"], cdr["queue"], cdr["customer_id"]), ("1005", "cti", self.customer_id), cdr)
            self.assertEqual([(e["kind"], e["from"], e["to"]) for e in cdr["events"]], [("transfer", "1004", "1005")])
            self.wait_for(lambda: [e for e in streams["1005"].of_type("live_call") if e["call"]["state"] == "ended"])

            # Wrap-up: both agents talked on it; the first is still in wrap-up and is
            # ready again once done. An agent who never had the call may not.
            status, body, _ = self.command("1005", call_id, "wrap-up", {"disposition": ""})
            self.assertEqual((status, body["error"]["code"]), (400, "invalid_field"), body)
            status, body, _ = self.command("1004", call_id, "wrap-up",
                                           {"disposition": "resolved", "notes": "账单已更正"})
            self.assertEqual(status, 200, body)
            status, body, _ = self.server.call("GET", "/api/v1/agents/1004", token=self.tokens["1004"])
            self.assertEqual(body["state"], "ready", body)
            cdr = self.cdr(caller.trace(), did="4070")
            self.assertEqual((cdr["disposition_code"], cdr["notes"]), ("resolved", "账单已更正"), cdr)
            status, body, _ = self.server.call("GET", f"/api/v1/customers/{self.customer_id}/contacts",
                                               token=self.tokens["1005"])
            self.assertEqual([(c["call_id"], c["agent"], c["disposition_code"]) for c in body["items"]],
                             [(call_id, "1005", "resolved")], body)
        finally:
            listener.stop()
            for stream in streams.values():
                stream.close()

    def test_three_way_call_each_party_hears_the_other_two_and_not_itself(self):
        self.agent_state("1004", "ready")
        self.agent_state("1005", "not_ready")
        parties = {name: RtpListener() for name in ("customer", "agent", "guest")}
        agent = self.phone("1004", "uas_answer_rtp.xml", "-set", "rtp_port", str(parties["agent"].port))
        guest = self.phone("1006", "uas_answer_rtp.xml", "-set", "rtp_port", str(parties["guest"].port))
        caller = self.start_listening_caller(CALLER, "4070", parties["customer"], 20000)
        try:
            call_id = self.wait_for(
                lambda: [c for c in self.live_calls("1004") if c["state"] == "talking"])[0]["call_id"]
            status, body, _ = self.command("1004", call_id, "conference", {"to": "queue:cti"})
            self.assertEqual((status, body["error"]["code"]), (400, "invalid_field"), body)
            status, body, _ = self.command("1004", call_id, "conference", {"to": "1004"})
            self.assertEqual((status, body["error"]["code"]), (409, "already_on_call"), body)
            for _ in range(2):  # a double click calls the guest once
                status, body, _ = self.command("1004", call_id, "conference", {"to": "1006"})
                self.assertEqual((status, body["conference"]["with"]), (200, "1006"), body)
            self.wait_for(lambda: [c for c in self.live_calls("1004") if (c["conference"] or {}).get("answered")])
            status, body, _ = self.command("1004", call_id, "hold")
            self.assertEqual((status, body["error"]["code"]), (409, "in_conference"), body)
            for name, party in parties.items():
                party.talk(TONES[name])
            started = time.time()
            time.sleep(2.5)
            self.assert_hearing(parties, started + 1.0, started + 2.5, {
                "customer": {"agent", "guest"}, "agent": {"customer", "guest"}, "guest": {"customer", "agent"}})

            # The customer hangs up: every phone gets its BYE; the CDR says who joined.
            self.assertEqual(caller.wait(timeout=30), 0, caller.explain())
            self.assertEqual(agent.wait(timeout=10), 0, agent.explain())
            self.assertEqual(guest.wait(timeout=10), 0, guest.explain())
            guest_offer = guest.trace().split("INVITE sip:", 1)[1].split("\n\n", 1)[0]
            self.assertIn(f"sip:{CALLER}@", guest_offer.split("From:", 1)[1].split("\n", 1)[0])
            cdr = self.cdr(caller.trace(), did="4070")
            self.assertEqual([(e["kind"], e["from"], e["to"]) for e in cdr["events"]],
                             [("conference", "1004", "1006")], cdr)
        finally:
            for party in parties.values():
                party.stop()

    def test_attended_transfer_consults_while_the_customer_holds_then_hands_the_customer_over(self):
        self.agent_state("1004", "ready")
        self.agent_state("1005", "not_ready")
        parties = {name: RtpListener() for name in ("customer", "agent", "guest")}
        agent = self.phone("1004", "uas_answer_rtp.xml", "-set", "rtp_port", str(parties["agent"].port))
        target = self.phone("1006", "uas_answer_rtp.xml", "-set", "rtp_port", str(parties["guest"].port))
        caller = self.start_listening_caller(CALLER, "4070", parties["customer"], 16000)
        try:
            call_id = self.wait_for(
                lambda: [c for c in self.live_calls("1004") if c["state"] == "talking"])[0]["call_id"]
            for name, party in parties.items():
                party.talk(TONES[name])
            status, body, _ = self.command("1004", call_id, "transfer", {"to": "queue:cti", "mode": "attended"})
            self.assertEqual((status, body["error"]["code"]), (400, "invalid_field"), body)
            status, body, _ = self.command("1004", call_id, "transfer/complete")
            self.assertEqual((status, body["error"]["code"]), (409, "not_consulting"), body)
            status, body, _ = self.command("1004", call_id, "transfer", {"to": "1006", "mode": "attended"})
            self.assertEqual((status, body["state"], body["consult"]),
                             (200, "held", {"with": "1006", "answered": False}), body)
            self.wait_for(lambda: [c for c in self.live_calls("1004") if (c["consult"] or {}).get("answered")])
            status, body, _ = self.command("1004", call_id, "resume")
            self.assertEqual((status, body["error"]["code"]), (409, "consulting"), body)
            # The agent and the target talk; the customer hears the queue's music, and
            # neither of them hears the customer.
            consulting = time.time()
            time.sleep(2.0)
            self.assert_hearing(parties, consulting + 0.5, consulting + 2.0,
                                {"customer": set(), "agent": {"guest"}, "guest": {"agent"}})
            self.assertGreater(tone_amplitude(self.heard(parties["customer"], consulting + 0.5, consulting + 2.0)
                                              [:8000], 440), 1000, "no music on hold")

            status, body, _ = self.command("1004", call_id, "transfer/complete")
            self.assertEqual((status, body["state"], body["agent"], body["consult"]), (200, "talking", "1006", None),
                             body)
            status, body, _ = self.command("1004", call_id, "transfer/complete")  # a double click
            self.assertEqual(status, 200, body)
            self.assertEqual(agent.wait(timeout=10), 0, agent.explain())  # the agent's phone got its BYE
            status, body, _ = self.server.call("GET", "/api/v1/agents/1004", token=self.tokens["1004"])
            self.assertEqual(body["state"], "wrap_up", body)
            # The target's media moved to the customer's call (a re-INVITE): they hear each other.
            handed_over = time.time()
            time.sleep(2.0)
            # (The agent's phone, gone, still sends: the relay takes nothing from it.)
            self.assert_hearing({name: parties[name] for name in ("customer", "guest")}, handed_over + 0.7, handed_over + 2.0,
                                {"customer": {"guest"}, "guest": {"customer"}})

            self.assertEqual(caller.wait(timeout=40), 0, caller.explain())
            self.assertEqual(target.wait(timeout=10), 0, target.explain())
            self.assertIn("INVITE sip:", target.trace().split("ACK", 1)[1], "no re-INVITE moved the target's media")
            cdr = self.cdr(caller.trace(), did="4070")
            self.assertEqual([(e["kind"], e["mode"], e["from"], e["to"]) for e in cdr["events"]],
                             [("transfer", "attended", "1004", "1006")], cdr)
            self.assertEqual((cdr["callee"], cdr["disposition"]), ("1006", "answered"), cdr)
        finally:
            for party in parties.values():
                party.stop()

    def test_agent_transfers_blind_from_the_phone_and_the_customer_talks_to_the_target(self):
        self.agent_state("1004", "ready")
        self.agent_state("1005", "not_ready")
        parties = {name: RtpListener() for name in ("customer", "agent", "guest")}
        agent = self.phone("1004", "uas_answer_refer.xml", "-set", "rtp_port", str(parties["agent"].port),
                           "-set", "refer_to", "1005")
        target = self.phone("1005", "uas_answer_rtp.xml", "-set", "rtp_port", str(parties["guest"].port))
        caller = self.start_listening_caller(CALLER, "4070", parties["customer"], 12000)
        try:
            call_id = self.wait_for(
                lambda: [c for c in self.live_calls("1004") if c["state"] == "talking"])[0]["call_id"]
            self.agent_state("1005", "ready")
            # The customer and the target talk; the agent's phone sends nothing (a
            # phone that got its BYE stops sending; this one would go on).
            for name in ("customer", "guest"):
                parties[name].talk(TONES[name])
            # The listeners answer where audio comes from: a digit to the customer
            # starts the customer's.
            self.assertEqual(self.command("1004", call_id, "dtmf", {"digits": "1"})[0], 200)
            # The phone refers 3 s after answering: 202, NOTIFYs 100 and 200, then our BYE.
            self.assertEqual(agent.wait(timeout=15), 0, agent.explain())
            moved = self.wait_for(lambda: [c for c in self.live_calls("1005") if c["state"] == "talking"])[0]
            self.assertEqual((moved["call_id"], moved["queue"], moved["customer"]["name"]), (call_id, "cti", "张伟"))
            self.assertEqual([(s["kind"], s["mode"], s["from"], s["to"]) for s in moved["steps"]],
                             [("transfer", "blind", "1004", "1005")])
            status, body, _ = self.server.call("GET", "/api/v1/agents/1004", token=self.tokens["1004"])
            self.assertEqual(body["state"], "wrap_up", body)
            transferred = time.time()
            time.sleep(2.0)
            self.assert_hearing({name: parties[name] for name in ("customer", "guest")}, transferred + 0.7,
                                transferred + 2.0, {"customer": {"guest"}, "guest": {"customer"}})

            self.assertEqual(caller.wait(timeout=30), 0, caller.explain())
            self.assertEqual(target.wait(timeout=10), 0, target.explain())
            cdr = self.cdr(caller.trace(), did="4070")
            self.assertEqual((cdr["callee"], cdr["agent"]), ("1005", "1005"), cdr)
            self.assertEqual([(e["kind"], e["mode"], e["from"], e["to"]) for e in cdr["events"]],
                             [("transfer", "blind", "1004", "1005")], cdr)
        finally:
            for party in parties.values():
                party.stop()

    def test_a_caller_from_the_trunk_cannot_transfer_the_call_elsewhere(self):
        # Toll fraud: a caller talking to an agent refers the call to an international
        # number. unicc answers 403 and places nothing (an INVITE to the trunk would
        # reach the caller's SIPp, which fails on anything unexpected).
        self.agent_state("1004", "ready")
        self.agent_state("1005", "not_ready")
        listener = RtpListener()
        agent = self.phone("1004", "uas_answer_rtp.xml", "-set", "rtp_port", str(listener.port))
        caller = Sipp(self.sip_port, "trunk_caller_refer.xml", "-s", "8613900006666", "-set", "dial", "4070",
                      "-set", "rtp_port", str(listener.port), "-set", "refer_to", "0088123456789",
                      port=self.trunk_port)
        try:
            self.assertEqual(caller.wait(timeout=30), 0, caller.explain())
            self.assertEqual(agent.wait(timeout=10), 0, agent.explain())
            cdr = self.cdr(caller.trace(), did="4070")
            self.assertEqual((cdr["callee"], cdr["events"]), ("1004", []), cdr)
        finally:
            listener.stop()

    def test_agent_phone_consults_the_target_itself_then_transfers_with_replaces(self):
        self.agent_state("1004", "ready")
        self.agent_state("1005", "not_ready")
        parties = {name: RtpListener() for name in ("customer", "agent", "guest")}
        second_line = RtpListener()
        port = free_udp_port()
        self.register("1004", port=port)
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.bind(("127.0.0.1", port))
        phone = ConsultingPhone(sock, "1004", "demo1004", self.sip_port, parties["agent"].port)

        def consult_then_transfer(p):
            p.answer()
            time.sleep(1.0)
            p.hold()
            p.call("1006", self.sip_port, second_line.port)
            time.sleep(1.5)
            p.transfer("1006", self.sip_port)

        target = self.phone("1006", "uas_answer_rtp.xml", "-set", "rtp_port", str(parties["guest"].port))
        running = ConsultingPhoneThread(phone, consult_then_transfer)
        # The customer is held by the phone's re-INVITE (mirrored to them), and resumed
        # once 1006 has taken over.
        caller = Sipp(self.sip_port, "trunk_caller_held.xml", "-s", CALLER, "-set", "dial", "4070",
                      "-set", "rtp_port", str(parties["customer"].port), "-d", "14000", port=self.trunk_port)
        try:
            call_id = self.wait_for(
                lambda: [c for c in self.live_calls("1004") if c["state"] == "talking"])[0]["call_id"]
            for name in ("customer", "guest"):  # (the agent's phone, hung up in the end, stays quiet)
                parties[name].talk(TONES[name])
            self.assertEqual(self.command("1004", call_id, "dtmf", {"digits": "1"})[0], 200)  # starts the audio
            self.assertTrue(running.wait(25), phone.log)
            self.assertIsNone(running.error, phone.log)
            self.assertTrue(phone.referred.startswith("SIP/2.0 202"), phone.referred)
            self.assertEqual(phone.notified, ["SIP/2.0 100 Trying", "SIP/2.0 200 OK"])
            status, body, _ = self.server.call("GET", "/api/v1/calls", token=self.admin)
            moved = [c for c in body["items"] if c["call_id"] == call_id][0]
            self.assertEqual((moved["state"], moved["agent"]), ("talking", "1006"), moved)
            status, body, _ = self.server.call("GET", "/api/v1/agents/1004", token=self.tokens["1004"])
            self.assertEqual(body["state"], "wrap_up", body)
            # 1006's media moved to the customer's call (a re-INVITE): they hear each other.
            handed_over = time.time()
            time.sleep(2.0)
            self.assert_hearing({name: parties[name] for name in ("customer", "guest")}, handed_over + 0.7,
                                handed_over + 2.0, {"customer": {"guest"}, "guest": {"customer"}})

            self.assertEqual(caller.wait(timeout=30), 0, caller.explain())
            self.assertEqual(target.wait(timeout=10), 0, target.explain())
            cdr = self.cdr(caller.trace(), did="4070")
            self.assertEqual([(e["kind"], e["mode"], e["from"], e["to"]) for e in cdr["events"]],
                             [("transfer", "attended", "1004", "1006")], cdr)
            self.assertEqual((cdr["callee"], cdr["disposition"]), ("1006", "answered"), cdr)
        finally:
            for party in list(parties.values()) + [second_line]:
                party.stop()
            sock.close()

    def test_agent_answers_on_the_desktop_and_the_phone_is_asked_to_answer(self):
        # 1005's phone does not answer by itself: Answer on the desktop rings it again
        # asking it to answer at once, and it does.
        self.agent_state("1004", "not_ready")
        self.agent_state("1005", "ready")
        phone = self.phone("1005", "uas_answer_on_hint.xml", "-m", "2")
        listener = RtpListener()
        # (Another customer: the blind transfer test counts 张伟's calls.)
        caller = self.start_listening_caller("8613900007777", "4070", listener, 8000)
        try:
            call_id = self.wait_for(
                lambda: [c for c in self.live_calls("1005") if c["state"] == "offered"])[0]["call_id"]
            status, body, _ = self.command("1004", call_id, "answer")
            self.assertEqual(status, 403, body)  # not 1004's call
            for _ in range(2):  # a double click rings once more, not twice
                status, body, _ = self.command("1005", call_id, "answer")
                self.assertEqual(status, 200, body)
            talking = self.wait_for(lambda: [c for c in self.live_calls("1005") if c["state"] == "talking"])
            # An unknown caller: the agent fills in the record mid-call, and it is the call's.
            self.assertIsNone(talking[0]["customer"], talking)
            status, created, _ = self.as_agent("1005", "POST", "/api/v1/customers",
                                               {"name": "李娜", "phones": ["139 0000 7777"]})
            self.assertEqual(status, 201, created)
            self.wait_for(lambda: [c for c in self.live_calls("1005")
                                   if (c["customer"] or {}).get("id") == created["id"]])
            self.assertEqual(caller.wait(timeout=30), 0, caller.explain())
            self.assertEqual(phone.wait(timeout=10), 0, phone.explain())
            self.assertEqual(phone.trace().count("answer-after=0"), 1, phone.trace())
            cdr = self.cdr(caller.trace(), did="4070")
            self.assertEqual((cdr["agent"], cdr["disposition"], cdr["customer_id"]),
                             ("1005", "answered", created["id"]), cdr)
        finally:
            listener.stop()
