"""SIP over TLS against a running `unicc serve --demo` with `sip.tls = true` and no
certificate configured, so the demo makes its self-signed one in var/tls/; the
clients trust exactly that file and check that it names 127.0.0.1.

Debian's SIPp is built without TLS (`-t l1` is missing), so SIPp phones reach the
TLS port through a small relay in this file (SIPp speaks TCP to it, it speaks
verified TLS to unicc: unicc sees nothing but TLS), and the called phone is a
minimal SIP user agent over TLS written here, so the INVITE that unicc sends it
can be checked: it must come over the phone's own registered TLS connection."""
import hashlib
import os
import re
import select
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.request

from harness import Server, free_port
from sip_test import PhoneHelpers, Sipp, free_udp_port


def tls_context(cafile):
    context = ssl.create_default_context(cafile=cafile)
    context.check_hostname = True  # an IP address is matched against subjectAltName
    return context


class TlsRelay:
    """Accepts TCP on 127.0.0.1 and carries each connection over its own verified
    TLS connection to unicc, both ways, until either side closes."""

    def __init__(self, tls_port, cafile):
        self.tls_port = tls_port
        self.context = tls_context(cafile)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.stopping = threading.Event()
        self.versions = []
        self.errors = []
        self.threads = [threading.Thread(target=self._accept, daemon=True)]
        self.threads[0].start()

    def _accept(self):
        self.listener.settimeout(0.2)
        while not self.stopping.is_set():
            try:
                plain, _ = self.listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            try:
                secure = self.context.wrap_socket(socket.create_connection(("127.0.0.1", self.tls_port), timeout=5),
                                                  server_hostname="127.0.0.1")
            except (OSError, ssl.SSLError) as error:
                self.errors.append(repr(error))
                plain.close()
                continue
            self.versions.append(secure.version())
            thread = threading.Thread(target=self._pump, args=(plain, secure), daemon=True)
            self.threads.append(thread)
            thread.start()

    def _pump(self, plain, secure):
        # One thread per pair: an SSL object must not be read and written at once.
        # Non-blocking reads, since a readable TLS socket may hold no application
        # data (a TLS 1.3 session ticket).
        secure.setblocking(False)
        try:
            while not self.stopping.is_set():
                ready = [secure] if secure.pending() else select.select([plain, secure], [], [], 0.2)[0]
                for source in ready:
                    try:
                        data = source.recv(65536)
                    except ssl.SSLWantReadError:
                        continue
                    if not data:
                        return
                    if source is plain:
                        secure.setblocking(True)
                        secure.sendall(data)
                        secure.setblocking(False)
                    else:
                        plain.sendall(data)
        except (OSError, ssl.SSLError):
            return
        finally:
            plain.close()
            secure.close()

    def close(self):
        self.stopping.set()
        self.listener.close()
        for thread in self.threads:
            thread.join(timeout=2)


