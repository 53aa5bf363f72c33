"""A supervisor on a real call: a SIPp caller from the trunk talks to an agent's SIPp
phone through a queue; the supervisor's SIPp phone is called by unicc and joined.
Every party says a tone of its own and what each hears is checked by tone
detection: in listen the supervisor hears customer and agent and neither hears the
supervisor, and their own audio goes on without a gap; in whisper the agent hears
the supervisor and the customer does not; in barge all three hear each other; after
an intercept the customer and the supervisor talk and the agent's leg has ended.
The call's CDR and the audit log record the monitoring; agents may not monitor and
a quality inspector may only listen."""
import json
import time
import urllib.parse

from ivr_support import IvrServerTest, RtpListener, queue_flow

MONITOR_FLOW = queue_flow("ivr-monitor", "4071", "watch")
CALLERS = {"listen": "8613900006666", "intercept": "8613900006667"}


class MonitorCallTest(IvrServerTest):
    tones = {"customer": 500, "agent": 700, "supervisor": 900}

    @classmethod
    def setUpClass(cls):
        cls.start_server(
            '[[queue]]\nname = "watch"\nstrategy = "longest_idle"\nring_timeout_s = 8\nwrap_up_s = 60\n'
            '[[agent]]\nextension = "1004"\nname = "Agent A"\nqueues = "watch"\nauto_answer = true\n')
        cls.publish(MONITOR_FLOW)
        cls.sign_in_agents("1004")
        for username, role, extension in (("boss", "supervisor", "1006"), ("inspector", "qa", "1007")):
            status, body, _ = cls.server.call("POST", "/api/v1/users", {
                "username": username, "password": "password-of-" + username, "role": role,
                "extension": extension}, token=cls.admin)
            assert status == 201, body
            cls.tokens[username] = cls.server.login(username, "password-of-" + username)

    def monitor(self, user, call_id, body, method="POST", action="monitor"):
        return self.server.call(method, f"/api/v1/calls/{urllib.parse.quote(call_id, safe='')}/{action}", body,
                                token=self.tokens[user])

    def talking_call(self):
        status, body, _ = self.server.call("GET", "/api/v1/calls", token=self.admin)
        self.assertEqual(status, 200, body)
        return [c for c in body["items"] if c["caller"] == self.caller_number and c["state"] == "talking"]

    def audit(self, action):
        status, body, _ = self.server.call("GET", f"/api/v1/audit?action={action}", token=self.admin)
        self.assertEqual(status, 200, body)
        return [dict(entry, detail=json.loads(entry["detail"])) for entry in body["items"]]

    @staticmethod
    def packets_short(listener, since, until):
        """How many of the 20 ms packets the party should have had between two times
        are missing. Arrival times alone would not do: the test's own senders and
        readers are Python threads that a loaded machine may stall for 100 ms or more
        (a stalled sender catches up in a burst, so nothing is missing), while a gap
        made by unicc loses audio."""
        received = sum(1 for at, _ in listener.packets if since <= at <= until)
        return round((until - since) / 0.02) - received

    def start_call(self, caller, milliseconds):
        """The customer `caller` talking to agent 1004, each party saying its tone."""
        self.caller_number = caller
        self.agent_state("1004", "ready")
        parties = {name: RtpListener() for name in self.tones}
        phones = {
            "agent": self.phone("1004", "uas_answer_rtp.xml", "-set", "rtp_port", str(parties["agent"].port)),
            "supervisor": self.phone("1006", "uas_answer_rtp.xml", "-set", "rtp_port",
                                     str(parties["supervisor"].port)),
        }
        phones["customer"] = self.start_listening_caller(caller, "4071", parties["customer"], milliseconds)
        call_id = self.wait_for(lambda: [c for c in self.talking_call() if c["agent"] == "1004"])[0]["call_id"]
        for name in ("customer", "agent"):
            parties[name].talk(self.tones[name])
        # (Listeners talk back once they hear something: digits to the customer start it.)
        status, body, _ = self.command("1004", call_id, "dtmf", {"digits": "1"})
        self.assertEqual(status, 200, body)
        self.wait_for(lambda: parties["agent"].packets)
        return parties, phones, call_id

    def test_listen_whisper_and_barge_each_reach_whom_they_should(self):
        parties, phones, call_id = self.start_call(CALLERS["listen"], 18000)
        try:
            # Who may: not an agent, a quality inspector only to listen, and only with a known mode.
            status, body, _ = self.monitor("1004", call_id, {"supervisor": "1004", "mode": "listen"})
            self.assertEqual(status, 403, body)
            status, body, _ = self.monitor("inspector", call_id, {"mode": "whisper"})
            self.assertEqual((status, body["error"]["code"]), (403, "forbidden"), body)
            status, body, _ = self.monitor("boss", call_id, {"mode": "spy"})
            self.assertEqual((status, body["error"]["code"]), (400, "invalid_field"), body)
            status, body, _ = self.monitor("boss", "no-such-call", {"mode": "listen"})
            self.assertEqual(status, 404, body)
            time.sleep(1.0)

            joined = time.time()
            for _ in range(2):  # a double click calls the supervisor once
                status, body, _ = self.monitor("boss", call_id, {"supervisor": "1006", "mode": "listen"})
                self.assertEqual((status, body["monitor"]["supervisor"], body["monitor"]["mode"]),
                                 (200, "1006", "listen"), body)
            self.wait_for(lambda: [c for c in self.talking_call() if (c["monitor"] or {}).get("answered")])
            parties["supervisor"].talk(self.tones["supervisor"])
            time.sleep(2.5)
            listening = time.time()
            self.assert_hearing(parties, listening - 1.5, listening, {
                "customer": {"agent"}, "agent": {"customer"}, "supervisor": {"customer", "agent"}})
            # The supervisor joining made no gap in what customer and agent hear.
            for name in ("customer", "agent"):
                self.assertLessEqual(self.packets_short(parties[name], joined - 0.5, listening), 3, name)
            # The agent's own view of the call does not show the listener.
            status, body, _ = self.as_agent("1004", "GET", "/api/v1/calls")
            self.assertEqual([c["monitor"] for c in body["items"]], [None], body)

            status, body, _ = self.monitor("boss", call_id, {"mode": "whisper"}, method="PATCH")
            self.assertEqual((status, body["monitor"]["mode"]), (200, "whisper"), body)
            time.sleep(2.0)
            whispering = time.time()
            self.assert_hearing(parties, whispering - 1.3, whispering, {
                "customer": {"agent"}, "agent": {"customer", "supervisor"}, "supervisor": {"customer", "agent"}})

            status, body, _ = self.monitor("boss", call_id, {"mode": "barge"}, method="PATCH")
            self.assertEqual((status, body["monitor"]["mode"]), (200, "barge"), body)
            time.sleep(2.0)
            barging = time.time()
            self.assert_hearing(parties, barging - 1.3, barging, {
                "customer": {"agent", "supervisor"}, "agent": {"customer", "supervisor"},
                "supervisor": {"customer", "agent"}})

            # The customer hangs up: every phone gets its BYE; the CDR and the audit log
            # say who was on the call, how, and for how long.
            for name, phone in phones.items():
                self.assertEqual(phone.wait(timeout=40), 0, f"{name}: {phone.explain()}")
            cdr = self.cdr(phones["customer"].trace(), did="4071")
            self.assertEqual([(e["kind"], e["mode"], e["from"]) for e in cdr["events"]],
                             [("monitor", "listen", "1006"), ("monitor", "whisper", "1006"),
                              ("monitor", "barge", "1006")], cdr)
            started = [e for e in self.audit("call.monitor") if e["target"] == f"call:{call_id}"]
            self.assertEqual(len(started), 2, started)  # each click is audited
            self.assertEqual((started[0]["actor"], started[0]["detail"]["mode"]), ("boss", "listen"), started)
            changes = [e["detail"]["mode"] for e in self.audit("call.monitor_mode") if e["target"] == f"call:{call_id}"]
            self.assertEqual(changes, ["barge", "whisper"])
            ended = self.wait_for(lambda: [e for e in self.audit("call.monitor_ended")
                                           if e["target"] == f"call:{call_id}"])
            detail = ended[0]["detail"]
            self.assertEqual((detail["supervisor"], detail["modes"]), ("1006", ["listen", "whisper", "barge"]), detail)
            self.assertGreater(detail["duration_ms"], 5000, detail)
        finally:
            for party in parties.values():
                party.stop()

    def test_intercept_hands_the_customer_to_the_supervisor_and_ends_the_agents_leg(self):
        parties, phones, call_id = self.start_call(CALLERS["intercept"], 16000)
        try:
            parties["supervisor"].talk(self.tones["supervisor"])
            status, body, _ = self.monitor("inspector", call_id, {}, action="intercept")
            self.assertEqual(status, 403, body)
            status, body, _ = self.monitor("boss", call_id, {"supervisor": "1006"}, action="intercept")
            self.assertEqual((status, body["monitor"]["intercepting"]), (200, True), body)
            self.assertEqual(phones["agent"].wait(timeout=15), 0, phones["agent"].explain())  # its BYE
            call = self.wait_for(lambda: [c for c in self.talking_call() if c["agent"] == "1006"])[0]
            self.assertIsNone(call["monitor"], call)
            status, body, _ = self.server.call("GET", "/api/v1/agents/1004", token=self.admin)
            self.assertEqual(body["state"], "wrap_up", body)
            taken_over = time.time()
            time.sleep(2.0)
            self.assert_hearing({name: parties[name] for name in ("customer", "supervisor")},
                                taken_over + 0.7, taken_over + 2.0,
                                {"customer": {"supervisor"}, "supervisor": {"customer"}})

            self.assertEqual(phones["customer"].wait(timeout=40), 0, phones["customer"].explain())
            self.assertEqual(phones["supervisor"].wait(timeout=10), 0, phones["supervisor"].explain())
            cdr = self.cdr(phones["customer"].trace(), did="4071")
            self.assertEqual([(e["kind"], e["from"], e["to"]) for e in cdr["events"]],
                             [("intercept", "1004", "1006")], cdr)
            self.assertEqual((cdr["callee"], cdr["disposition"]), ("1006", "answered"), cdr)
            self.assertTrue([e for e in self.audit("call.intercept") if e["target"] == f"call:{call_id}"])
        finally:
            for party in parties.values():
                party.stop()
