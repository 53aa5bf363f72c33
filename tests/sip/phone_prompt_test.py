"""Recording a prompt by phone (docs/ivr.md): an administrator asks the Prompts page's
API for a one-time code, their own phone dials *77<code>#, hears the beep, "speaks"
(a 700 Hz tone), presses # (RFC 4733), hears the recording played back and is hung
up on; the prompt is then in the library (GET /api/v1/prompts), audited, and heard by
a caller of a flow that plays it. Without #, 4 s of silence after the speech ends it. Another phone dialling the same code is hung up on
at once and records nothing; users who may not manage prompts get no code."""
import math
import struct
import threading
import time

from ivr_support import IvrServerTest, RtpListener, alaw_to_linear, linear_to_alaw, tone_amplitude
from sip_test import Sipp

VOICE = 700  # Hz: what the administrator "says"


class Voice(RtpListener):
    """A phone's RTP: a tone while `speaking`, silence (still sent) after; keys as RFC
    4733 events."""

    def __init__(self):
        super().__init__()
        self.speaking = True
        self.sequence = 0
        self.lock = threading.Lock()

    def _talk(self, frequency, amplitude):
        ssrc, sequence, next_at = 0x5EED0000, 0, time.time()
        while self.running:
            if self.source:
                level = amplitude if self.speaking else 0
                payload = bytes(linear_to_alaw(int(level * math.sin(2 * math.pi * frequency * (sequence * 160 + n)
                                                                    / 8000))) for n in range(160))
                with self.lock:
                    header = struct.pack("!BBHII", 0x80, 8, self.sequence & 0xFFFF, sequence * 160 & 0xFFFFFFFF, ssrc)
                    self.sequence += 1
                self.socket.sendto(header + payload, self.source)
            sequence += 1
            next_at += 0.02
            time.sleep(max(0.0, next_at - time.time()))

    def press(self, digit):
        """One RFC 4733 event (payload type 101): three packets, then three end packets."""
        event = "0123456789*#".index(digit)
        timestamp = int(time.time() * 8000) & 0xFFFFFFFF
        for n in range(6):
            end = n >= 3
            payload = struct.pack("!BBH", event, (0x80 if end else 0) | 10, 160 * (n + 1))
            with self.lock:
                header = struct.pack("!BBHII", 0x80, 101 | (0x80 if n == 0 else 0), self.sequence & 0xFFFF, timestamp,
                                     0x5EED0000)
                self.sequence += 1
            self.socket.sendto(header + payload, self.source)
            time.sleep(0.02)


