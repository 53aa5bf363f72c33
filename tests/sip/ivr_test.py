"""The IVR on real calls: a flow published over REST answers its DID; SIPp callers
from a trunk press keys as RFC 4733 events or as tones in their audio, and the IVR
trace in the CDR shows the branch taken; the queue the flow hands the call to rings
its extension (a SIPp phone), which is then bridged to the caller; a voicemail is
recorded to the limit.

Prompts are spoken by espeak-ng (Debian package espeak-ng), as in production."""
import json
import math
import os
import socket
import struct
import tempfile
import threading
import time
import unittest
import wave

from harness import EventStream, Server, free_port
from sip_test import SCENARIOS, PhoneHelpers, Sipp, free_udp_port

FLOW = {
    "name": "ivr-test",
    "dids": ["4050"],
    "start": "welcome",
    "nodes": {
        "welcome": {"type": "play", "prompt": {"text": "Welcome", "voice": "en"}, "barge_in": True,
                    "next": "main"},
        "main": {"type": "menu", "prompt": {"text": "For sales press 2, to leave a message press 9", "voice": "en"},
                 "options": {"1": "bye", "2": "sales", "3": "balance", "9": "message"},
                 "timeout_ms": 8000, "retries": 1, "on_failure": "bye"},
        "sales": {"type": "queue", "queue": "sales", "on_failure": "bye"},
        # The URL is filled in with the server's address (the demo balance service).
        "balance": {"type": "http", "method": "GET", "url": "", "timeout_ms": 2000,
                    "assign": {"balance": "/balance"}, "next": "say-balance", "on_error": "bye"},
        "say-balance": {"type": "play", "prompt": {"text": "Your balance is ${balance}", "voice": "en"},
                        "next": "bye"},
        "message": {"type": "voicemail", "mailbox": "general", "max_seconds": 5},
        "bye": {"type": "hangup"},
    },
}


def queue_flow(name, did, queue):
    """A flow that puts every call to `did` straight into `queue`, and hangs up if the
    call leaves it without an agent."""
    return {"name": name, "dids": [did], "start": "wait",
            "nodes": {"wait": {"type": "queue", "queue": queue, "on_failure": "bye"}, "bye": {"type": "hangup"}}}


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
# A DID that goes straight to the support queue, to hear what a waiting caller hears.
HOLD_FLOW = queue_flow("ivr-hold", "4051", "support")


def alaw_to_linear(code):
    """G.711 A-law code to a 16-bit linear sample."""
    code ^= 0x55
    exponent, mantissa = (code >> 4) & 0x07, code & 0x0F
    magnitude = (mantissa << 4) + 8 if exponent == 0 else ((mantissa << 4) + 0x108) << (exponent - 1)
    return magnitude if code & 0x80 else -magnitude


def tone_amplitude(samples, frequency):
    re = sum(s * math.cos(2 * math.pi * frequency * n / 8000) for n, s in enumerate(samples))
    im = sum(s * math.sin(2 * math.pi * frequency * n / 8000) for n, s in enumerate(samples))
    return 2 * math.hypot(re, im) / len(samples)


def rms(samples):
    return math.sqrt(sum(s * s for s in samples) / len(samples)) if samples else 0.0


class RtpListener:
    """The caller's RTP socket: keeps (arrival time, payload) of every packet."""

    def __init__(self):
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.packets = []
        self.running = True
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while self.running:
            try:
                data = self.socket.recv(2048)
            except socket.timeout:
                continue
            if len(data) > 12:
                self.packets.append((time.time(), data[12:]))

    def stop(self):
        self.running = False
        self.thread.join()
        self.socket.close()

    def windows(self, seconds=0.5):
        """(start s, 440 Hz amplitude, rms) per window of the decoded audio."""
        samples = [alaw_to_linear(b) for _, payload in self.packets for b in payload]
        size = int(8000 * seconds)
        return [(i / 8000, tone_amplitude(samples[i:i + size], 440), rms(samples[i:i + size]))
                for i in range(0, len(samples) - size + 1, size)]


