"""unicc's SIP core against SIPp (Debian's sip-tester): registration with digest,
calls between phones with RTP both ways, hold/unhold, busy, unregistered callee,
CANCEL, lost packets, TCP, trunks (with registration to a carrier), and hostile
input.

Each test drives real SIPp processes on 127.0.0.1 at free ports against one unicc
server and checks what the phones saw (SIPp's exit status and message traces) and
what unicc recorded (the CDR API, the recording)."""
import atexit
import json
import os
import random
import socket
import subprocess
import tempfile
import threading
import time
import unittest
import wave
from array import array

from harness import Server, free_port

SCENARIOS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "scenarios")


def free_udp_port():
    """A media port for SIPp's -mp (or a scenario's RTP): SIPp binds it and the next
    three (RTCP, video RTP and RTCP), so all four must be free. Taken below the
    kernel's ephemeral range (32768-) and below the RTP ranges given to unicc
    (20000-), so that no socket opened meanwhile takes a neighbour."""
    return free_udp_range(4, low=10000, high=20000)


# Ports handed out stay reserved for this process until it exits: a port a test keeps
# for later (a trunk's, bound only while its SIPp caller runs) must not be handed to a
# test running in parallel meanwhile. Reservations are files named after the port,
# holding the reserving process's id; those of processes gone are taken over.
PORT_RESERVATIONS = os.path.join(tempfile.gettempdir(), "unicc-test-ports")


def _held_by_a_live_process(path):
    try:
        with open(path) as held:
            os.kill(int(held.read()), 0)
        return True
    except (FileNotFoundError, ProcessLookupError, ValueError):
        return False
    except PermissionError:
        return True


def _claim(path):
    """Creates the reservation `path` for this process; False when another holds it."""
    for _ in range(2):
        try:
            descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            if _held_by_a_live_process(path):
                return False
            try:
                os.remove(path)  # left by a process that is gone
            except FileNotFoundError:
                pass
            continue
        with os.fdopen(descriptor, "w") as held:
            held.write(str(os.getpid()))
        return True
    return False


def _release(paths):
    for path in paths:
        try:
            os.remove(path)
        except FileNotFoundError:
            pass


def _reserve(base, count):
    os.makedirs(PORT_RESERVATIONS, exist_ok=True)
    taken = []
    for port in range(base, base + count):
        path = os.path.join(PORT_RESERVATIONS, str(port))
        if not _claim(path):
            _release(taken)
            return False
        taken.append(path)
    atexit.register(_release, taken)
    return True


def free_udp_range(count, low=20000, high=30000, tries=50):
    """The first port of `count` consecutive UDP ports on 127.0.0.1 that are free now
    and that no other test process has reserved."""
    for _ in range(tries):
        base = random.randrange(low, high - count) & ~1
        sockets = []
        try:
            for port in range(base, base + count):
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                sockets.append(s)
                s.bind(("127.0.0.1", port))
        except OSError:
            continue
        finally:
            for s in sockets:
                s.close()
        if _reserve(base, count):
            return base
    raise RuntimeError(f"no {count} free UDP ports in {low}-{high}")


class Sipp:
    """One SIPp process running one scenario once."""

    def __init__(self, unicc_port, scenario, *args, port=None, transport="u1", timeout="25s"):
        """`timeout`: how long the whole scenario may take (a phone that waits through
        several calls needs more than one call's time)."""
        self.dir = tempfile.mkdtemp(prefix="unicc-sipp-")
        self.port = port or free_udp_port()
        self.messages = os.path.join(self.dir, "messages.log")
        self.errors = os.path.join(self.dir, "errors.log")
        self.command = ["sipp", f"127.0.0.1:{unicc_port}", "-sf", os.path.join(SCENARIOS, scenario), "-m", "1",
                        "-i", "127.0.0.1", "-p", str(self.port), "-mi", "127.0.0.1", "-t", transport,
                        "-timeout", timeout, "-timeout_error", "-nostdin", "-trace_msg", "-message_file",
                        self.messages, "-trace_err", "-error_file", self.errors, *args]
        # unicc takes credentials only for the Request-URI they name (RFC 3261 §22.4);
        # SIPp names sip:host:port unless told the dialled one.
        if "dial" in args:
            self.command += ["-auth_uri", f"{args[list(args).index('dial') + 1]}@127.0.0.1:{unicc_port}"]
        self.process = subprocess.Popen(self.command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        cwd=self.dir)

    def wait(self, timeout=40):
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        return self.process.returncode

    @staticmethod
    def read(path):
        if not os.path.exists(path):
            return ""
        with open(path, errors="replace") as f:
            return f.read()

    def trace(self):
        return self.read(self.messages)

    def explain(self):
        errors = self.read(self.errors)
        return f"{' '.join(self.command)}\nexit {self.process.returncode}\n{errors[-3000:]}\n{self.trace()[-4000:]}"


