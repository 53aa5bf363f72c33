"""The ACD on real calls: queues, skills and agents set up over REST (and one queue in
the configuration file), SIPp callers from a trunk into flows that queue them, SIPp
phones as agents. Checked from the CDRs, the callbacks list and the event stream:
longest-idle and best-skill distribution, per-call skills, last-agent routing,
position announcements over the hold music, callback in queue (also across a
restart), and overflow to a flow, a number and a mailbox."""
import math
import time
import unittest

from harness import EventStream
from ivr_support import IvrServerTest, queue_flow
from sip_test import Sipp, free_udp_port

# Queues routed by the ACD: from the configuration file ("acd"), and over REST
# (best-skill routing, position announcements, last-agent routing, callback-in-queue).
ACD_FLOW = queue_flow("ivr-acd", "4052", "acd")
SKILLED_FLOW = queue_flow("ivr-skilled", "4053", "skilled")
ANNOUNCE_FLOW = queue_flow("ivr-announce", "4054", "announced")
CALLBACK_FLOW = queue_flow("ivr-callback", "4055", "callback")
LOYAL_FLOW = queue_flow("ivr-loyal", "4056", "loyal")
SPILL_FLOW = queue_flow("ivr-spill", "4057", "spill")
UNSTAFFED_FLOW = queue_flow("ivr-unstaffed", "4058", "unstaffed")
DETOUR_FLOW = queue_flow("ivr-detour", "4059", "detour")
# Callers who need Mandarin: the skilled queue's calls that also need that skill.
MANDARIN_FLOW = {"name": "ivr-mandarin", "dids": ["4060"], "start": "wait",
                 "nodes": {"wait": {"type": "queue", "queue": "skilled", "skills": ["mandarin:5"], "on_failure": "bye"},
                           "bye": {"type": "hangup"}}}
# Where the detour queue's callers go after their maximum wait: a flow of its own,
# without a number.
AFTER_WAIT_FLOW = {"name": "ivr-after-wait", "start": "out",
                   "nodes": {"out": {"type": "transfer", "to": "1003", "on_failure": "bye"},
                             "bye": {"type": "hangup"}}}


class AcdCallsTest(IvrServerTest):
    """The unicc both groups of tests run against, one each (ctest runs them side by side)."""

    @classmethod
    def setUpClass(cls):
        cls.start_server(
            '[[queue]]\nname = "acd"\nstrategy = "longest_idle"\nring_timeout_s = 8\n'
            '[[agent]]\nextension = "1004"\nname = "Agent A"\nqueues = "acd"\n'
            '[[agent]]\nextension = "1005"\nname = "Agent B"\nqueues = "acd"\n')
        cls.publish(ACD_FLOW, SKILLED_FLOW, ANNOUNCE_FLOW, CALLBACK_FLOW, LOYAL_FLOW, SPILL_FLOW, UNSTAFFED_FLOW,
                    DETOUR_FLOW, AFTER_WAIT_FLOW, MANDARIN_FLOW)
        # Queues, skills and agents over REST, as an administrator sets them up.
        for path, body in [
                ("/api/v1/skills/english", {}),
                ("/api/v1/skills/mandarin", {}),
                ("/api/v1/queues/skilled", {"strategy": "best_skill", "skills": [{"skill": "english"}],
                                            "ring_timeout_s": 8}),
                ("/api/v1/agents/1006", {"name": "Expert", "skills": [{"skill": "english", "level": 9}]}),
                ("/api/v1/agents/1007", {"name": "Novice", "skills": [{"skill": "english", "level": 4},
                                                                     {"skill": "mandarin", "level": 8}]}),
                ("/api/v1/agents/1008", {"name": "Skilled", "skills": [{"skill": "english", "level": 6}]}),
                ("/api/v1/queues/announced", {"groups": ["announced"], "music": "hold.wav",
                                              "announce_position": True}),
                ("/api/v1/agents/1009", {"name": "Away", "groups": ["announced", "callback", "spill", "detour"]}),
                ("/api/v1/queues/callback", {"groups": ["callback"], "callback_key": "2", "callback_retry_s": 3,
                                             "callback_attempts": 2}),
                ("/api/v1/queues/loyal", {"groups": ["loyal"], "last_agent_wait_s": 20}),
                ("/api/v1/agents/1001", {"groups": ["loyal"]}),
                ("/api/v1/agents/1010", {"groups": ["loyal"]}),
                ("/api/v1/queues/spill", {"groups": ["spill"], "max_wait_s": 2, "overflow": {"number": "1003"}}),
                ("/api/v1/queues/unstaffed", {"groups": ["nobody"], "overflow": {"voicemail": "after-hours"}}),
                ("/api/v1/queues/detour", {"groups": ["detour"], "max_wait_s": 2,
                                           "overflow": {"flow": "ivr-after-wait"}})]:
            status, reply, _ = cls.server.call("PUT", path, body, token=cls.admin)
            assert status in (200, 201), (path, reply)


