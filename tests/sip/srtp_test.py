"""SRTP (SDES, RFC 4568) through unicc with real phones: headless baresip instances
(module srtp, `mediaenc=srtp-mand`) register over SIP over TLS (the demo's
self-signed certificate, which they trust) and call each other through unicc.

Every leg negotiates its own keys, so the checks are: each phone's SDP from unicc
is RTP/SAVP with an a=crypto line of unicc's own (never the other phone's key),
audio is heard both ways (each phone records what it received, decoded: not
silence), unicc's call recording has both sides, the relay counted RTP both ways,
and no SRTP packet failed
authentication (baresip sends a clear RTCP packet at the start and end of a call,
which is dropped and counted apart as SRTCP). An SRTP phone also talks to a plain one (unicc bridges SRTP to
RTP), and a trunk that requires SRTP gets 488 for a plain offer. A carrier (baresip
too) reached over TLS, known by its certificate, talks SRTP to a phone both ways."""
import math
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import unittest
import urllib.request
import wave
from array import array

from harness import Server, free_port
from sip_test import assert_recorded_both_sides, free_udp_port, free_udp_range
from softphone_test import Baresip, finished_cdr, media_config

CALL_SECONDS = 3


def received_invite(log):
    """The first INVITE in a baresip SIP trace (-s, messages between "#" lines) that
    unicc sent it (baresip's own carry its User-Agent), or None."""
    for block in log.split("\n#\n"):
        message = block.strip().partition("\n")[2]
        if message.startswith("INVITE ") and "User-Agent: unicc" in message:
            return message
    return None


def crypto_keys(text):
    """The inline keys of the a=crypto lines in `text` (SIP traces)."""
    return re.findall(r"a=crypto:\d+ AES_CM_128_HMAC_SHA1_(?:80|32) inline:([A-Za-z0-9+/=]+)", text)


class SrtpPhones:
    """Helpers of the SRTP tests: baresip phones over TLS, calls, audio checks."""

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.recordings, ignore_errors=True)
        shutil.rmtree(cls.server.dir, ignore_errors=True)

    # -- helpers ----------------------------------------------------------------

    def baresip(self, user, account_params="", tls=True):
        """A baresip phone for `user`, registered over TLS (or UDP), with module srtp."""
        phone = Baresip(self.tls_port if tls else self.sip_port, user, f"demo{user}",
                        free_udp_range(20, low=10000, high=20000), uri_params=";transport=tls" if tls else "",
                        account_params=account_params,
                        extra_config=("module srtp.so", f"sip_cafile {self.cafile}"))
        self.addCleanup(shutil.rmtree, phone.dir, True)
        self.addCleanup(phone.stop)
        phone.connect()
        registered = phone.wait_log(r"\} 200 OK .*|reg: .*", timeout=10)
        self.assertIsNotNone(registered, f"{user} did not register within 10 s:\n{phone.log()[-6000:]}")
        self.assertIn("200 OK", registered.group(0), f"{user}'s registration failed:\n{phone.log()[-6000:]}")
        return phone

    def explain(self, what, *phones):
        logs = "".join(f"\n--- baresip {phone.aor} ---\n{phone.log()[-8000:]}" for phone in phones)
        return f"{what}{logs}\n--- unicc stderr ---\n{self.server.stderr()[-4000:]}"

    def metric(self, name):
        with urllib.request.urlopen(self.server.base + "/metrics", timeout=5) as response:
            text = response.read().decode()
        match = re.search(rf"^{name}(?:{{[^}}]*}})? (\S+)", text, re.M)
        return float(match.group(1)) if match else None

    def assert_heard_audio(self, phone, *others):
        heard = phone.heard()
        self.assertEqual(len(heard), 1, self.explain(f"sndfile files of {phone.aor}: {heard}", phone, *others))
        with wave.open(heard[0]) as recording:
            samples = array("h", recording.readframes(recording.getnframes()))
        self.assertGreater(len(samples), 8000, f"{phone.aor} heard less than a second")
        rms = math.sqrt(sum(s * s for s in samples) / len(samples))
        # The other phone's tone has an RMS of about 5650; the first moments are silent.
        self.assertGreater(rms, 1000, self.explain(f"{phone.aor} heard near silence (rms {rms:.0f})", phone, *others))

    def assert_relayed_both_ways(self, cdr):
        for counter in ("from_caller", "to_callee", "from_callee", "to_caller"):
            self.assertGreater(cdr["rtp"][counter], 20, (counter, cdr["rtp"]))

    def call(self, caller, callee_uri, callee):
        """Dials from `caller`, talks CALL_SECONDS, hangs up; returns the CDR."""
        reply = caller.command("dial", callee_uri)
        self.assertTrue(reply.get("ok"), self.explain(f"dial refused: {reply}", caller, callee))
        established = caller.wait_event("CALL_ESTABLISHED", "CALL_CLOSED", timeout=15)
        self.assertIsNotNone(established, self.explain("no answer within 15 s", caller, callee))
        self.assertEqual(established["type"], "CALL_ESTABLISHED", self.explain(f"call failed: {established}",
                                                                                 caller, callee))
        time.sleep(CALL_SECONDS)
        self.assertIsNone(caller.wait_event("CALL_CLOSED", timeout=0.2), self.explain("ended early", caller, callee))
        self.assertTrue(caller.command("hangup").get("ok"))
        self.assertIsNotNone(caller.wait_event("CALL_CLOSED", timeout=10), self.explain("no hangup", caller, callee))
        caller.stop()
        callee.stop()
        return finished_cdr(self, established.get("id"))