def assert_recorded_both_sides(test, cdr):
    """The call's recording (stereo WAV, caller left, callee right) is not silent on
    either side."""
    test.assertTrue(cdr["recording_path"].endswith(".wav"), cdr)
    deadline = time.time() + 5
    while time.time() < deadline and not os.path.exists(cdr["recording_path"]):
        time.sleep(0.1)
    with wave.open(cdr["recording_path"]) as recording:
        test.assertEqual((recording.getnchannels(), recording.getframerate()), (2, 8000))
        samples = array("h", recording.readframes(recording.getnframes()))
    left, right = samples[0::2], samples[1::2]
    test.assertGreater(max(abs(s) for s in left), 1000, "caller side of the recording is silent")
    test.assertGreater(max(abs(s) for s in right), 1000, "callee side of the recording is silent")


class PhoneHelpers:
    """SIPp phones and CDR lookups for test classes with `sip_port`, `server` and
    `admin` (a token)."""

    def sipp(self, scenario, *args, **kwargs):
        return Sipp(self.sip_port, scenario, *args, **kwargs)

    def register(self, extension, password=None, port=None, transport="u1", expect_ok=True):
        run = self.sipp("register.xml", "-s", extension, "-au", extension, "-ap", password or f"demo{extension}",
                        port=port, transport=transport)
        code = run.wait()
        if expect_ok:
            self.assertEqual(code, 0, run.explain())
            self.assertIn("SIP/2.0 200", run.trace(), run.explain())
        return run

    def phone(self, extension, scenario, *args, timeout="25s"):
        """Registers `extension` from a fresh port, then runs `scenario` as that phone."""
        port = free_udp_port()
        self.register(extension, port=port)
        phone = self.sipp(scenario, "-mp", str(free_udp_port()), *args, port=port, timeout=timeout)
        time.sleep(0.3)  # let it bind before the call arrives
        return phone

    def cdr(self, call_trace, query="limit=100"):
        """The CDR of the call whose caller-side SIPp trace is given, looked for in
        GET /api/v1/cdrs?`query`."""
        call_id = None
        for line in call_trace.splitlines():
            if line.lower().startswith("call-id:"):
                call_id = line.split(":", 1)[1].strip()
                break
        self.assertIsNotNone(call_id)
        deadline = time.time() + 10
        while time.time() < deadline:
            status, body, _ = self.server.call("GET", f"/api/v1/cdrs?{query}", token=self.admin)
            self.assertEqual(status, 200, body)
            for item in body["items"]:
                if item["call_id"] == call_id:
                    return item
            time.sleep(0.1)
        self.fail(f"no CDR for call {call_id}")