class AcdRoutingTest(AcdCallsTest):
    """Who gets the call."""

    def test_acd_routes_queue_calls_to_the_longest_idle_agent(self):
        status, body, _ = self.server.call("GET", "/api/v1/agents", token=self.admin)
        self.assertEqual(status, 200, body)
        states = {a["extension"]: a["state"] for a in body["items"]}
        self.assertEqual((states["1004"], states["1005"]), ("logged_out", "logged_out"))
        # Nobody logged in: the call leaves the queue at once and the flow hangs up.
        alone = self.caller("ivr_caller_rfc4733.xml", "-mp", str(free_udp_port()), did="4052")
        alone.wait()
        trace = self.cdr(alone.trace(), did="4052")["ivr"]
        self.assertEqual([(step["node"], step["note"]) for step in trace["steps"]][-1][0], "bye", trace)
        # Two agents, 1004 ready first: longest-idle alternates between them. Each SIPp
        # phone answers one call, so both are started again for the second pair (1005's
        # waits through two calls: longer than one call's SIPp timeout under ASan).
        for extension in ("1004", "1005"):
            self.agent_state(extension, "ready")
            time.sleep(0.2)
        callees = []
        for _ in range(2):
            phones = [self.phone(extension, "uas_answer.xml", timeout="120s") for extension in ("1004", "1005")]
            for _ in range(2):
                caller = self.caller("ivr_caller_rfc4733.xml", "-mp", str(free_udp_port()), did="4052")
                self.assertEqual(caller.wait(), 0, caller.explain())
                cdr = self.cdr(caller.trace(), did="4052")
                self.assertEqual(cdr["ivr"]["exit"], "queued", cdr["ivr"])
                callees.append(cdr["callee"])
                time.sleep(0.3)
            for phone in phones:
                self.assertEqual(phone.wait(timeout=10), 0, phone.explain())
        self.assertEqual(callees, ["1004", "1005", "1004", "1005"])
        status, body, _ = self.server.call("GET", "/api/v1/agents", token=self.admin)
        states = {a["extension"]: a["state"] for a in body["items"]}
        self.assertEqual((states["1004"], states["1005"]), ("ready", "ready"))
        # Every change is in the agent's state log: logged in, ready, then per call
        # rung (reserved), talking, and ready again.
        deadline = time.time() + 5
        while time.time() < deadline:
            status, body, _ = self.server.call("GET", "/api/v1/agents/1004/states", token=self.admin)
            self.assertEqual(status, 200, body)
            states = [change["to"] for change in reversed(body["items"])]
            if states and states[-1] == "ready" and states.count("on_call") == 2:
                break
            time.sleep(0.2)
        self.assertEqual(states[:2], ["not_ready", "ready"], body)
        self.assertEqual((states.count("reserved"), states.count("on_call"), states[-1]), (2, 2, "ready"), body)

    def test_best_skill_routes_to_the_most_skilled_ready_agent(self):
        # Ready in the order a longest-idle queue would serve: novice, skilled, expert.
        for extension in ("1007", "1008", "1006"):
            self.agent_state(extension, "ready")
            time.sleep(0.2)
        # Phones wait through several calls (slow under ASan on a loaded machine).
        phones = {extension: self.phone(extension, "uas_answer.xml", timeout="120s")
                  for extension in ("1006", "1007", "1008")}
        events = EventStream(self.server, self.admin)
        callees = []
        try:
            for n in range(4):
                if n == 3:
                    self.agent_state("1006", "not_ready")  # the expert takes a break
                caller = self.caller("ivr_caller_rfc4733.xml", "-mp", str(free_udp_port()), did="4053")
                self.assertEqual(caller.wait(), 0, caller.explain())
                cdr = self.cdr(caller.trace(), did="4053")
                self.assertEqual(cdr["ivr"]["exit"], "queued", cdr["ivr"])
                callees.append(cdr["callee"])
                answered = phones[cdr["callee"]]
                self.assertEqual(answered.wait(timeout=10), 0, answered.explain())
                phones[cdr["callee"]] = self.phone(cdr["callee"], "uas_answer.xml", timeout="120s")
            # A caller the flow says needs Mandarin gets the one agent who speaks it,
            # where best-skill in English alone would pick 1008.
            phones["1007"].process.kill()  # a fresh phone: this one may have waited out SIPp's timeout
            phones["1007"].process.wait()
            phones["1007"] = self.phone("1007", "uas_answer.xml")
            caller = self.caller("ivr_caller_rfc4733.xml", "-mp", str(free_udp_port()), did="4060")
            self.assertEqual(caller.wait(), 0, caller.explain())
            cdr = self.cdr(caller.trace(), did="4060")
            self.assertEqual((cdr["callee"], cdr["disposition"]), ("1007", "answered"), cdr)
            self.assertEqual(phones["1007"].wait(timeout=10), 0, phones["1007"].explain())
        finally:
            for phone in phones.values():
                phone.process.kill()
                phone.process.wait()
            events.close()
        self.assertEqual(callees, ["1006", "1006", "1006", "1008"])
        # The wallboard's stream saw each call's life in the queue, and the agents' states.
        calls = [(e["event"], e["agent"]) for e in events.of_type("queue_call") if e["queue"] == "skilled"]
        self.assertEqual(calls[:4], [("queued", ""), ("offered", "1006"), ("answered", "1006"), ("completed", "1006")],
                         calls)
        self.assertEqual(calls.count(("answered", "1008")), 1, calls)
        self.assertIn(("1006", "not_ready"), [(e["extension"], e["state"]) for e in events.of_type("agent")])
        status, body, _ = self.server.call("GET", "/api/v1/agents", token=self.admin)
        states = {a["extension"]: a["state"] for a in body["items"]}
        self.assertEqual((states["1006"], states["1007"], states["1008"]), ("not_ready", "ready", "ready"), body)
        for extension in ("1006", "1007", "1008"):
            self.agent_state(extension, "logged_out")
        # The reports count what this test did: five calls into skilled (the Mandarin
        # caller's too), each answered by the agent its CDR names. A visit is written
        # once its agent leaves wrap-up: logging out above ends that.
        now = int(time.time() * 1000)
        span = f"from={now - 86400000}&to={now + 86400000}"
        deadline = time.time() + 10
        while True:
            status, queues, _ = self.server.call("GET", f"/api/v1/reports/queues?queue=skilled&{span}",
                                                 token=self.admin)
            self.assertEqual(status, 200, queues)
            if (queues["rows"] and queues["rows"][0]["answered"] == 5) or time.time() > deadline:
                break
            time.sleep(0.2)
        row = queues["rows"][0]
        self.assertEqual((row["offered"], row["answered"], row["abandoned"], row["handled"]), (5, 5, 0, 5), row)
        status, agents, _ = self.server.call("GET", f"/api/v1/reports/agents?{span}", token=self.admin)
        contacts = {r["agent"]: r["contacts"] for r in agents["rows"] if r["agent"] in ("1006", "1007", "1008")}
        answered_by = callees + [cdr["callee"]]
        self.assertEqual(contacts, {a: answered_by.count(a) for a in set(answered_by)}, agents)

    def test_a_returning_caller_gets_the_agent_who_served_them_last(self):
        for extension in ("1001", "1010"):  # 1001 is idle the longest
            self.agent_state(extension, "ready")
            time.sleep(0.2)
        phones = {extension: self.phone(extension, "uas_answer.xml", timeout="120s") for extension in ("1001", "1010")}
        callees = []
        try:
            for number in ("8613900005555", "8613900005555", "8613900006666"):
                caller = Sipp(self.sip_port, "ivr_caller_rfc4733.xml", "-s", number, "-set", "dial", "4056",
                              "-mp", str(free_udp_port()), port=self.trunk_port)
                self.assertEqual(caller.wait(), 0, caller.explain())
                callee = self.cdr(caller.trace(), did="4056")["callee"]
                callees.append(callee)
                self.assertEqual(phones[callee].wait(timeout=10), 0, phones[callee].explain())
                phones[callee] = self.phone(callee, "uas_answer.xml", timeout="120s")
        finally:
            for phone in phones.values():
                phone.process.kill()
                phone.process.wait()
            for extension in ("1001", "1010"):
                self.agent_state(extension, "logged_out")
        # Longest-idle alone would give 1001, 1010, 1001; the returning caller gets 1001
        # again, and the next caller the agent idle the longest.
        self.assertEqual(callees, ["1001", "1001", "1010"])

    def test_waiting_caller_hears_their_position_over_the_hold_music(self):
        self.agent_state("1009", "not_ready")  # logged in, so the call waits; nobody takes it
        try:
            _, windows = self.listening_caller("8613900004444", "4054")
            speech = [start for start, tone, level in windows if level > 300 and tone < 0.3 * level * math.sqrt(2)]
            music = [start for start, tone, level in windows if level > 1000 and tone > 0.8 * level * math.sqrt(2)]
            # The position is read on entry, then the music plays.
            self.assertTrue(speech and speech[0] < 2.0, windows)
            self.assertTrue(any(start > max(speech) for start in music), windows)
        finally:
            self.agent_state("1009", "logged_out")


