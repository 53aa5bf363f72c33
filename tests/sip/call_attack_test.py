"""Attacks on the call path, tried as an attacker would against a running unicc: each
case asserts that the attack fails and that the legitimate call or phone goes on.

The phones here are small Python user agents on raw UDP sockets, so a test can send
exactly the forged packet it needs: a BYE with a guessed tag, RTP from a stranger's
address, credentials replayed for another Request-URI, a caller ID carrying CR LF,
hundreds of wrong passwords. Attackers send from 127.0.0.2, so banning them does not
touch the phones on 127.0.0.1."""
import hashlib
import re
import socket
import struct
import time
import unittest
import uuid

from harness import EventStream, Server, free_port
from sip_test import free_udp_range

ATTACKER = "127.0.0.2"
BAN_SECONDS = 4
RATE = 3  # outbound calls per minute per caller


def md5(text):
    return hashlib.md5(text.encode()).hexdigest()


def header(message, name):
    match = re.search(rf"^{name}:\s*(.*?)\r$", message, re.M | re.I)
    return match.group(1) if match else None


def sdp_port(message):
    match = re.search(r"^m=audio (\d+) ", message, re.M)
    return int(match.group(1)) if match else None


class Ua:
    """A SIP user agent on one UDP socket: builds requests, reads what arrives."""

    def __init__(self, unicc_port, user, address="127.0.0.1"):
        self.unicc = ("127.0.0.1", unicc_port)
        self.user = user
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((address, 0))
        self.address, self.port = self.sock.getsockname()
        self.rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.rtp.bind((address, 0))
        self.rtp_port = self.rtp.getsockname()[1]
        self.cseq = 0

    def close(self):
        self.sock.close()
        self.rtp.close()

    def send(self, text):
        self.sock.sendto(text.encode(), self.unicc)

    def receive(self, timeout=5.0, skip_provisional=True):
        """The next message, or None when nothing came in `timeout`."""
        deadline = time.time() + timeout
        while True:
            remaining = deadline - time.time()
            if remaining <= 0:
                return None
            self.sock.settimeout(remaining)
            try:
                data, _ = self.sock.recvfrom(65535)
            except socket.timeout:
                return None
            text = data.decode(errors="replace")
            if skip_provisional and re.match(r"SIP/2.0 1\d\d ", text):
                continue
            return text

    def sdp(self):
        return (f"v=0\r\no=py 1 1 IN IP4 {self.address}\r\ns=-\r\nc=IN IP4 {self.address}\r\nt=0 0\r\n"
                f"m=audio {self.rtp_port} RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
                f"a=rtpmap:101 telephone-event/8000\r\n")

    def request(self, method, uri, call_id, from_tag, to="", to_tag="", body="", extra="", cseq=None,
                from_user=None, branch=None):
        self.cseq += 1
        branch = branch or "z9hG4bK" + uuid.uuid4().hex[:12]
        to_value = to or f"<{uri}>"
        text = (f"{method} {uri} SIP/2.0\r\nVia: SIP/2.0/UDP {self.address}:{self.port};branch={branch};rport\r\n"
                f"Max-Forwards: 70\r\nFrom: <sip:{from_user or self.user}@127.0.0.1>;tag={from_tag}\r\n"
                f"To: {to_value}{';tag=' + to_tag if to_tag else ''}\r\nCall-ID: {call_id}\r\n"
                f"CSeq: {cseq or self.cseq} {method}\r\nContact: <sip:{self.user}@{self.address}:{self.port}>\r\n"
                f"{extra}")
        if body:
            text += f"Content-Type: application/sdp\r\nContent-Length: {len(body)}\r\n\r\n{body}"
        else:
            text += "Content-Length: 0\r\n\r\n"
        return text

    @staticmethod
    def authorization(challenge, method, uri, user, password, nc="00000001", name="Authorization"):
        realm = re.search(r'realm="([^"]*)"', challenge).group(1)
        nonce = re.search(r'nonce="([^"]*)"', challenge).group(1)
        ha1 = md5(f"{user}:{realm}:{password}")
        ha2 = md5(f"{method}:{uri}")
        response = md5(f"{ha1}:{nonce}:{nc}:c0ffee:auth:{ha2}")
        return (f'{name}: Digest username="{user}", realm="{realm}", nonce="{nonce}", uri="{uri}", '
                f'response="{response}", algorithm=MD5, qop=auth, nc={nc}, cnonce="c0ffee"\r\n')

    def register_request(self, password, challenge=None, uri="sip:127.0.0.1", call_id=None):
        extra = f"Expires: 600\r\n"
        if challenge:
            extra += self.authorization(challenge, "REGISTER", uri, self.user, password)
        return self.request("REGISTER", uri, call_id or f"reg-{self.user}-{self.port}", "r1",
                            to=f"<sip:{self.user}@127.0.0.1>", extra=extra)

    def register(self, password):
        self.send(self.register_request(password))
        challenge = self.receive()
        assert challenge and challenge.startswith("SIP/2.0 401"), challenge
        self.send(self.register_request(password, header(challenge, "WWW-Authenticate")))
        return self.receive()


class CallAttackTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sip_port = free_port()
        cls.trunk = Ua(0, "carrier")  # the trunk's socket; its port goes into the config
        rtp_base = free_udp_range(100)
        cls.server = Server(extra_config=(
            f"[sip]\nport = {cls.sip_port}\nring_timeout_s = 10\n"
            f"ban_failures_per_address = 20\nban_duration_s = {BAN_SECONDS}\n"
            f"[media]\nrtp_port_min = {rtp_base}\nrtp_port_max = {rtp_base + 99}\n"
            f'[outbound]\ninternational_callers = ["1009"]\ncalls_per_minute_per_caller = {RATE}\n'
            f'[[trunk]]\nname = "carrier"\naddress = "127.0.0.1"\nport = {cls.trunk.port}\noutbound_prefix = "9"\n'
            f'[[did]]\nnumbers = "4050"\ntarget = "1004"\n'))
        cls.trunk.unicc = ("127.0.0.1", cls.sip_port)
        cls.admin = cls.server.login()

    @classmethod
    def tearDownClass(cls):
        cls.trunk.close()
        cls.server.stop()

    def setUp(self):
        self.uas = []

    def tearDown(self):
        for ua in self.uas:
            ua.close()

    def ua(self, user, address="127.0.0.1"):
        ua = Ua(self.sip_port, user, address)
        self.uas.append(ua)
        return ua

    def registered(self, user):
        ua = self.ua(user)
        ok = ua.register(f"demo{user}")
        self.assertTrue(ok and ok.startswith("SIP/2.0 200"), ok)
        return ua

    def answer(self, callee):
        """The callee answers unicc's INVITE; returns (invite, to_tag)."""
        invite = callee.receive(timeout=5)
        self.assertTrue(invite and invite.startswith("INVITE "), invite)
        to_tag = "callee-tag"
        response = (f"SIP/2.0 200 OK\r\n" + "".join(f"Via: {v}\r\n" for v in re.findall(r"^Via: (.*?)\r$", invite, re.M))
                    + f"From: {header(invite, 'From')}\r\nTo: {header(invite, 'To')};tag={to_tag}\r\n"
                    f"Call-ID: {header(invite, 'Call-ID')}\r\nCSeq: {header(invite, 'CSeq')}\r\n"
                    f"Contact: <sip:{callee.user}@{callee.address}:{callee.port}>\r\n"
                    f"Content-Type: application/sdp\r\nContent-Length: {len(callee.sdp())}\r\n\r\n{callee.sdp()}")
        callee.send(response)
        return invite, to_tag

    def call(self, caller, callee_number, callee):
        """An answered call from `caller` (a phone) to `callee`; returns its dialog facts."""
        call_id = f"attack-{uuid.uuid4().hex[:10]}@127.0.0.1"
        uri = f"sip:{callee_number}@127.0.0.1"
        caller.send(caller.request("INVITE", uri, call_id, "caller-tag", body=caller.sdp(), branch="z9hG4bKfirst"))
        challenge = caller.receive()
        self.assertTrue(challenge and challenge.startswith("SIP/2.0 407"), challenge)
        caller.send(caller.request("ACK", uri, call_id, "caller-tag", to_tag=header(challenge, "To").split("tag=")[1],
                                   cseq=caller.cseq, branch="z9hG4bKfirst"))
        auth = Ua.authorization(header(challenge, "Proxy-Authenticate"), "INVITE", uri, caller.user,
                                f"demo{caller.user}", name="Proxy-Authorization")
        caller.send(caller.request("INVITE", uri, call_id, "caller-tag", body=caller.sdp(), extra=auth))
        b_invite, _ = self.answer(callee)
        ok = caller.receive(timeout=5)
        self.assertTrue(ok and ok.startswith("SIP/2.0 200"), ok)
        our_tag = re.search(r"tag=([^;>\s]+)", header(ok, "To")).group(1)
        caller.send(caller.request("ACK", uri, call_id, "caller-tag", to_tag=our_tag, cseq=caller.cseq))
        ack = callee.receive()
        self.assertTrue(ack and ack.startswith("ACK "), ack)
        return {"call_id": call_id, "uri": uri, "our_tag": our_tag, "a_port": sdp_port(ok),
                "b_port": sdp_port(b_invite)}

    def dial(self, caller, number, reaches_carrier=False):
        """An authenticated INVITE from `caller` to `number`; returns (call_id, final
        response, the Request-URI the carrier got when `reaches_carrier`)."""
        call_id = f"dial-{uuid.uuid4().hex[:10]}@127.0.0.1"
        uri = f"sip:{number}@127.0.0.1"
        final = None
        for attempt in range(2):
            extra = ""
            if final:
                extra = Ua.authorization(header(final, "Proxy-Authenticate"), "INVITE", uri, caller.user,
                                         f"demo{caller.user}", name="Proxy-Authorization")
            branch = f"z9hG4bKdial{attempt}{uuid.uuid4().hex[:6]}"
            caller.send(caller.request("INVITE", uri, call_id, "dial-tag", body=caller.sdp(), extra=extra,
                                       branch=branch))
            carrier_got = self.carrier_refuses() if final and reaches_carrier else None
            final = caller.receive(timeout=5)
            self.assertIsNotNone(final)
            to_tag = re.search(r"tag=([^;>\s]+)", header(final, "To"))
            caller.send(caller.request("ACK", uri, call_id, "dial-tag", to_tag=to_tag.group(1) if to_tag else "",
                                       cseq=caller.cseq, branch=branch))
            if not final.startswith("SIP/2.0 407"):
                break
        return call_id, final, carrier_got

    def carrier_refuses(self):
        """The carrier's next INVITE from unicc, answered 486; returns its Request-URI."""
        invite = self.trunk.receive(timeout=5)
        while invite and invite.startswith("ACK "):  # for the carrier's previous answer
            invite = self.trunk.receive(timeout=5)
        self.assertTrue(invite and invite.startswith("INVITE "), invite)
        self.trunk.send("SIP/2.0 486 Busy Here\r\n" + "".join(f"Via: {v}\r\n" for v in re.findall(r"^Via: (.*?)\r$", invite, re.M))
                        + f"From: {header(invite, 'From')}\r\nTo: {header(invite, 'To')};tag=carrier\r\n"
                        f"Call-ID: {header(invite, 'Call-ID')}\r\nCSeq: {header(invite, 'CSeq')}\r\nContent-Length: 0\r\n\r\n")
        return invite.split(" ", 2)[1]

    def drain_carrier(self):
        while self.trunk.receive(timeout=0.3, skip_provisional=False) is not None:
            pass

    def cdr(self, call_id):
        deadline = time.time() + 5
        while time.time() < deadline:
            for cdr in self.server.call("GET", "/api/v1/cdrs?limit=50", token=self.admin)[1]["items"]:
                if cdr["call_id"] == call_id:
                    return cdr
            time.sleep(0.2)
        self.fail(f"no CDR for {call_id}")

    # -- dialogs ---------------------------------------------------------------

    def test_bye_and_reinvite_that_do_not_match_the_dialog_change_nothing(self):
        callee = self.registered("1002")
        caller = self.registered("1001")
        dialog = self.call(caller, "1002", callee)
        stranger = self.ua("1001", ATTACKER)
        forged = [
            (stranger, dialog["our_tag"], "BYE"),            # right tags, another address
            (caller, "guessed-tag", "BYE"),                  # right address, our tag guessed
            (caller, "", "BYE"),                             # no To tag at all
            (stranger, dialog["our_tag"], "INVITE"),         # a re-INVITE to move the media
        ]
        for ua, to_tag, method in forged:
            body = stranger.sdp() if method == "INVITE" else ""
            ua.send(ua.request(method, dialog["uri"], dialog["call_id"], "caller-tag", to_tag=to_tag, body=body,
                               cseq=100 + len(method)))
            reply = ua.receive()
            self.assertTrue(reply and reply.startswith("SIP/2.0 481"), (method, to_tag, reply))
        self.assertIsNone(callee.receive(timeout=0.5), "a forged request reached the callee")

        # The call goes on: the caller's real BYE ends it, and only then.
        caller.send(caller.request("BYE", dialog["uri"], dialog["call_id"], "caller-tag", to_tag=dialog["our_tag"]))
        reply = caller.receive()
        self.assertTrue(reply.startswith("SIP/2.0 200"), reply)
        bye = callee.receive()
        self.assertTrue(bye and bye.startswith("BYE "), bye)
        cdr = self.cdr(dialog["call_id"])
        self.assertEqual((cdr["disposition"], cdr["hangup_side"]), ("answered", "caller"))

    # -- media -----------------------------------------------------------------

    def test_rtp_from_a_stranger_during_a_call_is_not_relayed(self):
        callee = self.registered("1006")
        caller = self.registered("1007")
        dialog = self.call(caller, "1006", callee)
        unicc_a = ("127.0.0.1", dialog["a_port"])
        unicc_b = ("127.0.0.1", dialog["b_port"])

        def packet(seq, ssrc, fill):
            return struct.pack("!BBHII", 0x80, 0, seq, seq * 160, ssrc) + bytes([fill]) * 160

        def received(sock, timeout=0.5, first_within=None):
            """What arrives until `timeout` passes without a packet; the first may take
            up to `first_within` (a loaded machine is slow, silence must not be)."""
            got = []
            sock.settimeout(first_within or timeout)
            try:
                while True:
                    got.append(sock.recvfrom(2048)[0])
                    sock.settimeout(timeout)
            except socket.timeout:
                return got

        def payloads(sock):
            return [p[12:13] for p in received(sock, first_within=5)]

        stranger = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        stranger.bind((ATTACKER, 0))
        try:
            # First to the port, before the phone: not enough to take the stream.
            stranger.sendto(packet(99, 0xbad, 0x66), unicc_a)
            self.assertEqual(received(callee.rtp, 0.3), [], "the stranger's first packet reached the callee")
            caller.rtp.sendto(packet(1, 0xaaaa, 0x11), unicc_a)
            self.assertEqual(payloads(callee.rtp), [b"\x11"])
            for seq in range(100, 120):  # a steady stream, hoping to be latched to
                stranger.sendto(packet(seq, 0xbad, 0x66), unicc_a)
            self.assertEqual(received(callee.rtp), [], "the stranger's audio reached the callee")
            callee.rtp.sendto(packet(1, 0xbbbb, 0x22), unicc_b)
            self.assertEqual(payloads(caller.rtp), [b"\x22"])
            self.assertEqual(received(stranger, 0.3), [], "the stranger hears the call")
            caller.rtp.sendto(packet(2, 0xaaaa, 0x33), unicc_a)
            self.assertEqual(payloads(callee.rtp), [b"\x33"])
        finally:
            stranger.close()
        caller.send(caller.request("BYE", dialog["uri"], dialog["call_id"], "caller-tag", to_tag=dialog["our_tag"]))
        self.assertTrue(caller.receive().startswith("SIP/2.0 200"))

    # -- header injection ------------------------------------------------------

    def test_a_caller_id_with_cr_lf_cannot_add_headers_to_the_agents_invite(self):
        callee = self.registered("1004")
        call_id = f"inject-{uuid.uuid4().hex[:8]}@carrier"
        evil_user = "4155550100%0D%0AX-Injected:%20yes%0D%0A"
        trunk = self.trunk
        trunk.send(trunk.request("INVITE", "sip:4050@127.0.0.1", call_id, "t1", body=trunk.sdp(), from_user=evil_user,
                                 extra='Subject: x\r\n').replace("From: <", 'From: "Bob\\"\\r\\nX-Also: 1" <', 1))
        invite = callee.receive(timeout=5)
        self.assertTrue(invite and invite.startswith("INVITE "), invite)
        self.assertNotRegex(invite, r"(?mi)^X-Injected")
        self.assertNotRegex(invite, r"(?mi)^X-Also")
        self.assertIn("%0D%0AX-Injected", header(invite, "From"))
        callee.send("SIP/2.0 486 Busy Here\r\n" + "".join(f"Via: {v}\r\n" for v in re.findall(r"^Via: (.*?)\r$", invite, re.M))
                    + f"From: {header(invite, 'From')}\r\nTo: {header(invite, 'To')};tag=b\r\n"
                    f"Call-ID: {header(invite, 'Call-ID')}\r\nCSeq: {header(invite, 'CSeq')}\r\nContent-Length: 0\r\n\r\n")
        busy = trunk.receive(timeout=5)
        self.assertTrue(busy and busy.startswith("SIP/2.0 486"), busy)

    def test_a_from_header_that_cannot_be_parsed_is_answered_400(self):
        ua = self.ua("1001")
        for from_value in ["<sip:1001@127.0.0.1;tag=1", "sip:1001@127.0.0.1>;tag=1", '"unclosed <sip:1@x>;tag=1']:
            text = ua.request("INVITE", "sip:1002@127.0.0.1", f"bad-from-{uuid.uuid4().hex[:6]}", "x",
                              body=ua.sdp())
            text = re.sub(r"^From: .*?\r$", lambda _: f"From: {from_value}\r", text, count=1, flags=re.M)
            ua.send(text)
            reply = ua.receive(timeout=2)
            self.assertTrue(reply and reply.startswith("SIP/2.0 400"), (from_value, reply))

    # -- toll fraud ------------------------------------------------------------

    def test_international_calls_and_call_bursts_are_refused_and_raise_an_alert(self):
        stream = EventStream(self.server, self.admin)
        self.addCleanup(stream.close)
        self.drain_carrier()
        phone = self.registered("1003")
        call_id, reply, _ = self.dial(phone, "90044201234567")
        self.assertTrue(reply.startswith("SIP/2.0 403"), reply)
        self.assertIsNone(self.trunk.receive(timeout=0.5), "an international call reached the carrier")
        self.assertEqual(self.cdr(call_id)["disposition"], "blocked")

        # A caller on the international list goes through.
        allowed = self.registered("1009")
        _, reply, carrier_got = self.dial(allowed, "90044201234567", reaches_carrier=True)
        self.assertEqual(carrier_got, f"sip:0044201234567@127.0.0.1:{self.trunk.port}")
        self.assertTrue(reply.startswith("SIP/2.0 486"), reply)

        # A burst of national calls: the first RATE reach the carrier, the next is refused.
        for n in range(RATE):
            _, reply, carrier_got = self.dial(phone, f"9555010{n}", reaches_carrier=True)
            self.assertEqual(carrier_got, f"sip:555010{n}@127.0.0.1:{self.trunk.port}")
            self.assertTrue(reply.startswith("SIP/2.0 486"), reply)
        self.drain_carrier()
        _, reply, _ = self.dial(phone, "95550109")
        self.assertTrue(reply.startswith("SIP/2.0 403"), reply)
        self.assertIsNone(self.trunk.receive(timeout=0.5), "a call over the rate reached the carrier")

        deadline = time.time() + 3
        while len(stream.of_type("alert")) < 2 and time.time() < deadline:
            time.sleep(0.05)
        alerts = [(a["kind"], a["caller"], a["number"], a["reason"]) for a in stream.of_type("alert")]
        self.assertEqual(alerts, [("outbound_blocked", "1003", "0044201234567", "international"),
                                  ("outbound_blocked", "1003", "5550109", "rate")])

    # -- digest ----------------------------------------------------------------

    def test_digest_credentials_cannot_be_replayed_or_reused_for_another_uri(self):
        phone = self.ua("1008")
        phone.send(phone.register_request("demo1008"))
        challenge = header(phone.receive(), "WWW-Authenticate")
        good = phone.register_request("demo1008", challenge)
        phone.send(good)
        self.assertTrue(phone.receive().startswith("SIP/2.0 200"))
        # The same request again (an eavesdropper's replay): a fresh challenge, not a 200.
        phone.send(good.replace("branch=z9hG4bK", "branch=z9hG4bKreplay", 1))
        reply = phone.receive()
        self.assertTrue(reply.startswith("SIP/2.0 401"), reply)
        self.assertIn("stale=true", reply)
        # Credentials made for one Request-URI sent with another.
        phone.send(phone.register_request("demo1008", header(reply, "WWW-Authenticate"))
                   .replace("REGISTER sip:127.0.0.1 ", "REGISTER sip:1008@127.0.0.1 ", 1))
        reply = phone.receive()
        self.assertTrue(reply.startswith("SIP/2.0 403"), reply)

    def test_wrong_passwords_ban_the_source_until_the_ban_ends_or_an_admin_lifts_it(self):
        attacker = self.ua("1005", ATTACKER)
        attacker.send(attacker.register_request("x"))
        challenge = header(attacker.receive(), "WWW-Authenticate")
        for attempt in range(500):
            attacker.send(attacker.register_request(f"guess{attempt}", challenge,
                                                    call_id=f"crack-{attempt}"))
        answers = []
        while (reply := attacker.receive(timeout=1.0)) is not None:
            answers.append(reply.split("\r\n", 1)[0])
        self.assertEqual(answers, ["SIP/2.0 403 Forbidden"] * 20)

        # Banned: even the right password gets no answer. A phone elsewhere still works.
        attacker.send(attacker.register_request("demo1005"))
        self.assertIsNone(attacker.receive(timeout=1.0))
        self.registered("1005")
        status, bans, _ = self.server.call("GET", "/api/v1/sip/bans", token=self.admin)
        self.assertEqual(status, 200)
        self.assertIn(("address", ATTACKER), [(b["kind"], b["key"]) for b in bans["items"]])

        # Once the ban ends, the right password works from there too.
        time.sleep(BAN_SECONDS + 0.5)
        ok = attacker.register("demo1005")
        self.assertTrue(ok and ok.startswith("SIP/2.0 200"), ok)

        # Banned again, then lifted by an admin at once (and audited).
        for attempt in range(20):
            attacker.send(attacker.register_request(f"again{attempt}", challenge, call_id=f"again-{attempt}"))
        while attacker.receive(timeout=0.5) is not None:
            pass
        attacker.send(attacker.register_request("demo1005"))
        self.assertIsNone(attacker.receive(timeout=1.0))
        status, _, _ = self.server.call("DELETE", f"/api/v1/sip/bans/address/{ATTACKER}", token=self.admin)
        self.assertEqual(status, 204)
        ok = attacker.register("demo1005")
        self.assertTrue(ok and ok.startswith("SIP/2.0 200"), ok)
        status, audit, _ = self.server.call("GET", "/api/v1/audit?limit=20", token=self.admin)
        self.assertIn(("sip_ban.lift", f"address:{ATTACKER}"),
                      [(entry["action"], entry["target"]) for entry in audit["items"]])
        status, _, _ = self.server.call("DELETE", f"/api/v1/sip/bans/address/{ATTACKER}", token=self.admin)
        self.assertEqual(status, 404)