def write_tone_wav(path, frequency, seconds, amplitude=8000):
    with wave.open(path, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"".join(struct.pack("<h", int(amplitude * math.sin(2 * math.pi * frequency * n / 8000)))
                                 for n in range(int(8000 * seconds))))


def mulaw(sample):
    """G.711 mu-law code of a 16-bit linear sample."""
    sign = 0x80 if sample < 0 else 0
    magnitude = min(abs(sample), 32635) + 132
    exponent = max(0, int(math.log2(magnitude)) - 7)
    mantissa = (magnitude >> (exponent + 3)) & 0x0F
    return ~(sign | (exponent << 4) | mantissa) & 0xFF


# DTMF: (row, column) frequencies of each key.
KEYS = {"1": (697, 1209), "2": (697, 1336), "3": (697, 1477), "9": (852, 1477)}


def keys_audio(path, keys, lead_ms=1500, tone_ms=120, gap_ms=400, tail_ms=5000):
    """Raw mu-law: silence, then each key as a dual tone, then silence."""
    samples = [0] * (lead_ms * 8)
    for key in keys:
        low, high = KEYS[key]
        samples += [int(6000 * (math.sin(2 * math.pi * low * n / 8000) + math.sin(2 * math.pi * high * n / 8000)))
                    for n in range(tone_ms * 8)]
        samples += [0] * (gap_ms * 8)
    samples += [0] * (tail_ms * 8)
    with open(path, "wb") as f:
        f.write(bytes(mulaw(s) for s in samples))


