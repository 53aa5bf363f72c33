"""The IVR on real calls: a flow published over REST answers its DID; SIPp callers
from a trunk press keys as RFC 4733 events or as tones in their audio, and the IVR
trace in the CDR shows the branch taken; the queue the flow hands the call to rings
its extension (a SIPp phone), which is then bridged to the caller; a waiting caller
hears hold music and announcements; a voicemail is recorded to the limit.

Prompts are spoken by espeak-ng (Debian package espeak-ng), as in production."""
import json
import math
import os
import subprocess
import time
import unittest
import wave

from ivr_support import IvrServerTest, queue_flow, write_tone_wav
from sip_test import SCENARIOS, free_udp_port

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



# A DID that goes straight to the support queue, to hear what a waiting caller hears.
HOLD_FLOW = queue_flow("ivr-hold", "4051", "support")


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


class IvrTest(IvrServerTest):
    @classmethod
    def setUpClass(cls):
        cls.start_server(
            '[[queue]]\nname = "sales"\nring = "1002"\n'
            '[[queue]]\nname = "support"\nring = "1003"\nmusic = "hold.wav"\n'
            'comfort_text = "All our agents are busy. Please hold."\ncomfort_every_s = 5\n')
        # The balance lookup goes to the server's demo service.
        FLOW["nodes"]["balance"]["url"] = cls.server.base + "/api/v1/demo/balance?number=${caller}"
        cls.publish(FLOW, HOLD_FLOW)

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
        caller, windows = self.listening_caller("8613900002222", "4051")
        self.assertEqual(agent.wait(), 0, agent.explain())
        music = [start for start, tone, level in windows if level > 1000 and tone > 0.8 * level * math.sqrt(2)]
        speech = [start for start, tone, level in windows if level > 300 and tone < 0.3 * level * math.sqrt(2)]
        # Music from the start, the announcement after about 5 s, then music again.
        self.assertTrue(music and music[0] < 1.0, windows)
        self.assertTrue(any(4.0 <= start <= 7.5 for start in speech), windows)
        self.assertTrue(any(start > max(speech) for start in music), windows)
        cdr = self.cdr(caller.trace(), did="4051")
        self.assertEqual((cdr["callee"], cdr["ivr"]["exit"], cdr["ivr"]["exit_target"]), ("1003", "queued", "support"))

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

    def test_an_mp3_prompt_uploaded_plays_in_a_call_and_the_flow_counts_the_call(self):
        """The console's prompt library: an MP3 uploaded over REST is what a flow's play
        node plays; the designer's path counts then show the call on the node's exit."""
        source, mp3 = os.path.join(self.work, "tune.wav"), os.path.join(self.work, "tune.mp3")
        write_tone_wav(source, 440, 3.0)
        subprocess.run(["lame", "--quiet", "-b", "64", source, mp3], check=True)
        with open(mp3, "rb") as f:
            status, body, _ = self.server.call("PUT", "/api/v1/prompts/tune", f.read(), token=self.admin)
        self.assertEqual(status, 201, body)
        self.assertEqual((body["file"], body["source"]), ("tune.wav", "uploaded"), body)
        self.publish({"name": "ivr-mp3", "dids": ["4052"], "start": "tune", "nodes": {
            "tune": {"type": "play", "prompt": {"file": "tune.wav"}, "next": "wait"},
            "wait": {"type": "menu", "prompt": {"text": "Press 1", "voice": "en"}, "options": {"1": "bye"},
                     "timeout_ms": 20000, "retries": 0, "on_failure": "bye"},
            "bye": {"type": "hangup"}}})
        _, windows = self.listening_caller("8613900003333", "4052")
        tune = [start for start, tone, level in windows if level > 1000 and tone > 0.8 * level * math.sqrt(2)]
        self.assertTrue(tune and tune[0] < 1.5 and len(tune) >= 4, windows)
        status, counts, _ = self.server.call("GET", "/api/v1/flows/ivr-mp3/paths", token=self.admin)
        self.assertEqual(status, 200, counts)
        self.assertEqual((counts["calls"], counts["nodes"]["tune"]["exits"], counts["nodes"]["wait"]["hung_up"],
                          counts["ended"]), (1, {"next": 1}, 1, {"caller_hung_up": 1}), counts)

    def test_the_designers_test_call_runs_the_draft_on_a_phone_and_is_not_counted(self):
        """POST /flows/{name}/test-call rings the phone and runs the unpublished draft on
        it: the phone hears the flow (the CDR's trace is the draft's, version 0), and the
        path counts, which are about callers, leave it out."""
        draft = {"name": "ivr-draft", "dids": ["4053"], "start": "hello", "nodes": {
            "hello": {"type": "play", "prompt": {"text": "This is a test of the draft", "voice": "en"},
                      "next": "bye"},
            "bye": {"type": "hangup"}}}
        status, body, _ = self.server.call("POST", "/api/v1/flows", draft, token=self.admin)
        self.assertEqual((status, body["valid"]), (201, True), body)
        tester = self.phone("1004", "uas_answer.xml")
        status, body, _ = self.server.call("POST", "/api/v1/flows/ivr-draft/test-call", {"extension": "1004"},
                                           token=self.admin)
        self.assertEqual(status, 202, body)
        self.assertEqual(tester.wait(), 0, tester.explain())  # rung, answered, hung up by the flow
        self.assertIn("Test: ivr-draft", tester.trace())
        cdr = self.cdr(f"Call-ID: {body['call_id']}", did="1004")
        self.assertEqual((cdr["ivr"]["flow"], cdr["ivr"]["version"], cdr["ivr"]["exit"]),
                         ("ivr-draft", 0, "hangup_node"), cdr["ivr"])
        self.assertEqual([step["node"] for step in cdr["ivr"]["steps"]], ["hello", "bye"], cdr["ivr"])
        status, counts, _ = self.server.call("GET", "/api/v1/flows/ivr-draft/paths", token=self.admin)
        self.assertEqual((status, counts["calls"]), (200, 0), counts)
        # Nobody answers at an extension without a phone.
        status, body, _ = self.server.call("POST", "/api/v1/flows/ivr-draft/test-call", {"extension": "1009"},
                                           token=self.admin)
        self.assertEqual((status, body["error"]["code"]), (409, "cannot_ring"), body)


if __name__ == "__main__":
    unittest.main()