class BansOutliveARestartTest(unittest.TestCase):
    """A cracker who gets the server restarted (or waits for a restart) finds the ban
    still in force; a ban an admin lifted stays lifted."""

    def setUp(self):
        self.sip_port = free_port()
        rtp_base = free_udp_range(20)
        self.server = Server(extra_config=(
            f"[sip]\nport = {self.sip_port}\nban_failures_per_address = 5\nban_duration_s = 600\n"
            f"[media]\nrtp_port_min = {rtp_base}\nrtp_port_max = {rtp_base + 19}\n"))
        self.addCleanup(self.server.stop)
        self.attacker = Ua(self.sip_port, "1006", "127.0.0.5")
        self.addCleanup(self.attacker.close)

    def register_from(self, address):
        phone = Ua(self.sip_port, "1006", address)
        self.addCleanup(phone.close)
        return phone.register("demo1006")

    def test_a_ban_survives_a_restart_and_so_does_its_lifting(self):
        self.attacker.send(self.attacker.register_request("x"))
        challenge = header(self.attacker.receive(), "WWW-Authenticate")
        for attempt in range(5):
            self.attacker.send(self.attacker.register_request(f"guess{attempt}", challenge, call_id=f"crack-{attempt}"))
        answers = []
        while (reply := self.attacker.receive(timeout=1.0)) is not None:
            answers.append(reply.split("\r\n", 1)[0])
        self.assertEqual(answers, ["SIP/2.0 403 Forbidden"] * 5)

        self.server.restart()
        self.attacker.send(self.attacker.register_request("demo1006"))
        self.assertIsNone(self.attacker.receive(timeout=1.0), "the ban ended with the restart")
        ok = self.register_from("127.0.0.1")
        self.assertTrue(ok and ok.startswith("SIP/2.0 200"), ok)
        admin = self.server.login()
        status, bans, _ = self.server.call("GET", "/api/v1/sip/bans", token=admin)
        self.assertEqual([(b["kind"], b["key"], b["failures"]) for b in bans["items"]], [("address", "127.0.0.5", 5)])

        status, _, _ = self.server.call("DELETE", "/api/v1/sip/bans/address/127.0.0.5", token=admin)
        self.assertEqual(status, 204)
        self.server.restart()
        ok = self.register_from("127.0.0.5")
        self.assertTrue(ok and ok.startswith("SIP/2.0 200"), ok)


if __name__ == "__main__":
    unittest.main()