class IvrTest(PhoneHelpers, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sip_port = free_port()
        cls.trunk_port = free_udp_port()
        cls.work = tempfile.mkdtemp(prefix="unicc-ivr-")
        os.makedirs(os.path.join(cls.work, "sounds"))
        write_tone_wav(os.path.join(cls.work, "sounds", "hold.wav"), 440, 2.0)
        rtp_base = 30000 + (os.getpid() % 200) * 100
        cls.server = Server(extra_config=(
            f'[sip]\nport = {cls.sip_port}\nring_timeout_s = 15\n'
            f'[media]\nrtp_port_min = {rtp_base}\nrtp_port_max = {rtp_base + 99}\nrecord_calls = false\n'
            f'[ivr]\nsounds_dir = "{cls.work}/sounds"\ntts_cache_dir = "{cls.work}/tts"\n'
            f'voicemail_dir = "{cls.work}/voicemail"\n'
            f'[[trunk]]\nname = "carrier"\naddress = "127.0.0.1"\nport = {cls.trunk_port}\noutbound_prefix = "0"\n'
            f'[[queue]]\nname = "sales"\nring = "1002"\n'
            f'[[queue]]\nname = "support"\nring = "1003"\nmusic = "hold.wav"\n'
            f'comfort_text = "All our agents are busy. Please hold."\ncomfort_every_s = 5\n'
            f'[[queue]]\nname = "acd"\nstrategy = "longest_idle"\nring_timeout_s = 8\n'
            f'[[agent]]\nextension = "1004"\nname = "Agent A"\nqueues = "acd"\n'
            f'[[agent]]\nextension = "1005"\nname = "Agent B"\nqueues = "acd"\n'))
        cls.admin = cls.server.login()
        FLOW["nodes"]["balance"]["url"] = cls.server.base + "/api/v1/demo/balance?number=${caller}"
        for flow in (FLOW, ACD_FLOW, SKILLED_FLOW, ANNOUNCE_FLOW, CALLBACK_FLOW, LOYAL_FLOW, HOLD_FLOW, SPILL_FLOW,
                     UNSTAFFED_FLOW, DETOUR_FLOW, AFTER_WAIT_FLOW, MANDARIN_FLOW):
            status, body, _ = cls.server.call("POST", "/api/v1/flows", flow, token=cls.admin)
            assert status == 201 and body["valid"], body
            status, body, _ = cls.server.call("POST", f"/api/v1/flows/{flow['name']}/publish", {}, token=cls.admin)
            assert status == 200, body
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
                ("/api/v1/queues/callback", {"groups": ["callback"], "callback_key": "2"}),
                ("/api/v1/queues/loyal", {"groups": ["loyal"], "last_agent_wait_s": 20}),
                ("/api/v1/agents/1001", {"groups": ["loyal"]}),
                ("/api/v1/agents/1010", {"groups": ["loyal"]}),
                ("/api/v1/queues/spill", {"groups": ["spill"], "max_wait_s": 2, "overflow": {"number": "1003"}}),
                ("/api/v1/queues/unstaffed", {"groups": ["nobody"], "overflow": {"voicemail": "after-hours"}}),
                ("/api/v1/queues/detour", {"groups": ["detour"], "max_wait_s": 2,
                                           "overflow": {"flow": "ivr-after-wait"}})]:
            status, reply, _ = cls.server.call("PUT", path, body, token=cls.admin)
            assert status in (200, 201), (path, reply)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def caller(self, scenario, *args, did="4050"):
        return Sipp(self.sip_port, scenario, "-s", "8613900001111", "-set", "dial", did, *args,
                    port=self.trunk_port)

    def cdr(self, call_trace, did="4050"):
        return super().cdr(call_trace, f"number={did}&limit=50")

    def path(self, trace):
        return [(step["node"], step["digits"], step["exit"]) for step in trace["steps"]]

    def test_rfc4733_key_takes_the_menu_branch_to_the_queue_and_the_agent_is_bridged(self):
        agent = self.phone("1002", "uas_answer.xml")
        caller = self.caller("ivr_caller_rfc4733.xml", "-mp", str(free_udp_port()))
        self.assertEqual(caller.wait(), 0, caller.explain())
        cdr = self.cdr(caller.trace())
        self.assertEqual(agent.wait(), 0, agent.explain() + json.dumps(cdr))
        self.assertIn("INVITE sip:", agent.trace())
        self.assertEqual((cdr["disposition"], cdr["callee"], cdr["direction"]), ("answered", "1002", "inbound"))
        trace = cdr["ivr"]
        self.assertEqual((trace["flow"], trace["exit"], trace["exit_target"]), ("ivr-test", "queued", "sales"))
        path = self.path(trace)
        self.assertEqual([node for node, _, _ in path], ["welcome", "main", "sales"], trace)
        self.assertIn("2", "".join(digits for _, digits, _ in path), trace)
        # The caller heard unicc's prompts before the agent: RTP went to the caller.
        self.assertGreater(cdr["rtp"]["to_caller"], 20, cdr)

    def inband_caller(self, name, keys):
        """A caller offering PCMU only, whose keys are DTMF tones in its audio."""
        audio = os.path.join(self.work, name + ".ulaw")
        keys_audio(audio, keys, tail_ms=8000)
        scenario = os.path.join(self.work, name + ".xml")
        with open(os.path.join(SCENARIOS, "ivr_caller_inband.xml")) as f:
            text = f.read().replace("AUDIO_FILE", audio)
        with open(scenario, "w") as f:
            f.write(text)
        return self.caller(scenario)

    def test_inband_tones_are_heard_when_the_caller_sends_no_telephone_events(self):
        agent = self.phone("1002", "uas_answer.xml")
        caller = self.inband_caller("keys-2", "2")
        self.assertEqual(caller.wait(), 0, caller.explain())
        self.assertEqual(agent.wait(), 0, agent.explain())
        cdr = self.cdr(caller.trace())
        trace = cdr["ivr"]
        self.assertEqual((trace["exit"], cdr["callee"]), ("queued", "1002"), trace)
        path = self.path(trace)
        self.assertEqual([node for node, _, _ in path], ["welcome", "main", "sales"], trace)
        self.assertIn("2", "".join(digits for _, digits, _ in path), trace)

    def test_http_lookup_fills_a_variable_the_next_prompt_reads(self):
        caller = self.inband_caller("keys-3", "3")
        caller.wait()  # the flow hangs up after reading the balance
        trace = self.cdr(caller.trace())["ivr"]
        self.assertEqual([(node, exit) for node, _, exit in self.path(trace)],
                         [("welcome", "next"), ("main", "options.3"), ("balance", "next"), ("say-balance", "next"),
                          ("bye", "")], trace)
        self.assertEqual(trace["exit"], "hangup_node", trace)

    def test_waiting_caller_hears_hold_music_with_comfort_announcements(self):
        agent = self.phone("1003", "uas_answer_late.xml")
        listener = RtpListener()
        caller = Sipp(self.sip_port, "ivr_caller_listen.xml", "-s", "8613900002222", "-set", "dial", "4051",
                      "-set", "rtp_port", str(listener.port), port=self.trunk_port)
        code = caller.wait()
        listener.stop()
        self.assertEqual(code, 0, caller.explain())
        self.assertEqual(agent.wait(), 0, agent.explain())
        windows = listener.windows()
        music = [start for start, tone, level in windows if level > 1000 and tone > 0.8 * level * math.sqrt(2)]
        speech = [start for start, tone, level in windows if level > 300 and tone < 0.3 * level * math.sqrt(2)]
        # Music from the start, the announcement after about 5 s, then music again.
        self.assertTrue(music and music[0] < 1.0, windows)
        self.assertTrue(any(4.0 <= start <= 7.5 for start in speech), windows)
        self.assertTrue(any(start > max(speech) for start in music), windows)
        cdr = self.cdr(caller.trace(), did="4051")
        self.assertEqual((cdr["callee"], cdr["ivr"]["exit"], cdr["ivr"]["exit_target"]), ("1003", "queued", "support"))

    def agent_state(self, extension, state):
        status, body, _ = self.server.call("POST", f"/api/v1/agents/{extension}/state", {"state": state},
                                           token=self.admin)
        self.assertEqual(status, 200, body)
        self.assertEqual(body["state"], state, body)

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
        # phone answers one call, so both are started again for the second pair.
        for extension in ("1004", "1005"):
            self.agent_state(extension, "ready")
            time.sleep(0.2)
        callees = []
        for _ in range(2):
            phones = [self.phone(extension, "uas_answer.xml") for extension in ("1004", "1005")]
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
        phones = {extension: self.phone(extension, "uas_answer.xml") for extension in ("1006", "1007", "1008")}
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
                phones[cdr["callee"]] = self.phone(cdr["callee"], "uas_answer.xml")
            # A caller the flow says needs Mandarin gets the one agent who speaks it,
            # where best-skill in English alone would pick 1008.
            phones["1007"].process.kill()  # its phone has waited past SIPp's timeout
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

    def test_a_returning_caller_gets_the_agent_who_served_them_last(self):
        for extension in ("1001", "1010"):  # 1001 is idle the longest
            self.agent_state(extension, "ready")
            time.sleep(0.2)
        phones = {extension: self.phone(extension, "uas_answer.xml") for extension in ("1001", "1010")}
        callees = []
        try:
            for number in ("8613900005555", "8613900005555", "8613900006666"):
                caller = Sipp(self.sip_port, "ivr_caller_rfc4733.xml", "-s", number, "-set", "dial", "4056",
                              "-mp", str(free_udp_port()), port=self.trunk_port)
                self.assertEqual(caller.wait(), 0, caller.explain())
                callee = self.cdr(caller.trace(), did="4056")["callee"]
                callees.append(callee)
                self.assertEqual(phones[callee].wait(timeout=10), 0, phones[callee].explain())
                phones[callee] = self.phone(callee, "uas_answer.xml")
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
            listener = RtpListener()
            caller = Sipp(self.sip_port, "ivr_caller_listen.xml", "-s", "8613900004444", "-set", "dial", "4054",
                          "-set", "rtp_port", str(listener.port), port=self.trunk_port)
            code = caller.wait()
            listener.stop()
            self.assertEqual(code, 0, caller.explain())
            windows = listener.windows()
            speech = [start for start, tone, level in windows if level > 300 and tone < 0.3 * level * math.sqrt(2)]
            music = [start for start, tone, level in windows if level > 1000 and tone > 0.8 * level * math.sqrt(2)]
            # The position is read on entry, then the music plays.
            self.assertTrue(speech and speech[0] < 2.0, windows)
            self.assertTrue(any(start > max(speech) for start in music), windows)
        finally:
            self.agent_state("1009", "logged_out")

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
            self.assertEqual((status, body["state"]), (200, "reserved"), body)  # at once, for the callback
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

    def test_a_call_waiting_too_long_overflows_to_another_flow(self):
        self.agent_state("1009", "not_ready")  # logged in, so the call waits for its maximum
        try:
            phone = self.phone("1003", "uas_answer.xml")
            caller = self.caller("ivr_caller_rfc4733.xml", "-mp", str(free_udp_port()), did="4059")
            self.assertEqual(caller.wait(), 0, caller.explain())
            self.assertEqual(phone.wait(timeout=10), 0, phone.explain())
            cdr = self.cdr(caller.trace(), did="4059")
            self.assertEqual((cdr["callee"], cdr["disposition"]), ("1003", "answered"), cdr)
            # The CDR's trace: the overflow flow's transfer, after the queue of the first.
            trace = cdr["ivr"]
            self.assertEqual((trace["flow"], trace["exit"], trace["exit_target"]),
                             ("ivr-after-wait", "transferred", "1003"), trace)
            self.assertEqual((trace["previous"]["flow"], trace["previous"]["exit_target"]),
                             ("ivr-detour", "detour"), trace)
        finally:
            self.agent_state("1009", "logged_out")

    def test_a_call_waiting_too_long_overflows_to_the_queues_number(self):
        self.agent_state("1009", "not_ready")  # logged in, so the call waits for its maximum
        try:
            phone = self.phone("1003", "uas_answer.xml")
            caller = self.caller("ivr_caller_rfc4733.xml", "-mp", str(free_udp_port()), did="4057")
            self.assertEqual(caller.wait(), 0, caller.explain())
            self.assertEqual(phone.wait(timeout=10), 0, phone.explain())
            cdr = self.cdr(caller.trace(), did="4057")
            self.assertEqual((cdr["callee"], cdr["disposition"]), ("1003", "answered"), cdr)
        finally:
            self.agent_state("1009", "logged_out")

    def test_a_queue_nobody_staffs_overflows_to_its_voicemail(self):
        caller = Sipp(self.sip_port, "ivr_caller_listen.xml", "-s", "8613900007777", "-set", "dial", "4058",
                      "-set", "rtp_port", str(free_udp_port()), port=self.trunk_port)
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

    def test_voicemail_is_recorded_up_to_its_limit(self):
        caller = self.inband_caller("keys-9", "9")
        caller.wait()  # unicc hangs up once the message is taken, before the caller's own BYE
        cdr = self.cdr(caller.trace())
        self.assertEqual((cdr["ivr"]["exit"], cdr["ivr"]["exit_target"]), ("voicemail", "general"), cdr["ivr"])
        self.assertEqual(cdr["hangup_side"], "system", cdr)
        folder = os.path.join(self.work, "voicemail")
        files = [f for f in os.listdir(folder) if f.startswith("general-")] if os.path.isdir(folder) else []
        self.assertEqual(len(files), 1, files)
        with wave.open(os.path.join(folder, files[0])) as message:
            self.assertEqual((message.getnchannels(), message.getframerate()), (1, 8000))
            seconds = message.getnframes() / 8000
        self.assertAlmostEqual(seconds, 5.0, delta=0.1)
        deadline = time.time() + 5
        while time.time() < deadline:
            status, body, _ = self.server.call("GET", "/api/v1/voicemails?mailbox=general", token=self.admin)
            if status == 200 and body["items"]:
                break
            time.sleep(0.2)
        self.assertEqual(len(body["items"]), 1, body)
        message = body["items"][0]
        self.assertEqual((message["caller"], message["call_id"]), ("8613900001111", cdr["call_id"]), message)
        self.assertAlmostEqual(message["duration_ms"], 5000, delta=100)

if __name__ == "__main__":
    unittest.main()