class AcdWaitingTest(AcdCallsTest):
    """What a waiting caller can do, and where the call goes when nobody takes it."""

    def ask_for_a_callback(self):
        """A caller on the callback queue presses 2 and hangs up; returns the SIP Call-ID."""
        caller = self.caller("ivr_caller_callback.xml", "-mp", str(free_udp_port()), did="4055")
        self.assertEqual(caller.wait(), 0, caller.explain())  # confirmed, and unicc hung up
        cdr = self.cdr(caller.trace(), did="4055")
        self.assertEqual(cdr["disposition"], "answered", cdr)
        return cdr["call_id"]

    def callbacks(self, state):
        status, body, _ = self.server.call("GET", f"/api/v1/callbacks?state={state}&queue=callback",
                                           token=self.admin)
        self.assertEqual(status, 200, body)
        return body["items"]

    def expect_a_call_back(self, call_id):
        """Agent 1009 becomes ready: unicc rings them first, then dials the customer over
        the trunk (prefix 0 and their number) and bridges the two."""
        peers = []
        try:
            agent = self.phone("1009", "uas_answer.xml")
            customer = Sipp(self.sip_port, "uas_answer_hangup.xml", "-mp", str(free_udp_port()),
                            port=self.trunk_port)
            peers += [agent, customer]
            time.sleep(0.3)
            status, body, _ = self.server.call("POST", "/api/v1/agents/1009/state", {"state": "ready"},
                                               token=self.admin)
            # Reserved at once for the callback; the answer reads the state after the change, so a
            # fast agent phone may already have answered (on_call) when it is written.
            self.assertEqual(status, 200, body)
            self.assertIn(body["state"], ("reserved", "on_call"), body)
            self.assertEqual(customer.wait(), 0, customer.explain())
            self.assertEqual(agent.wait(timeout=10), 0, agent.explain())
            self.assertIn("INVITE sip:8613900001111@", customer.trace())
            # The customer sees the number they called, not their own.
            invite = customer.trace().split("INVITE sip:", 1)[1].split("\n\n", 1)[0]
            self.assertIn("From: \"4055\" <sip:4055@", invite)
            self.assertIn("8613900001111", agent.trace().split("INVITE", 1)[1].split("\n\n", 1)[0])
            deadline = time.time() + 10
            while time.time() < deadline:
                done = [c for c in self.callbacks("completed") if c["call_id"] == call_id]
                if done:
                    break
                time.sleep(0.2)
            self.assertTrue(done, self.callbacks(""))
            self.assertEqual((done[0]["agent"], done[0]["number"], done[0]["outcome"]),
                             ("1009", "08613900001111", ""), done[0])
        finally:
            for peer in peers:
                peer.process.kill()
                peer.process.wait()
            self.server.call("POST", "/api/v1/agents/1009/state", {"state": "logged_out"}, token=self.admin)

    def test_a_caller_who_asks_for_a_callback_is_called_back_when_an_agent_is_free(self):
        self.agent_state("1009", "not_ready")
        call_id = self.ask_for_a_callback()
        self.assertIn(call_id, [c["call_id"] for c in self.callbacks("waiting")])
        self.expect_a_call_back(call_id)
        status, body, _ = self.server.call("GET", "/api/v1/cdrs?limit=20", token=self.admin)
        called_back = [c for c in body["items"] if c["direction"] == "originated"]
        self.assertTrue(called_back, body)
        self.assertEqual((called_back[0]["caller"], called_back[0]["dialled"], called_back[0]["disposition"]),
                         ("8613900001111", "1009", "answered"), called_back[0])
        status, body, _ = self.server.call("GET", "/api/v1/agents/1009/states", token=self.admin)
        self.assertIn("on_call", [change["to"] for change in body["items"]], body)

    def test_a_busy_customer_is_called_back_again_after_the_retry_time(self):
        self.agent_state("1009", "not_ready")
        call_id = self.ask_for_a_callback()
        agent = self.phone("1009", "uas_answer.xml")
        customer = Sipp(self.sip_port, "uas_busy.xml", "-mp", str(free_udp_port()), port=self.trunk_port)
        try:
            time.sleep(0.3)
            status, body, _ = self.server.call("POST", "/api/v1/agents/1009/state", {"state": "ready"},
                                               token=self.admin)
            self.assertEqual(status, 200, body)
            self.assertIn(body["state"], ("reserved", "on_call"), body)
            self.assertEqual(customer.wait(), 0, customer.explain())  # busy
            self.assertEqual(agent.wait(timeout=10), 0, agent.explain())  # unicc hung up on the agent
        finally:
            for peer in (agent, customer):
                peer.process.kill()
                peer.process.wait()
        self.agent_state("1009", "not_ready")  # until the phone for the next attempt is up
        deadline = time.time() + 5
        while time.time() < deadline:
            waiting = [c for c in self.callbacks("waiting") if c["call_id"] == call_id and c["attempts"] == 1]
            if waiting:
                break
            time.sleep(0.1)
        self.assertTrue(waiting, self.callbacks(""))
        self.assertEqual((waiting[0]["outcome"], waiting[0]["agent"]), ("busy", "1009"), waiting[0])
        time.sleep(max(0.0, waiting[0]["retry_at"] / 1000 - time.time()) + 0.5)  # queued again by now
        self.expect_a_call_back(call_id)
        done = [c for c in self.callbacks("completed") if c["call_id"] == call_id]
        self.assertEqual(done[0]["attempts"], 1, done)

    def test_a_supervisor_takes_back_a_waiting_callback(self):
        self.agent_state("1009", "not_ready")
        call_id = self.ask_for_a_callback()
        waiting = [c for c in self.callbacks("waiting") if c["call_id"] == call_id]
        self.assertEqual(len(waiting), 1, self.callbacks(""))
        path = f"/api/v1/callbacks/{waiting[0]['id']}"
        status, reply, _ = self.server.call("DELETE", path, token=self.admin)
        self.assertEqual(status, 204, reply)
        status, reply, _ = self.server.call("DELETE", path, token=self.admin)
        self.assertEqual((status, reply["error"]["code"]), (409, "not_waiting"), reply)
        status, reply, _ = self.server.call("DELETE", "/api/v1/callbacks/999999", token=self.admin)
        self.assertEqual(status, 404, reply)
        deadline = time.time() + 5
        while time.time() < deadline:
            cancelled = [c for c in self.callbacks("cancelled") if c["call_id"] == call_id]
            if cancelled:
                break
            time.sleep(0.1)
        self.assertEqual(cancelled[0]["outcome"], "cancelled by admin", cancelled)
        self.agent_state("1009", "ready")  # nobody to call back: the agent stays ready
        self.agent_state("1009", "logged_out")
        deadline = time.time() + 5
        while time.time() < deadline:  # the audit log is written behind the answer
            status, body, _ = self.server.call("GET", "/api/v1/audit?action=callback.cancel", token=self.admin)
            if body["items"]:
                break
            time.sleep(0.1)
        self.assertEqual([e["target"] for e in body["items"]], [f"callback:{waiting[0]['id']}"], body)

    def test_a_callback_request_outlives_a_restart(self):
        self.agent_state("1009", "not_ready")
        call_id = self.ask_for_a_callback()
        waiting = [c for c in self.callbacks("waiting") if c["call_id"] == call_id]
        self.assertEqual(len(waiting), 1, self.callbacks(""))
        self.server.restart()  # agents come back logged out; the request waits for them
        status, body, _ = self.server.call("GET", "/api/v1/agents", token=self.admin)
        self.assertEqual({a["extension"]: a["state"] for a in body["items"]}["1009"], "logged_out", body)
        self.assertIn(call_id, [c["call_id"] for c in self.callbacks("waiting")])
        self.expect_a_call_back(call_id)

    def overflowing_call_answered_at_1003(self, did):
        """A call to `did` waits out its queue's maximum wait (agent 1009 is logged in but
        not ready) and is answered at 1003; its CDR."""
        self.agent_state("1009", "not_ready")
        try:
            phone = self.phone("1003", "uas_answer.xml")
            caller = self.caller("ivr_caller_rfc4733.xml", "-mp", str(free_udp_port()), did=did)
            self.assertEqual(caller.wait(), 0, caller.explain())
            self.assertEqual(phone.wait(timeout=10), 0, phone.explain())
            cdr = self.cdr(caller.trace(), did=did)
            self.assertEqual((cdr["callee"], cdr["disposition"]), ("1003", "answered"), cdr)
            return cdr
        finally:
            self.agent_state("1009", "logged_out")

    def test_a_call_waiting_too_long_overflows_to_another_flow(self):
        # The CDR's trace: the overflow flow's transfer, after the queue of the first.
        trace = self.overflowing_call_answered_at_1003("4059")["ivr"]
        self.assertEqual((trace["flow"], trace["exit"], trace["exit_target"]),
                         ("ivr-after-wait", "transferred", "1003"), trace)
        self.assertEqual((trace["previous"]["flow"], trace["previous"]["exit_target"]), ("ivr-detour", "detour"),
                         trace)

    def test_a_call_waiting_too_long_overflows_to_the_queues_number(self):
        self.overflowing_call_answered_at_1003("4057")

    def test_a_queue_nobody_staffs_overflows_to_its_voicemail(self):
        caller = Sipp(self.sip_port, "ivr_caller_listen.xml", "-s", "8613900007777", "-set", "dial", "4058",
                      "-set", "rtp_port", str(free_udp_port()), "-d", "13000", port=self.trunk_port)
        self.assertEqual(caller.wait(), 0, caller.explain())
        deadline = time.time() + 10
        while time.time() < deadline:
            status, body, _ = self.server.call("GET", "/api/v1/voicemails?mailbox=after-hours", token=self.admin)
            if status == 200 and body["items"]:
                break
            time.sleep(0.2)
        self.assertEqual([m["caller"] for m in body["items"]], ["8613900007777"], body)
        # The caller listened 13 s: the greeting and the tone, then the message.
        self.assertGreater(body["items"][0]["duration_ms"], 3000, body)
        # The reports count the call busy: the queue could not take it (nobody logged in).
        now = int(time.time() * 1000)
        deadline = time.time() + 10
        while True:
            status, queues, _ = self.server.call(
                "GET", f"/api/v1/reports/queues?queue=unstaffed&from={now - 86400000}&to={now + 86400000}",
                token=self.admin)
            self.assertEqual(status, 200, queues)
            if queues["rows"] or time.time() > deadline:
                break
            time.sleep(0.2)
        row = queues["rows"][0]
        self.assertEqual((row["offered"], row["overflowed"], row["busy"], row["busy_rate"]), (1, 1, 1, 1.0), row)


if __name__ == "__main__":
    unittest.main()