class TlsPhone:
    """A SIP phone over TLS: registers with digest over one connection, then
    answers the call that arrives on it. `certificate` (certificate file, key file)
    is presented to unicc when given."""

    def __init__(self, tls_port, cafile, extension, password, certificate=None):
        self.extension, self.password = extension, password
        context = tls_context(cafile)
        if certificate:
            context.load_cert_chain(*certificate)
        self.sock = context.wrap_socket(socket.create_connection(("127.0.0.1", tls_port), timeout=10),
                                        server_hostname="127.0.0.1")
        self.local_port = self.sock.getsockname()[1]
        self.buffer = b""
        self.tag = f"tls{os.getpid()}"

    def close(self):
        self.sock.close()

    def send(self, text):
        self.sock.sendall(text.encode())

    def receive(self, timeout=10):
        """The next SIP message: (start line, {lowercase header: first value}, text)."""
        deadline = time.monotonic() + timeout
        while True:
            head_end = self.buffer.find(b"\r\n\r\n")
            if head_end >= 0:
                head = self.buffer[:head_end].decode()
                length = int(re.search(r"(?im)^(?:content-length|l)\s*:\s*(\d+)", head).group(1))
                total = head_end + 4 + length
                if len(self.buffer) >= total:
                    text = self.buffer[:total].decode()
                    self.buffer = self.buffer[total:]
                    lines = head.split("\r\n")
                    headers = {}
                    for line in lines[1:]:
                        name, _, value = line.partition(":")
                        headers.setdefault(name.strip().lower(), value.strip())
                    return lines[0], headers, text
            elif self.buffer.startswith(b"\r\n"):
                self.buffer = self.buffer.lstrip(b"\r\n")
                continue
            if time.monotonic() > deadline:
                raise TimeoutError("no SIP message over TLS")
            self.sock.settimeout(max(0.1, deadline - time.monotonic()))
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("unicc closed the TLS connection")
            self.buffer += chunk

    def register(self):
        uri = "sip:127.0.0.1"
        authorization = ""
        for cseq in (1, 2):
            self.send(f"REGISTER {uri} SIP/2.0\r\n"
                      f"Via: SIP/2.0/TLS 127.0.0.1:{self.local_port};branch=z9hG4bKreg{cseq}{self.tag};rport\r\n"
                      f"From: <sip:{self.extension}@127.0.0.1>;tag={self.tag}\r\n"
                      f"To: <sip:{self.extension}@127.0.0.1>\r\n"
                      f"Call-ID: reg-{self.tag}\r\nCSeq: {cseq} REGISTER\r\n"
                      f"Contact: <sip:{self.extension}@127.0.0.1:{self.local_port};transport=tls>\r\n"
                      f"{authorization}Max-Forwards: 70\r\nExpires: 600\r\nContent-Length: 0\r\n\r\n")
            start, headers, text = self.receive()
            if start.startswith("SIP/2.0 200"):
                return text
            if not start.startswith("SIP/2.0 401") or cseq == 2:
                raise AssertionError(f"REGISTER over TLS answered {start}:\n{text}")
            challenge = dict(re.findall(r'(\w+)="?([^",]*)"?', headers["www-authenticate"].split(" ", 1)[1]))
            md5 = lambda s: hashlib.md5(s.encode()).hexdigest()
            ha1 = md5(f"{self.extension}:{challenge['realm']}:{self.password}")
            ha2 = md5(f"REGISTER:{uri}")
            fields = f'username="{self.extension}", realm="{challenge["realm"]}", nonce="{challenge["nonce"]}", uri="{uri}"'
            if "qop" in challenge:
                response = md5(f"{ha1}:{challenge['nonce']}:00000001:c0ffee:auth:{ha2}")
                fields += f', qop=auth, nc=00000001, cnonce="c0ffee", response="{response}"'
            else:
                fields += f', response="{md5(ha1 + ":" + challenge["nonce"] + ":" + ha2)}"'
            if "opaque" in challenge:
                fields += f', opaque="{challenge["opaque"]}"'
            authorization = f"Authorization: Digest {fields}, algorithm=MD5\r\n"

    def answer(self, rtp_port):
        """Waits for an INVITE, answers it (PCMA) and waits for its BYE; returns the
        INVITE's text."""
        while True:
            start, headers, invite = self.receive(timeout=20)
            if start.startswith("INVITE "):
                break
        vias = "".join(line + "\r\n" for line in invite.split("\r\n") if re.match(r"(?i)(via|v)\s*:", line))
        common = (f"{vias}From: {headers['from']}\r\nTo: {headers['to']};tag=callee{self.tag}\r\n"
                  f"Call-ID: {headers['call-id']}\r\nCSeq: {headers['cseq']}\r\n"
                  f"Contact: <sip:{self.extension}@127.0.0.1:{self.local_port};transport=tls>\r\n")
        sdp = (f"v=0\r\no=phone 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
               f"m=audio {rtp_port} RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n")
        self.send(f"SIP/2.0 180 Ringing\r\n{common}Content-Length: 0\r\n\r\n")
        self.send(f"SIP/2.0 200 OK\r\n{common}Content-Type: application/sdp\r\nContent-Length: {len(sdp)}\r\n\r\n{sdp}")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            start, headers, text = self.receive(timeout=30)
            if start.startswith("BYE "):
                bye_vias = "".join(line + "\r\n" for line in text.split("\r\n") if re.match(r"(?i)(via|v)\s*:", line))
                self.send(f"SIP/2.0 200 OK\r\n{bye_vias}From: {headers['from']}\r\nTo: {headers['to']}\r\n"
                          f"Call-ID: {headers['call-id']}\r\nCSeq: {headers['cseq']}\r\nContent-Length: 0\r\n\r\n")
                return invite
        raise AssertionError("no BYE over TLS")


