"""A real softphone through unicc: baresip (headless) registers extension 1001 with
digest, dials 1002, and a SIPp UAS registered as 1002 answers and echoes the audio.

baresip reads a generated tone as its microphone (aufile), records what it heard
(sndfile) and is driven over its TCP control socket (ctrl_tcp, netstring JSON). The
test checks what the softphone saw (its log, its control events, the recorded WAV),
what the SIPp phone saw (exit status, trace) and what unicc recorded (the CDR)."""
import json
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest
import wave
from array import array

from harness import Server, free_port
from sip_test import Sipp, free_udp_port, free_udp_range

TONE_HZ = 1000
TONE_SECONDS = 20  # longer than the call: baresip hangs up when its input WAV ends
CALL_SECONDS = 3


def write_tone(path, seconds=TONE_SECONDS, hz=TONE_HZ, amplitude=8000, rate=8000):
    samples = array("h", (int(amplitude * math.sin(2 * math.pi * hz * i / rate)) for i in range(seconds * rate)))
    with wave.open(path, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())


def netstring(data):
    return b"%d:%s," % (len(data), data)


class Baresip:
    """One headless baresip process with its own config folder, controlled over ctrl_tcp.
    `uri_params` go into the account's URI (";transport=tls"), `account_params` after
    it (";mediaenc=srtp-mand;answermode=auto"), `extra_config` are further config lines.
    `listen` is its SIP address (TLS on the next port); `register=False` makes a peer
    that only calls and answers, like a carrier's."""

    def __init__(self, unicc_port, user, password, rtp_base, uri_params="", account_params="", extra_config=(),
                 listen="127.0.0.1:0", register=True):
        self.dir = tempfile.mkdtemp(prefix="unicc-baresip-")
        self.snd_path = os.path.join(self.dir, "heard")
        os.mkdir(self.snd_path)
        self.tone = os.path.join(self.dir, "tone.wav")
        write_tone(self.tone)
        self.ctrl_port = free_port()
        self.log_path = os.path.join(self.dir, "baresip.log")
        self.aor = f"sip:{user}@127.0.0.1:{unicc_port}{uri_params}"
        config = "\n".join([
            "poll_method epoll",
            f"sip_listen {listen}",
            "net_interface 127.0.0.1",
            f"rtp_ports {rtp_base}-{rtp_base + 19}",
            "call_local_timeout 20",
            "call_max_calls 1",
            f"audio_source aufile,{self.tone}",
            "audio_player",
            "audio_alert",
            "audio_level no",
            "ausrc_format s16",
            "auplay_format s16",
            "auenc_format s16",
            "audec_format s16",
            "rtcp_mux no",
            "jitter_buffer_delay 1-10",
            "module_path /usr/lib/baresip/modules",
            "module g711.so",
            "module aufile.so",
            "module sndfile.so",
            f"snd_path {self.snd_path}",
            "module_tmp account.so",
            "module_app menu.so",
            "module_app ctrl_tcp.so",
            "statmode_default off",  # menu: no per-second call status lines in the log
            f"ctrl_tcp_listen 127.0.0.1:{self.ctrl_port}",
            *extra_config,
            "",
        ])
        with open(os.path.join(self.dir, "config"), "w") as f:
            f.write(config)
        # Registers (REGISTER is challenged with 401), and dials through unicc (INVITE
        # is challenged with 407); both are answered with the same credentials.
        with open(os.path.join(self.dir, "accounts"), "w") as f:
            answermode = "" if "answermode=" in account_params else ";answermode=manual"
            regint = 600 if register else 0
            f.write(f"<{self.aor}>;auth_user={user};auth_pass={password};regint={regint}{answermode}{account_params}\n")
        env = dict(os.environ, HOME=self.dir)
        with open(self.log_path, "wb") as log:
            # stdbuf: baresip logs with stdio, which a file would otherwise buffer until exit.
            # -s: SIP trace in the log (evidence when a call fails); -t: quits by itself
            # after 45 s even if this test dies without stopping it.
            self.process = subprocess.Popen(["stdbuf", "-oL", "-eL", "baresip", "-s", "-t", "45", "-f", self.dir],
                                            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                            cwd=self.dir, env=env)
        self.sock = None
        self.buffer = b""
        self.events = []
        self.responses = []
        self.tokens = 0

    # -- control --------------------------------------------------------------

    def connect(self, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"baresip exited early ({self.process.returncode}):\n{self.log()}")
            try:
                self.sock = socket.create_connection(("127.0.0.1", self.ctrl_port), timeout=1)
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"baresip's control port {self.ctrl_port} did not open:\n{self.log()}")

    def _read_message(self, deadline):
        """One JSON message from the control socket, or None at the deadline."""
        while True:
            colon = self.buffer.find(b":")
            if colon > 0:
                length = int(self.buffer[:colon])
                end = colon + 1 + length
                if len(self.buffer) > end:
                    payload, self.buffer = self.buffer[colon + 1:end], self.buffer[end + 1:]
                    message = json.loads(payload)
                    (self.events if message.get("event") else self.responses).append(message)
                    return message
            remaining = deadline - time.time()
            if remaining <= 0:
                return None
            self.sock.settimeout(min(remaining, 0.5))
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                continue
            if not chunk:
                return None
            self.buffer += chunk

    def command(self, command, params="", timeout=5):
        self.tokens += 1
        token = str(self.tokens)
        self.sock.sendall(netstring(json.dumps({"command": command, "params": params, "token": token}).encode()))
        deadline = time.time() + timeout
        while time.time() < deadline:
            message = self._read_message(deadline)
            if message is None:
                break
            if message.get("response") and message.get("token") == token:
                return message
        raise AssertionError(f"no response to {command!r} within {timeout}s:\n{self.log()}")

    def wait_log(self, pattern, timeout=10):
        """The first match of the regular expression `pattern` in the log, or None."""
        deadline = time.time() + timeout
        while True:
            match = re.search(pattern, self.log())
            if match or time.time() >= deadline or self.process.poll() is not None:
                return match or re.search(pattern, self.log())
            time.sleep(0.05)

    def wait_event(self, *types, timeout=15):
        """The first event (already seen or new) whose type is one of `types`."""
        deadline = time.time() + timeout
        seen = 0
        while True:
            for event in self.events[seen:]:
                if event.get("type") in types:
                    self.events.remove(event)
                    return event
            seen = len(self.events)
            if time.time() >= deadline or self._read_message(deadline) is None:
                return None

    # -- process --------------------------------------------------------------

    def log(self):
        with open(self.log_path, errors="replace") as f:
            return re.sub(r"\x1b\[[0-9;]*m", "", f.read())

    def stop(self, timeout=5):
        """Asks baresip to quit; stops it by its PID if it has not exited in time."""
        if self.process.poll() is None and self.sock is not None:
            try:
                self.command("quit", timeout=2)
            except (AssertionError, OSError):
                pass
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=3)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.sock is not None:
            self.sock.close()
            self.sock = None
        return self.process.returncode

    def heard(self):
        """Paths of the WAV files sndfile wrote with what baresip received (decoded)."""
        return sorted(os.path.join(self.snd_path, name) for name in os.listdir(self.snd_path)
                      if name.endswith("-dec.wav"))


