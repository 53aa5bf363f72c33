"""What the tests of the IVR and the ACD on real calls share: a unicc with a carrier
trunk, a sounds folder with a 440 Hz hold tune and espeak-ng prompts, flows
published over REST; a trunk caller; the caller's RTP, decoded (G.711 A-law)."""
import math
import os
import socket
import struct
import tempfile
import threading
import time
import unittest
import urllib.parse
import wave

from harness import Server, free_port
from sip_test import PhoneHelpers, Sipp, free_udp_port, free_udp_range


def queue_flow(name, did, queue):
    """A flow that puts every call to `did` straight into `queue`, and hangs up if the
    call leaves it without an agent."""
    return {"name": name, "dids": [did], "start": "wait",
            "nodes": {"wait": {"type": "queue", "queue": queue, "on_failure": "bye"}, "bye": {"type": "hangup"}}}


def alaw_to_linear(code):
    """G.711 A-law code to a 16-bit linear sample."""
    code ^= 0x55
    exponent, mantissa = (code >> 4) & 0x07, code & 0x0F
    magnitude = (mantissa << 4) + 8 if exponent == 0 else ((mantissa << 4) + 0x108) << (exponent - 1)
    return magnitude if code & 0x80 else -magnitude


def linear_to_alaw(sample):
    """A 16-bit linear sample to its G.711 A-law code."""
    mask = 0xD5 if sample >= 0 else 0x55
    magnitude = min(sample if sample >= 0 else -sample - 1, 0x7FFF)
    segment = next(i for i, end in enumerate((0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF, 0x3FFF, 0x7FFF))
                   if magnitude <= end)
    return ((segment << 4) | ((magnitude >> (4 if segment < 2 else segment + 3)) & 0x0F)) ^ mask


def tone_amplitude(samples, frequency):
    re = sum(s * math.cos(2 * math.pi * frequency * n / 8000) for n, s in enumerate(samples))
    im = sum(s * math.sin(2 * math.pi * frequency * n / 8000) for n, s in enumerate(samples))
    return 2 * math.hypot(re, im) / len(samples)


def rms(samples):
    return math.sqrt(sum(s * s for s in samples) / len(samples)) if samples else 0.0


class RtpListener:
    """A party's RTP socket: keeps (arrival time, payload) of every packet; talk()
    also sends a tone back to where the packets come from (unicc's relay)."""

    def __init__(self):
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.packets = []
        self.source = None
        self.running = True
        self.threads = [threading.Thread(target=self._run, daemon=True)]
        self.threads[0].start()

    def _run(self):
        while self.running:
            try:
                data, self.source = self.socket.recvfrom(2048)
            except socket.timeout:
                continue
            if len(data) > 12:
                self.packets.append((time.time(), data[12:]))

    def talk(self, frequency, amplitude=6000):
        """Sends a `frequency` Hz tone (PCMA, 20 ms packets) until stopped, to the
        address the last packet came from."""
        thread = threading.Thread(target=self._talk, args=(frequency, amplitude), daemon=True)
        self.threads.append(thread)
        thread.start()

    def _talk(self, frequency, amplitude):
        ssrc, sequence, next_at = 0x5EED0000 + frequency, 0, time.time()
        while self.running:
            if self.source:
                payload = bytes(linear_to_alaw(int(amplitude * math.sin(2 * math.pi * frequency * (sequence * 160 + n)
                                                                        / 8000))) for n in range(160))
                header = struct.pack("!BBHII", 0x80, 8, sequence & 0xFFFF, sequence * 160 & 0xFFFFFFFF, ssrc)
                self.socket.sendto(header + payload, self.source)
                sequence += 1
            next_at += 0.02
            time.sleep(max(0.0, next_at - time.time()))

    def stop(self):
        self.running = False
        for thread in self.threads:
            thread.join()
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