class SrtpTest(SrtpPhones, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sip_port = free_port()
        cls.tls_port = free_port()
        cls.trunk_port = free_udp_port()
        cls.recordings = tempfile.mkdtemp(prefix="unicc-rec-")
        cls.server = Server(extra_config=(
            f"[sip]\nport = {cls.sip_port}\nring_timeout_s = 10\ntls = true\ntls_port = {cls.tls_port}\n"
            + media_config(cls.recordings) + 'srtp_required_extensions = ["1002"]\n'
            f'[[trunk]]\nname = "secure-carrier"\naddress = "127.0.0.1"\nport = {cls.trunk_port}\n'
            f'srtp = "required"\n'))
        cls.admin = cls.server.login()
        cls.cafile = os.path.join(cls.server.dir, "var", "tls", "sip-demo.pem")

    # -- tests ------------------------------------------------------------------

    def test_two_tls_phones_talk_over_srtp_each_with_its_own_keys(self):
        failures_before = self.metric("unicc_srtp_failed_packets_total")
        callee = self.baresip("1002", ";mediaenc=srtp-mand;answermode=auto")
        caller = self.baresip("1001", ";mediaenc=srtp-mand")
        cdr = self.call(caller, f"sip:1002@127.0.0.1:{self.tls_port};transport=tls", callee)

        caller_log, callee_log = caller.log(), callee.log()
        # unicc's INVITE to 1002 came over TLS, RTP/SAVP, with unicc's key for that leg.
        invite = received_invite(callee_log)
        self.assertIsNotNone(invite, self.explain("1002 logged no INVITE", callee))
        self.assertIn("SIP/2.0/TLS", invite)
        self.assertIn("transport=tls", invite)
        self.assertIn("RTP/SAVP", invite)
        keys_a = set(crypto_keys(caller_log))  # the caller's own and unicc's for leg A
        keys_b = set(crypto_keys(callee_log))  # unicc's for leg B and the callee's own
        self.assertGreaterEqual(len(keys_a), 2, self.explain("no SDES exchange on leg A", caller))
        self.assertGreaterEqual(len(keys_b), 2, self.explain("no SDES exchange on leg B", callee))
        self.assertFalse(keys_a & keys_b, "a key crossed from one leg to the other")

        self.assert_heard_audio(caller, callee)
        self.assert_heard_audio(callee, caller)
        self.assertEqual((cdr["caller"], cdr["callee"], cdr["disposition"]), ("1001", "1002", "answered"), cdr)
        self.assert_relayed_both_ways(cdr)
        assert_recorded_both_sides(self, cdr)  # from the decrypted packets
        self.assertEqual(self.metric("unicc_srtp_failed_packets_total"), failures_before,
                         self.explain("SRTP packets failed authentication", caller, callee))
        self.assertIsNotNone(self.metric("unicc_srtcp_failed_packets_total"))

    def test_an_srtp_phone_talks_to_a_plain_one(self):
        callee = self.baresip("1003", ";answermode=auto", tls=False)
        caller = self.baresip("1001", ";mediaenc=srtp-mand")
        cdr = self.call(caller, f"sip:1003@127.0.0.1:{self.tls_port};transport=tls", callee)
        callee_log = callee.log()
        invite = received_invite(callee_log)
        self.assertIsNotNone(invite, self.explain("1003 logged no INVITE", callee))
        self.assertIn("RTP/AVP", invite)
        self.assertNotIn("a=crypto", invite)
        self.assertIn("RTP/SAVP", caller.log())
        self.assert_heard_audio(caller, callee)
        self.assert_heard_audio(callee, caller)
        self.assert_relayed_both_ways(cdr)

    def test_a_trunk_that_requires_srtp_gets_488_for_a_plain_offer(self):
        def invite(branch, media):
            sdp = (f"v=0\r\no=carrier 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                   f"{media}")
            return (f"INVITE sip:4000@127.0.0.1:{self.sip_port} SIP/2.0\r\n"
                    f"Via: SIP/2.0/UDP 127.0.0.1:{self.trunk_port};branch=z9hG4bK{branch};rport\r\n"
                    f"From: <sip:5551234@127.0.0.1>;tag={branch}\r\nTo: <sip:4000@127.0.0.1>\r\n"
                    f"Call-ID: {branch}@carrier\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\n"
                    f"Contact: <sip:5551234@127.0.0.1:{self.trunk_port}>\r\n"
                    f"Content-Type: application/sdp\r\nContent-Length: {len(sdp)}\r\n\r\n{sdp}").encode()

        def final_status(message):
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
                sock.bind(("127.0.0.1", self.trunk_port))
                sock.settimeout(5)
                sock.sendto(message, ("127.0.0.1", self.sip_port))
                for _ in range(10):
                    status = int(sock.recv(65536).split(b" ", 2)[1])
                    if status >= 200:
                        return status
            return None

        plain = "m=audio 40000 RTP/AVP 0\r\n"
        self.assertEqual(final_status(invite("plain1", plain)), 488)
        srtp = ("m=audio 40000 RTP/SAVP 0\r\n"
                "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR\r\n")
        # Accepted as far as the media goes: 4000 rings extension 1001, which has no phone now.
        self.assertEqual(final_status(invite("srtp1", srtp)), 480)


class SrtpTlsTrunkTest(SrtpPhones, unittest.TestCase):
    """A carrier over TLS that requires SRTP: a baresip that listens for TLS with a
    certificate naming carrier.example and 127.0.0.1, which unicc trusts
    (sip.tls_ca_file). unicc's calls to it verify that certificate; its calls to
    unicc are the trunk's because the same certificate comes with them (tls_name).
    Both ways the phone and the carrier talk SRTP, each leg with its own keys."""

    CARRIER_NUMBER = "5550100"

    @classmethod
    def setUpClass(cls):
        cls.certificates = tempfile.mkdtemp(prefix="unicc-carrier-")
        cert, key = (os.path.join(cls.certificates, name) for name in ("carrier.pem", "carrier.key"))
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                        "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=carrier.example",
                        "-addext", "subjectAltName=DNS:carrier.example,IP:127.0.0.1"],
                       check=True, capture_output=True, timeout=30)
        cls.carrier_identity = os.path.join(cls.certificates, "identity.pem")  # baresip wants both in one file
        with open(cls.carrier_identity, "w") as identity:
            for path in (cert, key):
                with open(path) as f:
                    identity.write(f.read())
        cls.carrier_listen = free_udp_range(2, low=10000, high=20000)  # SIP, then TLS on the next port
        cls.sip_port = free_port()
        cls.tls_port = free_port()
        cls.recordings = tempfile.mkdtemp(prefix="unicc-rec-")
        cls.server = Server(extra_config=(
            f"[sip]\nport = {cls.sip_port}\nring_timeout_s = 10\ntls = true\ntls_port = {cls.tls_port}\n"
            f'tls_ca_file = "{cert}"\n'
            + media_config(cls.recordings) + 'srtp_required_extensions = ["1001"]\n'
            f'[[trunk]]\nname = "tls-carrier"\naddress = "127.0.0.1"\nport = {cls.carrier_listen + 1}\n'
            f'transport = "tls"\ntls_name = "carrier.example"\nsrtp = "required"\noutbound_prefix = "0"\n'
            f'[[did]]\nnumbers = "4050"\ntarget = "1001"\n'))
        cls.admin = cls.server.login()
        cls.cafile = os.path.join(cls.server.dir, "var", "tls", "sip-demo.pem")

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.certificates, ignore_errors=True)

    def carrier(self, answer):
        """The carrier: TLS with its certificate, SRTP only, no registration."""
        mode = ";answermode=auto" if answer else ""
        carrier = Baresip(self.tls_port, self.CARRIER_NUMBER, "", free_udp_range(20, low=10000, high=20000),
                          uri_params=";transport=tls", account_params=f";mediaenc=srtp-mand{mode}",
                          extra_config=("module srtp.so", f"sip_cafile {self.cafile}",
                                        f"sip_certificate {self.carrier_identity}"),
                          listen=f"127.0.0.1:{self.carrier_listen}", register=False)
        self.addCleanup(shutil.rmtree, carrier.dir, True)
        self.addCleanup(carrier.stop)
        carrier.connect()
        return carrier

    def assert_srtp_both_legs(self, phone, carrier):
        for peer in (phone, carrier):
            self.assertIn("RTP/SAVP", peer.log(), self.explain("no SRTP offer or answer", peer))
        self.assertFalse(set(crypto_keys(phone.log())) & set(crypto_keys(carrier.log())),
                         "a key crossed from one leg to the other")
        self.assert_heard_audio(phone, carrier)
        self.assert_heard_audio(carrier, phone)

    def test_a_phone_calls_out_through_the_tls_carrier_over_srtp(self):
        carrier = self.carrier(answer=True)
        phone = self.baresip("1001", ";mediaenc=srtp-mand")
        cdr = self.call(phone, f"sip:0{self.CARRIER_NUMBER}@127.0.0.1:{self.tls_port};transport=tls", carrier)
        invite = received_invite(carrier.log())
        self.assertIsNotNone(invite, self.explain("the carrier logged no INVITE", carrier))
        self.assertTrue(invite.startswith(f"INVITE sip:{self.CARRIER_NUMBER}@127.0.0.1:{self.carrier_listen + 1}"),
                        invite[:200])
        self.assertIn("SIP/2.0/TLS", invite)
        self.assert_srtp_both_legs(phone, carrier)
        self.assertEqual((cdr["direction"], cdr["trunk"], cdr["disposition"]),
                         ("outbound", "tls-carrier", "answered"), cdr)
        self.assert_relayed_both_ways(cdr)

    def test_the_tls_carrier_calls_a_phone_over_srtp(self):
        phone = self.baresip("1001", ";mediaenc=srtp-mand;answermode=auto")
        carrier = self.carrier(answer=False)
        cdr = self.call(carrier, f"sip:4050@127.0.0.1:{self.tls_port};transport=tls", phone)
        # The carrier was not challenged: its certificate made it the trunk.
        self.assertNotIn("407 Proxy Authentication Required", carrier.log())
        self.assert_srtp_both_legs(phone, carrier)
        self.assertEqual((cdr["direction"], cdr["trunk"], cdr["callee"], cdr["disposition"]),
                         ("inbound", "tls-carrier", "1001", "answered"), cdr)
        self.assert_relayed_both_ways(cdr)


if __name__ == "__main__":
    unittest.main()