def media_config(recordings):
    """The [media] table for a test server: 100 free RTP ports, recordings in `recordings`."""
    rtp_base = free_udp_range(100)
    return (f"[media]\nrtp_port_min = {rtp_base}\nrtp_port_max = {rtp_base + 99}\nrtp_timeout_s = 30\n"
            f'recordings_dir = "{recordings}"\n')


def finished_cdr(test, call_id):
    """The finished CDR of the call whose (caller-side) Call-ID is given, for a test
    case with `server` and `admin` (a token)."""
    deadline = time.time() + 10
    while time.time() < deadline:
        status, body, _ = test.server.call("GET", "/api/v1/cdrs?limit=100", token=test.admin)
        test.assertEqual(status, 200, body)
        for item in body["items"]:
            if item["call_id"] == call_id and item["ended_at"]:
                return item
        time.sleep(0.1)
    test.fail(f"no CDR for call {call_id}:\n{test.server.stderr()[-4000:]}")


class SoftphoneTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sip_port = free_port()
        cls.recordings = tempfile.mkdtemp(prefix="unicc-rec-")
        cls.server = Server(extra_config=f"[sip]\nport = {cls.sip_port}\nring_timeout_s = 10\n"
                                         + media_config(cls.recordings))
        cls.admin = cls.server.login()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.recordings, ignore_errors=True)
        shutil.rmtree(cls.server.dir, ignore_errors=True)

    def sipp(self, scenario, *args, **kwargs):
        run = Sipp(self.sip_port, scenario, *args, **kwargs)
        self.addCleanup(shutil.rmtree, run.dir, True)
        self.addCleanup(run.wait, 5)
        return run

    def phone(self, extension, scenario, *args):
        """Registers `extension` with SIPp from a fresh port, then runs `scenario` as that phone."""
        port = free_udp_port()
        registration = self.sipp("register.xml", "-s", extension, "-au", extension, "-ap", f"demo{extension}",
                                 port=port)
        self.assertEqual(registration.wait(), 0, registration.explain())
        self.assertIn("SIP/2.0 200", registration.trace(), registration.explain())
        phone = self.sipp(scenario, "-mp", str(free_udp_port()), *args, port=port)
        time.sleep(0.3)  # let it bind before the call arrives
        return phone

    def baresip(self, user, password):
        phone = Baresip(self.sip_port, user, password, free_udp_range(20, low=10000, high=20000))
        self.addCleanup(shutil.rmtree, phone.dir, True)
        self.addCleanup(phone.stop)
        return phone

    def cdr(self, call_id):
        return finished_cdr(self, call_id)

    def test_baresip_calls_a_sipp_phone_through_unicc(self):
        callee = self.phone("1002", "uas_answer.xml", "-rtp_echo")
        softphone = self.baresip("1001", "demo1001")

        def explain(what):
            return (f"{what}\n--- baresip log (with SIP trace) ---\n{softphone.log()[-12000:]}"
                    f"\n--- SIPp UAS ---\n{callee.explain()}\n--- unicc stderr ---\n{self.server.stderr()[-4000:]}")

        softphone.connect()
        # baresip registers at start-up, before the control connection can see its
        # events, and logs "1001@127.0.0.1: {0/UDP/v4} 200 OK () [1 binding]" or
        # "reg: sip:1001@...: <why>".
        registered = softphone.wait_log(r"\} 200 OK .*|reg: .*", timeout=10)
        self.assertIsNotNone(registered, explain("baresip did not register within 10 s"))
        if "200 OK" not in registered.group(0):
            hint = ""
            if "Function not implemented" in registered.group(0):
                hint = ("\n(ENOSYS from libre's digest client: it gives up on the whole 401/407 when any "
                        "WWW-/Proxy-Authenticate offers an algorithm other than MD5, e.g. SHA-256)")
            self.fail(explain(f"baresip's registration failed: {registered.group(0)}{hint}"))

        reply = softphone.command("dial", f"sip:1002@127.0.0.1:{self.sip_port}")
        self.assertTrue(reply.get("ok"), explain(f"dial refused: {reply}"))
        established = softphone.wait_event("CALL_ESTABLISHED", "CALL_CLOSED", timeout=15)
        self.assertIsNotNone(established, explain("the call was not established within 15 s"))
        self.assertEqual(established["type"], "CALL_ESTABLISHED", explain(f"the call failed: {established}"))
        call_id = established.get("id")

        time.sleep(CALL_SECONDS)
        self.assertIsNone(softphone.process.poll(), explain("baresip exited during the call"))
        self.assertIsNone(softphone.wait_event("CALL_CLOSED", timeout=0.2), explain("the call ended early"))
        reply = softphone.command("hangup")
        self.assertTrue(reply.get("ok"), explain(f"hangup refused: {reply}"))
        self.assertIsNotNone(softphone.wait_event("CALL_CLOSED", timeout=10),
                             explain("the call did not close after hangup"))
        softphone.stop()

        # The SIPp phone got the INVITE, answered, then got the ACK and the BYE.
        self.assertEqual(callee.wait(), 0, explain("the SIPp phone failed"))
        self.assertIn("BYE sip:", callee.trace(), explain("no BYE reached the SIPp phone"))

        log = softphone.log()
        self.assertIn("Call established: sip:1002@", log, explain("baresip did not log the call"))
        self.assertIn("incoming rtp for 'audio' established", log, explain("baresip got no RTP"))
        self.assertRegex(log, r"Call with sip:1002@\S+ terminated", explain("baresip did not log the hangup"))

        cdr = self.cdr(call_id)
        self.assertEqual((cdr["caller"], cdr["callee"], cdr["direction"]), ("1001", "1002", "internal"), cdr)
        self.assertEqual((cdr["disposition"], cdr["hangup_side"], cdr["hangup_cause"]),
                         ("answered", "caller", "BYE"), cdr)
        rtp = cdr["rtp"]
        # baresip's tone reached the SIPp phone, which echoed it, and the echo came back.
        for counter in ("from_caller", "to_callee", "from_callee", "to_caller"):
            self.assertGreater(rtp[counter], 20, (counter, rtp))

        # What baresip heard (sndfile's "-dec" file) is its own tone, echoed by SIPp and
        # relayed by unicc both ways: not silence.
        heard = softphone.heard()
        self.assertEqual(len(heard), 1, explain(f"sndfile's files in {softphone.snd_path}: "
                                                f"{os.listdir(softphone.snd_path)}"))
        with wave.open(heard[0]) as recording:
            self.assertEqual((recording.getnchannels(), recording.getframerate(), recording.getsampwidth()),
                             (1, 8000, 2))
            samples = array("h", recording.readframes(recording.getnframes()))
        self.assertGreater(len(samples), 8000, "baresip heard less than a second of audio")
        peak = max(abs(s) for s in samples)
        rms = math.sqrt(sum(s * s for s in samples) / len(samples))
        # The tone's peak is 8000 and its RMS about 5650; PCMA twice and the moments
        # before the echo arrives lower that a little, but not to near silence.
        self.assertGreater(peak, 3000, f"what baresip heard is silent (peak {peak}, rms {rms:.0f})")
        self.assertGreater(rms, 1000, f"what baresip heard is nearly silent (peak {peak}, rms {rms:.0f})")

if __name__ == "__main__":
    unittest.main()