class PhonePromptTest(IvrServerTest):

    @classmethod
    def setUpClass(cls):
        cls.start_server("")
        for user in ({"username": "recorder", "password": "records-prompts-7", "role": "admin", "extension": "1004"},
                     {"username": "desk", "password": "answers-calls-7", "role": "agent", "extension": "1005"}):
            status, body, _ = cls.server.call("POST", "/api/v1/users", user, token=cls.admin)
            assert status == 201, body
        cls.recorder = cls.server.login("recorder", "records-prompts-7")

    def prompts(self):
        status, body, _ = self.server.call("GET", "/api/v1/prompts", token=self.admin)
        self.assertEqual(status, 200, body)
        return {p["name"]: p for p in body["items"]}

    def dial(self, extension, number, voice):
        return Sipp(self.sip_port, "uac_until_hangup.xml", "-s", extension, "-au", extension, "-ap", f"demo{extension}",
                    "-set", "dial", number, "-set", "rtp_port", str(voice.port))

    def assert_refused(self, extension, number):
        """`extension` dials `number` (a code): 403 before any answer, and a CDR that says so."""
        call = Sipp(self.sip_port, "uac_fail.xml", "-s", extension, "-au", extension, "-ap", f"demo{extension}",
                    "-set", "dial", number.replace("#", "%23"))
        self.assertEqual(call.wait(), 0, call.explain())
        self.assertIn("SIP/2.0 403", call.trace())
        self.assertNotIn("SIP/2.0 200", call.trace())
        call_id = [line.split(":", 1)[1].strip() for line in call.trace().splitlines()
                   if line.lower().startswith("call-id:")][0]
        deadline, found = time.time() + 5, []
        while not found and time.time() < deadline:
            status, body, _ = self.server.call("GET", "/api/v1/cdrs?limit=20", token=self.admin)
            found = [c for c in body["items"] if c["call_id"] == call_id]
            time.sleep(0.1)
        self.assertTrue(found, body)
        self.assertEqual((found[0]["disposition"], found[0]["caller"], found[0]["answered_at"]),
                         ("blocked", extension, None), found[0])

    def test_an_admin_records_a_prompt_from_their_phone_and_callers_hear_it(self):
        # Only a user who manages prompts (admin) gets a code, and only for their own phone.
        desk = self.server.login("desk", "answers-calls-7")
        status, body, _ = self.server.call("POST", "/api/v1/prompts/by-phone/phone-code", {}, token=desk)
        self.assertEqual(status, 403, body)
        status, body, _ = self.server.call("POST", "/api/v1/prompts/by-phone/phone-code", {}, token=self.admin)
        self.assertEqual((status, body["error"]["code"]), (409, "no_extension"), body)
        status, code, _ = self.server.call("POST", "/api/v1/prompts/by-phone/phone-code", {}, token=self.recorder)
        self.assertEqual(status, 201, code)
        self.assertEqual((code["extension"], code["dial"]), ("1004", f"*77{code['code']}#"), code)

        # Another phone with the code: refused before it is answered, nothing recorded.
        self.assert_refused("1005", code["dial"])
        self.assertNotIn("by-phone", self.prompts())

        # The administrator's phone: beep, two seconds of "voice", #, the playback.
        voice = Voice()
        voice.talk(VOICE)
        phone = self.dial("1004", code["dial"].replace("#", "%23"), voice)  # "#" escaped, as phones send it
        deadline = time.time() + 10
        while not voice.packets and time.time() < deadline:
            time.sleep(0.05)
        time.sleep(2.3)  # the 200 ms beep, then about two seconds recorded
        voice.speaking = False
        pressed = time.time()
        voice.press("#")
        self.assertEqual(phone.wait(), 0, phone.explain())
        voice.stop()
        # Played back: the voice comes back after # (the first 0.5 s may still be the recording's end).
        back = [alaw_to_linear(b) for at, payload in voice.packets if at > pressed + 0.5 for b in payload][:8000]
        self.assertGreater(len(back), 4000, "nothing played back")
        self.assertGreater(tone_amplitude(back, VOICE), 1500, "the recording is not played back")

        stored = self.prompts()["by-phone"]
        self.assertEqual((stored["source"], stored["file"]), ("uploaded", "by-phone.wav"), stored)
        self.assertTrue(1500 <= stored["duration_ms"] <= 3500, stored)
        status, body, _ = self.server.call("GET", "/api/v1/audit?action=prompt.record_by_phone", token=self.admin)
        self.assertEqual(len(body["items"]), 1, body)
        entry = body["items"][0]
        self.assertEqual((entry["actor"], entry["target"]), ("recorder", "prompt:by-phone"), entry)
        self.assertIn('"extension":"1004"', entry["detail"])
        # The code was used: it is refused, and records nothing again.
        self.assert_refused("1004", code["dial"])
        self.assertEqual(self.prompts()["by-phone"]["modified_at"], stored["modified_at"])

        # A flow plays it to a caller from the trunk.
        self.publish({"name": "ivr-recorded", "dids": ["4080"], "start": "say",
                      "nodes": {"say": {"type": "play", "prompt": {"file": "by-phone.wav"}, "next": "bye"},
                                "bye": {"type": "hangup"}}})
        listener = RtpListener()
        caller = self.start_listening_caller("8613900003333", "4080", listener, 1500)
        code = caller.wait()
        listener.stop()
        self.assertEqual(code, 0, caller.explain())
        heard = [alaw_to_linear(b) for _, payload in listener.packets for b in payload][1600:8000]
        self.assertGreater(tone_amplitude(heard, VOICE), 1500, "the caller does not hear the recorded prompt")

    def test_the_silence_after_speech_ends_a_recording_without_hash(self):
        status, code, _ = self.server.call("POST", "/api/v1/prompts/by-silence/phone-code", {}, token=self.recorder)
        self.assertEqual(status, 201, code)
        voice = Voice()
        voice.talk(VOICE)
        phone = self.dial("1004", code["dial"].replace("#", "%23"), voice)
        deadline = time.time() + 10
        while not voice.packets and time.time() < deadline:
            time.sleep(0.05)
        time.sleep(1.7)  # the beep, then about 1.5 s of voice
        voice.speaking = False  # silence from now on, sent as audio; no #
        quiet = time.time()
        self.assertEqual(phone.wait(), 0, phone.explain())
        voice.stop()
        # Played back after the 4 s of silence ended the recording.
        back = [alaw_to_linear(b) for at, payload in voice.packets if at > quiet + 4.5 for b in payload][:8000]
        self.assertGreater(tone_amplitude(back, VOICE), 1500, "the recording is not played back")
        stored = self.prompts()["by-silence"]
        self.assertTrue(4500 <= stored["duration_ms"] <= 7000, stored)