class SipTlsTest(PhoneHelpers, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sip_port = free_port()
        cls.tls_port = free_port()
        cls.server = Server(extra_config=f"[sip]\nport = {cls.sip_port}\nring_timeout_s = 10\ntls = true\n"
                                         f"tls_port = {cls.tls_port}\n")
        cls.admin = cls.server.login()
        cls.cafile = os.path.join(cls.server.dir, "var", "tls", "sip-demo.pem")
        cls.relay = TlsRelay(cls.tls_port, cls.cafile)

    @classmethod
    def tearDownClass(cls):
        cls.relay.close()
        cls.server.stop()

    def tls_messages(self):
        with urllib.request.urlopen(self.server.base + "/metrics", timeout=5) as response:
            text = response.read().decode()
        match = re.search(r'^unicc_sip_messages_received_total\{transport="tls"\} (\d+)', text, re.M)
        return int(match.group(1)) if match else 0

    def test_the_demo_made_a_certificate_for_its_address(self):
        self.assertTrue(os.path.exists(self.cafile))
        mode = os.stat(os.path.join(self.server.dir, "var", "tls", "sip-demo.key")).st_mode & 0o777
        self.assertEqual(mode, 0o600)
        self.assertIn(f"tls:127.0.0.1:{self.tls_port}", self.server.stdout() + self.server.stderr())
        # Cleartext on the TLS port gets nothing back and is closed.
        with socket.create_connection(("127.0.0.1", self.tls_port), timeout=5) as plain:
            plain.sendall(b"OPTIONS sip:127.0.0.1 SIP/2.0\r\nContent-Length: 0\r\n\r\n")
            reply = b""
            try:
                while len(reply) < 4096:
                    chunk = plain.recv(4096)
                    if not chunk:
                        break
                    reply += chunk
            except ConnectionResetError:
                pass
            self.assertNotIn(b"SIP/2.0", reply)

    def test_register_over_tls(self):
        before = self.tls_messages()
        run = Sipp(self.relay.port, "register.xml", "-s", "1006", "-au", "1006", "-ap", "demo1006",
                   port=free_port(), transport="t1")
        self.assertEqual(run.wait(), 0, run.explain())
        self.assertIn("SIP/2.0 200", run.trace(), run.explain())
        self.assertEqual(self.relay.errors, [])
        self.assertTrue(all(v in ("TLSv1.2", "TLSv1.3") for v in self.relay.versions), self.relay.versions)
        self.assertGreaterEqual(self.tls_messages() - before, 2)
        wrong = Sipp(self.relay.port, "register.xml", "-s", "1006", "-au", "1006", "-ap", "wrong",
                     port=free_port(), transport="t1")
        self.assertEqual(wrong.wait(), 0, wrong.explain())
        self.assertIn("SIP/2.0 403", wrong.trace())

    def test_call_from_a_tls_phone_to_a_tls_phone(self):
        callee = TlsPhone(self.tls_port, self.cafile, "1007", "demo1007")
        try:
            registered = callee.register()
            self.assertIn(f"127.0.0.1:{callee.local_port};transport=tls", registered)
            answered = {}
            answering = threading.Thread(target=lambda: answered.setdefault("invite", callee.answer(free_udp_port())),
                                         daemon=True)
            answering.start()
            caller = Sipp(self.relay.port, "uac_call.xml", "-s", "1001", "-au", "1001", "-ap", "demo1001",
                          "-set", "dial", "1007", "-mp", str(free_udp_port()), port=free_port(), transport="t1")
            self.assertEqual(caller.wait(), 0, caller.explain())
            answering.join(timeout=30)
            self.assertIn("invite", answered, "the TLS phone got no INVITE over its connection")
            invite = answered["invite"]
            # unicc's INVITE came over the phone's registered TLS connection, saying so.
            self.assertRegex(invite, r"(?m)^Via: SIP/2\.0/TLS ")
            # In-dialog requests must come back over TLS: our Contact names the TLS port.
            self.assertRegex(invite, rf"(?m)^Contact: <sip:unicc@127\.0\.0\.1:{self.tls_port};transport=tls>")
            self.assertTrue(invite.startswith("INVITE sip:1007@127.0.0.1:"), invite[:200])
            self.assertEqual(self.cdr(caller.trace())["disposition"], "answered")
        finally:
            callee.close()


class TlsTrunkIdentityTest(unittest.TestCase):
    """A TLS trunk with tls_name is known by its certificate, not by its address:
    from 127.0.0.1 over TLS, an INVITE with the carrier's certificate is the trunk's
    (not challenged; DID 4050 rings extension 1001, which has no phone: 480), one
    without a certificate or with another name is an unknown phone's (407)."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="unicc-tls-trunk-")
        cls.carrier = cls.certificate("carrier.example")
        cls.other = cls.certificate("other.example")
        with open(os.path.join(cls.dir, "ca.pem"), "w") as ca:  # trusts both: the name decides
            for path, _ in (cls.carrier, cls.other):
                with open(path) as f:
                    ca.write(f.read())
        cls.tls_port = free_port()
        cls.server = Server(extra_config=(
            f'[sip]\nport = {free_port()}\ntls = true\ntls_port = {cls.tls_port}\n'
            f'tls_ca_file = "{os.path.join(cls.dir, "ca.pem")}"\n'
            f'[[trunk]]\nname = "tls-carrier"\naddress = "127.0.0.1"\ntransport = "tls"\n'
            f'tls_name = "carrier.example"\n'))
        cls.cafile = os.path.join(cls.server.dir, "var", "tls", "sip-demo.pem")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.dir, ignore_errors=True)

    @classmethod
    def certificate(cls, name):
        cert, key = os.path.join(cls.dir, name + ".pem"), os.path.join(cls.dir, name + ".key")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                        "-keyout", key, "-out", cert, "-days", "2", "-subj", f"/CN={name}",
                        "-addext", f"subjectAltName=DNS:{name}"], check=True, capture_output=True, timeout=30)
        return cert, key

    def final_status(self, certificate):
        phone = TlsPhone(self.tls_port, self.cafile, "carrier", "", certificate)
        try:
            sdp = "v=0\r\no=c 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n"
            phone.send(f"INVITE sip:4050@127.0.0.1;transport=tls SIP/2.0\r\n"
                       f"Via: SIP/2.0/TLS 127.0.0.1:{phone.local_port};branch=z9hG4bKid{phone.local_port};rport\r\n"
                       f"From: <sip:5551234@127.0.0.1>;tag=id{phone.local_port}\r\nTo: <sip:4050@127.0.0.1>\r\n"
                       f"Call-ID: id{phone.local_port}@carrier\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\n"
                       f"Contact: <sip:5551234@127.0.0.1:{phone.local_port};transport=tls>\r\n"
                       f"Content-Type: application/sdp\r\nContent-Length: {len(sdp)}\r\n\r\n{sdp}")
            for _ in range(5):
                start, _, _ = phone.receive(timeout=10)
                if start.startswith("SIP/2.0 ") and int(start.split(" ")[1]) >= 200:
                    return int(start.split(" ")[1])
            return None
        finally:
            phone.close()

    def test_only_the_named_certificate_makes_the_trunk(self):
        self.assertEqual(self.final_status(self.carrier), 480)
        self.assertEqual(self.final_status(None), 407)
        self.assertEqual(self.final_status(self.other), 407)


if __name__ == "__main__":
    unittest.main()