class SipTest(PhoneHelpers, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sip_port = free_port()
        cls.trunk_port = free_udp_port()
        cls.recordings = tempfile.mkdtemp(prefix="unicc-rec-")
        rtp_base = 20000 + (os.getpid() % 200) * 100
        cls.server = Server(extra_config=(
            f'[sip]\nport = {cls.sip_port}\nring_timeout_s = 5\n'
            f'[media]\nrtp_port_min = {rtp_base}\nrtp_port_max = {rtp_base + 99}\nrtp_timeout_s = 30\n'
            f'recordings_dir = "{cls.recordings}"\n'
            f'[[trunk]]\nname = "carrier"\naddress = "127.0.0.1"\nport = {cls.trunk_port}\noutbound_prefix = "0"\n'
            f'[[did]]\nnumbers = "4000-4099"\ntarget = "1003"\n'))
        cls.admin = cls.server.login()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    # -- helpers ---------------------------------------------------------------

    def call(self, caller, dial, scenario="uac_call.xml", *args):
        return self.sipp(scenario, "-s", caller, "-au", caller, "-ap", f"demo{caller}", "-set", "dial", dial,
                         "-mp", str(free_udp_port()), *args)

    # -- registration ---------------------------------------------------------

    def test_register_with_right_and_wrong_password(self):
        ok = self.register("1005")
        self.assertIn("WWW-Authenticate: Digest", ok.trace())
        wrong = self.register("1005", password="not-the-password", expect_ok=False)
        self.assertEqual(wrong.wait(), 0, wrong.explain())
        self.assertIn("SIP/2.0 403", wrong.trace())
        self.assertNotIn("SIP/2.0 200", wrong.trace())

    def test_an_extension_made_over_rest_registers_at_once_and_a_disabled_one_cannot(self):
        status, body, _ = self.server.call("POST", "/api/v1/extensions", {
            "extension": "2301", "display_name": "Lobby", "password": "Quiet-Lobby-5512"}, token=self.admin)
        self.assertEqual(status, 201, body)
        port = free_udp_port()
        self.register("2301", password="Quiet-Lobby-5512", port=port)

        def lobby():
            status, body, _ = self.server.call("GET", "/api/v1/extensions", token=self.admin)
            self.assertEqual(status, 200, body)
            return [e for e in body["items"] if e["extension"] == "2301"][0]
        shown = lobby()
        self.assertTrue(shown["registered"], shown)
        self.assertEqual(shown["registrations"][0]["address"], f"UDP 127.0.0.1:{port}", shown)
        # The health page's figures (those of /metrics, refreshed every 5 s) count the phone.
        deadline, phones = time.time() + 8, 0
        while time.time() < deadline and phones < 1:
            status, body, _ = self.server.call("GET", "/api/v1/health/details", token=self.admin)
            self.assertEqual(status, 200, body)
            phones = body["metrics"]["unicc_sip_registrations"]
            time.sleep(0.5)
        self.assertGreaterEqual(phones, 1, body)
        self.assertGreater(body["metrics"]["unicc_recordings_disk_free_bytes"], 0, body)
        self.assertIn("unicc_calls_live", body["metrics"])

        status, body, _ = self.server.call("PATCH", "/api/v1/extensions/2301", {"enabled": False}, token=self.admin)
        self.assertEqual((status, body["enabled"], body["registered"]), (200, False, False), body)
        refused = self.register("2301", password="Quiet-Lobby-5512", expect_ok=False)
        self.assertEqual(refused.wait(), 0, refused.explain())
        self.assertIn("SIP/2.0 403", refused.trace())
        self.assertNotIn("SIP/2.0 200", refused.trace())

    # -- calls ----------------------------------------------------------------

    def test_phone_to_phone_call_relays_rtp_both_ways_and_records_it(self):
        callee = self.phone("1002", "uas_answer.xml", "-rtp_echo")
        caller = self.call("1001", "1002", "uac_call.xml")
        self.assertEqual(caller.wait(), 0, caller.explain())
        self.assertEqual(callee.wait(), 0, callee.explain())
        cdr = self.cdr(caller.trace())
        self.assertEqual((cdr["disposition"], cdr["caller"], cdr["callee"]), ("answered", "1001", "1002"))
        self.assertEqual((cdr["hangup_side"], cdr["hangup_cause"]), ("caller", "BYE"))
        self.assertEqual(cdr["direction"], "internal")
        rtp = cdr["rtp"]
        # The caller's audio reached the callee (which echoed it), and the echo came back.
        self.assertGreater(rtp["from_caller"], 50, rtp)
        self.assertGreater(rtp["to_callee"], 50, rtp)
        self.assertGreater(rtp["from_callee"], 50, rtp)
        self.assertGreater(rtp["to_caller"], 50, rtp)
        # unicc's SDP towards each phone names its own relay, not the other phone.
        self.assertIn("o=unicc", caller.trace())
        self.assertIn("o=unicc", callee.trace())
        assert_recorded_both_sides(self, cdr)

    def test_hold_and_resume_by_reinvite(self):
        callee = self.phone("1002", "uas_hold.xml")
        caller = self.call("1001", "1002", "uac_hold.xml")
        self.assertEqual(caller.wait(), 0, caller.explain())
        self.assertEqual(callee.wait(), 0, callee.explain())
        # The callee was asked to hold (sendonly) and to resume (sendrecv); the caller
        # got recvonly and then sendrecv back (the scenarios check each answer).
        self.assertIn("a=sendonly", callee.trace())
        self.assertEqual(self.cdr(caller.trace())["disposition"], "answered")

    def test_busy_callee(self):
        callee = self.phone("1002", "uas_busy.xml")
        caller = self.call("1001", "1002", "uac_fail.xml")
        self.assertEqual(caller.wait(), 0, caller.explain())
        self.assertEqual(callee.wait(), 0, callee.explain())
        self.assertIn("SIP/2.0 486", caller.trace())
        cdr = self.cdr(caller.trace())
        self.assertEqual((cdr["disposition"], cdr["hangup_cause"]), ("busy", "486"))

    def test_unregistered_callee_gets_480_and_unknown_number_404(self):
        caller = self.call("1001", "1004", "uac_fail.xml")
        self.assertEqual(caller.wait(), 0, caller.explain())
        self.assertIn("SIP/2.0 480", caller.trace())
        self.assertEqual(self.cdr(caller.trace())["disposition"], "unavailable")
        nowhere = self.call("1001", "7777", "uac_fail.xml")
        self.assertEqual(nowhere.wait(), 0, nowhere.explain())
        self.assertIn("SIP/2.0 404", nowhere.trace())

    def test_caller_cancels_while_ringing(self):
        callee = self.phone("1002", "uas_ring.xml")
        caller = self.call("1001", "1002", "uac_cancel.xml")
        self.assertEqual(caller.wait(), 0, caller.explain())
        self.assertEqual(callee.wait(), 0, callee.explain())
        self.assertIn("CANCEL sip:", callee.trace())
        cdr = self.cdr(caller.trace())
        self.assertEqual((cdr["disposition"], cdr["hangup_side"]), ("cancelled", "caller"))

    def test_call_over_tcp(self):
        callee = self.phone("1002", "uas_answer.xml")
        port = free_port()
        self.register("1001", port=port, transport="t1")
        caller = self.sipp("uac_call.xml", "-s", "1001", "-au", "1001", "-ap", "demo1001", "-set", "dial", "1002", "-mp", str(free_udp_port()), port=port, transport="t1")
        self.assertEqual(caller.wait(), 0, caller.explain())
        self.assertEqual(callee.wait(), 0, callee.explain())
        self.assertIn("SIP/2.0/TCP", caller.trace())
        self.assertEqual(self.cdr(caller.trace())["disposition"], "answered")

    def test_lost_packets_are_recovered_by_retransmission(self):
        """A relay between caller and unicc drops the first authenticated INVITE, the
        first 200 OK and the first BYE: retransmissions on both sides must recover."""
        callee = self.phone("1002", "uas_answer.xml")
        relay = LossyRelay(self.sip_port, drop=[b"CSeq: 2 INVITE", b"SIP/2.0 200 OK", b"CSeq: 3 BYE"])
        caller = Sipp(relay.port, "uac_call.xml", "-s", "1001", "-au", "1001", "-ap", "demo1001", "-set", "dial",
                      "1002", "-mp", str(free_udp_port()))
        code = caller.wait()
        relay.stop()
        self.assertEqual(code, 0, caller.explain())
        self.assertEqual(callee.wait(), 0, callee.explain())
        self.assertEqual(relay.dropped, 3)
        self.assertEqual(self.cdr(caller.trace())["disposition"], "answered")

    # -- trunks ---------------------------------------------------------------

    def test_trunk_call_to_a_did_rings_its_extension_without_authentication(self):
        callee = self.phone("1003", "uas_answer.xml")
        # A carrier is recognised by its address and port, and is not challenged.
        carrier = Sipp(self.sip_port, "trunk_call.xml", "-s", "8610012345", "-set", "dial", "4001",
                       "-mp", str(free_udp_port()), port=self.trunk_port)
        self.assertEqual(carrier.wait(), 0, carrier.explain())
        self.assertEqual(callee.wait(), 0, callee.explain())
        cdr = self.cdr(carrier.trace())
        self.assertEqual((cdr["direction"], cdr["trunk"], cdr["dialled"], cdr["callee"]),
                         ("inbound", "carrier", "4001", "1003"))

    def test_phone_dials_out_through_the_trunk(self):
        carrier = Sipp(self.sip_port, "uas_answer.xml", "-mp", str(free_udp_port()), port=self.trunk_port)
        time.sleep(0.3)
        caller = self.call("1001", "0013800138000", "uac_call.xml")
        self.assertEqual(caller.wait(), 0, caller.explain())
        self.assertEqual(carrier.wait(), 0, carrier.explain())
        self.assertIn(f"INVITE sip:013800138000@127.0.0.1:{self.trunk_port} SIP/2.0", carrier.trace())
        cdr = self.cdr(caller.trace())
        self.assertEqual((cdr["direction"], cdr["callee"], cdr["disposition"]),
                         ("outbound", "013800138000", "answered"))

    # -- hostile input --------------------------------------------------------

    def test_malformed_and_hostile_messages_get_400_or_nothing(self):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.bind(("127.0.0.1", 0))
            s.settimeout(2)
            port = s.getsockname()[1]
            target = ("127.0.0.1", self.sip_port)
            headers = (f"Via: SIP/2.0/UDP 127.0.0.1:{port};branch=z9hG4bKbad1\r\nFrom: <sip:x@127.0.0.1>;tag=1\r\n"
                       f"To: <sip:1001@127.0.0.1>\r\nCall-ID: hostile-1\r\n")
            bad_requests = [
                f"OPTIONS sip:1001@127.0.0.1 SIP/2.0\r\n{headers}CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n",
                f"OPTIONS sip:1001@127.0.0.1 SIP/2.0\r\n{headers}CSeq: abc OPTIONS\r\nContent-Length: 0\r\n\r\n",
                f"INVITE sip:1001@127.0.0.1 SIP/2.0\r\n{headers}CSeq: 1 INVITE\r\nContent-Length: 999\r\n\r\nv=0\r\n",
            ]
            for text in bad_requests:
                s.sendto(text.encode(), target)
                reply, _ = s.recvfrom(65535)
                self.assertTrue(reply.startswith(b"SIP/2.0 400 "), reply)
            for garbage in [b"\x00\x01\x02\x03" * 100, b"GET / HTTP/1.1\r\n\r\n", b"SIP/2.0 200 OK\r\n\r\n",
                            os.urandom(1400), b"INVITE " + b"A" * 70000]:
                s.sendto(garbage[:65000], target)
            s.settimeout(0.5)
            with self.assertRaises(socket.timeout):
                s.recvfrom(65535)
            # Still serving: a well-formed OPTIONS is answered.
            s.settimeout(2)
            s.sendto((f"OPTIONS sip:1001@127.0.0.1 SIP/2.0\r\n{headers}CSeq: 2 OPTIONS\r\nMax-Forwards: 70\r\n"
                      f"Content-Length: 0\r\n\r\n").encode(), target)
            reply, _ = s.recvfrom(65535)
            self.assertTrue(reply.startswith(b"SIP/2.0 200 "), reply)


class TrunkRegistrationTest(unittest.TestCase):
    """unicc registers to a carrier that asks for it: SIPp plays the carrier's
    registrar (scenarios/carrier_registrar.xml), which challenges every REGISTER,
    checks each digest answer, grants 4 s, then 3600 s to the refresh, and expects
    the registration removed when unicc stops."""

    def registration(self, server, token, wanted, seconds=15):
        """Polls GET /api/v1/trunks until the trunk's registration satisfies `wanted`."""
        deadline = time.time() + seconds
        body = None
        while time.time() < deadline:
            status, body, _ = server.call("GET", "/api/v1/trunks", token=token)
            self.assertEqual(status, 200, body)
            registration = body["items"][0]["registration"]
            if registration and wanted(registration):
                return registration
            time.sleep(0.05)
        self.fail(f"registration never got there: {body}\n{server.stderr()[-3000:]}")

    @staticmethod
    def received_registers(trace):
        """The REGISTER requests in a SIPp message trace, in order, as {header: value} dicts."""
        requests = []
        for block in trace.split("message received")[1:]:
            text = block.split(":", 1)[1].lstrip() if ":" in block else ""
            lines = text.splitlines()
            if not lines or not lines[0].startswith("REGISTER "):
                continue
            headers = {"start": lines[0]}
            for line in lines[1:]:
                if not line.strip():
                    break
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            requests.append(headers)
        return requests

    def test_registers_with_digest_refreshes_and_unregisters_at_shutdown(self):
        registrar_port = free_udp_port()
        sip_port = free_port()
        registrar = Sipp(sip_port, "carrier_registrar.xml", port=registrar_port)
        time.sleep(0.3)  # let it bind before unicc's first REGISTER
        server = Server(extra_config=(
            f'[sip]\nport = {sip_port}\n'
            f'[[trunk]]\nname = "carrier"\naddress = "127.0.0.1"\nport = {registrar_port}\n'
            f'username = "acct77"\npassword = "trunk-secret"\nregister = true\ncontact_user = "4000"\n'
            f'[[trunk]]\nname = "peer"\naddress = "127.0.0.2"\n'
            f'[[did]]\nnumbers = "4000"\ntarget = "1001"\n'))
        try:
            self.assertEqual(server.call("GET", "/api/v1/trunks")[0], 401)
            admin = server.login()
            first = self.registration(server, admin, lambda r: r["state"] == "registered")
            self.assertEqual((first["last_code"], first["user"]), (200, "acct77"))
            # Granted 4 s: refreshed at half time.
            self.assertEqual(first["expires_at"] - first["last_response_at"], 4000, first)
            self.assertEqual(first["next_attempt_at"] - first["last_response_at"], 2000, first)
            refreshed = self.registration(server, admin,
                                          lambda r: r["expires_at"] - r["last_response_at"] == 3600 * 1000)
            self.assertEqual(refreshed["state"], "registered")
            self.assertGreaterEqual(refreshed["last_response_at"] - first["last_response_at"], 1900)
            _, body, _ = server.call("GET", "/api/v1/trunks", token=admin)
            self.assertEqual([(t["name"], t["port"], t["transport"]) for t in body["items"]],
                             [("carrier", registrar_port, "udp"), ("peer", 5060, "udp")])
            self.assertIsNone(body["items"][1]["registration"])
            self.assertNotIn("password", json.dumps(body))
        finally:
            self.assertEqual(server.stop(), 0)
        self.assertEqual(registrar.wait(), 0, registrar.explain())
        self.assertRegex(server.stderr(), r"registration carrier at UDP 127\.0\.0\.1:\d+: unregistered \(200\)")

        registers = self.received_registers(registrar.trace())
        self.assertEqual(len(registers), 6, registrar.explain())
        self.assertEqual({r["call-id"] for r in registers}, {registers[0]["call-id"]})
        self.assertEqual([int(r["cseq"].split()[0]) for r in registers], list(range(1, 7)))
        self.assertEqual(["authorization" in r for r in registers], [False, True] * 3)
        self.assertEqual([r["expires"] for r in registers], ["3600"] * 4 + ["0"] * 2)
        for r in registers:
            self.assertEqual(r["start"], f"REGISTER sip:127.0.0.1:{registrar_port} SIP/2.0")
            self.assertEqual(r["to"], "<sip:acct77@127.0.0.1>")
            self.assertEqual(r["contact"], f"<sip:4000@127.0.0.1:{sip_port}>")


class LossyRelay:
    """Forwards UDP between one SIP client and unicc, dropping the first packet that
    contains each of the given byte strings (once each)."""

    def __init__(self, unicc_port, drop):
        self.unicc = ("127.0.0.1", unicc_port)
        self.pending = list(drop)
        self.dropped = 0
        self.client = None
        self.front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.front.bind(("127.0.0.1", 0))
        self.port = self.front.getsockname()[1]
        self.back = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.back.bind(("127.0.0.1", 0))
        self.running = True
        self.threads = [threading.Thread(target=self.pump, args=(self.front, True), daemon=True),
                        threading.Thread(target=self.pump, args=(self.back, False), daemon=True)]
        for t in self.threads:
            t.start()

    def should_drop(self, packet):
        for marker in self.pending:
            if marker in packet:
                self.pending.remove(marker)
                self.dropped += 1
                return True
        return False

    def pump(self, sock, from_client):
        sock.settimeout(0.2)
        while self.running:
            try:
                packet, source = sock.recvfrom(65535)
            except socket.timeout:
                continue
            except OSError:
                return
            if from_client:
                self.client = source
            if self.should_drop(packet):
                continue
            if from_client:
                self.back.sendto(packet, self.unicc)
            elif self.client:
                self.front.sendto(packet, self.client)

    def stop(self):
        self.running = False
        for t in self.threads:
            t.join(timeout=2)
        self.front.close()
        self.back.close()


if __name__ == "__main__":
    unittest.main()