class IvrServerTest(PhoneHelpers, unittest.TestCase):
    """One unicc for the class."""

    @classmethod
    def start_server(cls, config):
        """Starts it with `config` added to its configuration file."""
        cls.sip_port = free_port()
        cls.trunk_port = free_udp_port()
        cls.work = tempfile.mkdtemp(prefix="unicc-ivr-")
        os.makedirs(os.path.join(cls.work, "sounds"))
        write_tone_wav(os.path.join(cls.work, "sounds", "hold.wav"), 440, 2.0)
        rtp_base = free_udp_range(100)
        cls.server = Server(extra_config=(
            f'[sip]\nport = {cls.sip_port}\nring_timeout_s = 15\n'
            f'[media]\nrtp_port_min = {rtp_base}\nrtp_port_max = {rtp_base + 99}\nrecord_calls = false\n'
            f'[ivr]\nsounds_dir = "{cls.work}/sounds"\ntts_cache_dir = "{cls.work}/tts"\n'
            f'voicemail_dir = "{cls.work}/voicemail"\n'
            # Flows' lookups reach the server's own demo balance service on loopback.
            f'http_allow = ["127.0.0.1"]\n'
            f'[[trunk]]\nname = "carrier"\naddress = "127.0.0.1"\nport = {cls.trunk_port}\noutbound_prefix = "0"\n'
            + config))
        cls.admin = cls.server.login()

    @classmethod
    def publish(cls, *flows):
        for flow in flows:
            status, body, _ = cls.server.call("POST", "/api/v1/flows", flow, token=cls.admin)
            assert status == 201 and body["valid"], body
            status, body, _ = cls.server.call("POST", f"/api/v1/flows/{flow['name']}/publish", {}, token=cls.admin)
            assert status == 200, body

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def caller(self, scenario, *args, did="4050"):
        """A caller from the carrier trunk, 8613900001111, dialling `did`."""
        return Sipp(self.sip_port, scenario, "-s", "8613900001111", "-set", "dial", did, *args,
                    port=self.trunk_port)

    def cdr(self, call_trace, did="4050"):
        return super().cdr(call_trace, f"number={did}&limit=50")

    def listening_caller(self, number, did):
        """A trunk caller `number` who dials `did` and listens to what unicc plays, then
        hangs up: (its SIPp run, RtpListener.windows() of what it heard)."""
        listener = RtpListener()
        caller = self.start_listening_caller(number, did, listener, 13000)
        code = caller.wait()
        listener.stop()
        self.assertEqual(code, 0, caller.explain())
        return caller, listener.windows()

    def start_listening_caller(self, number, did, listener, milliseconds):
        """A trunk caller `number` who dials `did`, sends its RTP to `listener` and hangs
        up after `milliseconds` (its SIPp run, started)."""
        return Sipp(self.sip_port, "ivr_caller_listen.xml", "-s", number, "-set", "dial", did,
                    "-set", "rtp_port", str(listener.port), "-d", str(milliseconds), port=self.trunk_port)

    def path(self, trace):
        return [(step["node"], step["digits"], step["exit"]) for step in trace["steps"]]

    # What each party of a call says, a tone of its own: {name: frequency}.
    tones = {}

    @staticmethod
    def heard(listener, since, until):
        """A party's decoded audio that arrived between two times."""
        return [alaw_to_linear(b) for at, payload in listener.packets if since <= at <= until for b in payload]

    def assert_hearing(self, parties, since, until, hears):
        """Each party's audio between two times carries the tones (of `tones`) of the
        parties `hears` names for it, and no other party's tone."""
        for name, party in parties.items():
            samples = self.heard(party, since, until)[:8000]
            self.assertGreater(len(samples), 4000, f"the {name} heard nothing")
            for speaker, frequency in self.tones.items():
                amplitude = tone_amplitude(samples, frequency)
                if speaker in hears[name]:
                    self.assertGreater(amplitude, 2000, f"the {name} does not hear the {speaker}")
                else:
                    self.assertLess(amplitude, 300, f"the {name} hears the {speaker}")

    @classmethod
    def sign_in_agents(cls, *extensions):
        """A user with role agent for each extension, signed in: their tokens in `tokens`."""
        cls.tokens = {}
        for extension in extensions:
            status, body, _ = cls.server.call(
                "POST", "/api/v1/users", {"username": f"agent{extension}", "password": "agent-password-1",
                                          "role": "agent", "extension": extension}, token=cls.admin)
            assert status == 201, body
            cls.tokens[extension] = cls.server.login(f"agent{extension}", "agent-password-1")

    def as_agent(self, extension, method, path, body=None):
        return self.server.call(method, path, body, token=self.tokens[extension])

    def command(self, extension, call_id, command, body=None):
        """An agent's command on a live call (POST /api/v1/calls/{call_id}/{command})."""
        return self.as_agent(extension, "POST", f"/api/v1/calls/{urllib.parse.quote(call_id, safe='')}/{command}",
                             body or {})

    def wait_for(self, what, seconds=10):
        """What `what()` answers once it is truthy; fails after `seconds`."""
        deadline = time.time() + seconds
        while time.time() < deadline:
            found = what()
            if found:
                return found
            time.sleep(0.1)
        self.fail("timed out")

    def agent_state(self, extension, state):
        status, body, _ = self.server.call("POST", f"/api/v1/agents/{extension}/state", {"state": state},
                                           token=self.admin)
        self.assertEqual(status, 200, body)
        self.assertEqual(body["state"], state, body)

