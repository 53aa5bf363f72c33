"""An agent's phone that makes an attended transfer by itself, as desk phones do: it
answers the customer's call, holds it, calls the transfer target on a second line (through
unicc, answering the 407 with its credentials), then sends REFER on the customer's
call with Refer-To: <target?Replaces=second call> (RFC 3515, RFC 3891) and answers
the NOTIFYs and BYEs that follow. SIPp cannot hold two dialogs and refer one to the
other; this small user agent on one UDP socket can."""
import hashlib
import re
import socket
import threading
import time
import urllib.parse
import uuid


def header(message, name):
    match = re.search(rf"^{name}:\s*(.*?)\s*$", message, re.M | re.I)
    return match.group(1) if match else ""


def tag_of(value):
    match = re.search(r";\s*tag=([^;>\s]+)", value)
    return match.group(1) if match else ""


def uri_of(value):
    match = re.search(r"<([^>]+)>", value)
    return match.group(1) if match else value.split(";")[0]


class Dialog:
    def __init__(self, call_id, local, remote, target):
        self.call_id = call_id
        self.local = local  # our From value in requests we send, with tag
        self.remote = remote  # their address with tag: our To
        self.target = target  # unicc's Contact: Request-URI of our requests
        self.cseq = 1


class ConsultingPhone:
    def __init__(self, sock, extension, password, unicc_port, rtp_port):
        self.sock = sock
        self.sock.settimeout(0.2)
        self.extension = extension
        self.password = password
        self.unicc = ("127.0.0.1", unicc_port)
        self.port = sock.getsockname()[1]
        self.rtp_port = rtp_port
        self.contact = f"<sip:{extension}@127.0.0.1:{self.port}>"
        self.log = []  # start lines in and out, in order
        self.notified = []  # sipfrag bodies of the NOTIFYs received
        self.byes = set()  # Call-IDs unicc hung up
        self.customer = None
        self.consult = None

    # ---- the wire ----
    def _send(self, text):
        self.log.append("> " + text.split("\r\n", 1)[0])
        self.sock.sendto(text.encode(), self.unicc)

    def _receive(self, until, seconds):
        """Messages until `until(message)` is true; requests on the way are answered."""
        deadline = time.time() + seconds
        while time.time() < deadline:
            try:
                data, _ = self.sock.recvfrom(65536)
            except socket.timeout:
                continue
            message = data.decode(errors="replace")
            self.log.append("< " + message.split("\r\n", 1)[0])
            if not message.startswith("SIP/2.0"):
                self._on_request(message)
            if until(message):
                return message
        raise TimeoutError("waited in vain; seen: " + " | ".join(self.log[-12:]))

    def _on_request(self, message):
        method = message.split(" ", 1)[0]
        if method == "NOTIFY":
            self.notified.append(message.split("\r\n\r\n", 1)[1].strip())
        if method == "BYE":
            self.byes.add(header(message, "Call-ID"))
        if method in ("NOTIFY", "BYE"):
            self._reply(message, "200 OK")

    def _reply(self, request, status, to_tag="", body=""):
        to = header(request, "To") + (f";tag={to_tag}" if to_tag and not tag_of(header(request, "To")) else "")
        vias = re.findall(r"^Via:\s*(.*?)\s*$", request, re.M | re.I)
        lines = [f"SIP/2.0 {status}"] + [f"Via: {via}" for via in vias] + [
            f"From: {header(request, 'From')}", f"To: {to}", f"Call-ID: {header(request, 'Call-ID')}",
            f"CSeq: {header(request, 'CSeq')}", f"Contact: {self.contact}"]
        self._send(self._finish(lines, body))

    @staticmethod
    def _finish(lines, body="", extra=()):
        lines = list(lines) + list(extra)
        if body:
            lines.append("Content-Type: application/sdp")
        lines.append(f"Content-Length: {len(body)}")
        return "\r\n".join(lines) + "\r\n\r\n" + body

    def _sdp(self, port):
        return (f"v=0\r\no=phone 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                f"m=audio {port} RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n")

    def _request(self, method, dialog, extra=(), body="", cseq=None, branch=None):
        lines = [f"{method} {dialog.target} SIP/2.0",
                 f"Via: SIP/2.0/UDP 127.0.0.1:{self.port};branch={branch or 'z9hG4bK' + uuid.uuid4().hex[:12]};rport",
                 "Max-Forwards: 70", f"From: {dialog.local}", f"To: {dialog.remote}",
                 f"Call-ID: {dialog.call_id}", f"CSeq: {cseq or dialog.cseq} {method}", f"Contact: {self.contact}"]
        self._send(self._finish(lines, body, extra))

    # ---- what the phone does ----
    def answer(self, seconds=15):
        """Answers the customer's call from unicc."""
        invite = self._receive(lambda m: m.startswith("INVITE "), seconds)
        tag = uuid.uuid4().hex[:8]
        self._reply(invite, "200 OK", to_tag=tag, body=self._sdp(self.rtp_port))
        self.customer = Dialog(header(invite, "Call-ID"), f"{header(invite, 'To')};tag={tag}",
                               header(invite, "From"), uri_of(header(invite, "Contact")))
        self._receive(lambda m: m.startswith("ACK "), 5)

    def hold(self):
        """Puts the customer's call on hold (re-INVITE, a=sendonly), as before a consult."""
        self.customer.cseq += 1
        sdp = self._sdp(self.rtp_port) + "a=sendonly\r\n"
        self._request("INVITE", self.customer, body=sdp)
        self._receive(lambda m: m.startswith("SIP/2.0 200") and header(m, "Call-ID") == self.customer.call_id, 10)
        self._request("ACK", self.customer)

    def call(self, number, unicc_sip_port, rtp_port):
        """Calls `number` on a second line and waits for the answer."""
        tag = uuid.uuid4().hex[:8]
        uri = f"sip:{number}@127.0.0.1:{unicc_sip_port}"
        self.consult = Dialog(uuid.uuid4().hex + "@127.0.0.1", f"<sip:{self.extension}@127.0.0.1>;tag={tag}",
                              f"<sip:{number}@127.0.0.1>", uri)
        sdp = self._sdp(rtp_port)
        branch = "z9hG4bK" + uuid.uuid4().hex[:12]
        self._request("INVITE", self.consult, body=sdp, branch=branch)
        challenge = self._receive(lambda m: m.startswith("SIP/2.0 407"), 5)
        self._ack_failure(challenge, branch)
        self.consult.cseq = 2
        self._request("INVITE", self.consult, body=sdp, extra=[self._credentials(challenge, "INVITE", uri)])
        ok = self._receive(lambda m: m.startswith("SIP/2.0 200") and "INVITE" in header(m, "CSeq"), 15)
        self.consult.remote = header(ok, "To")
        self.consult.target = uri_of(header(ok, "Contact"))
        self._request("ACK", self.consult, cseq=2)

    def _ack_failure(self, response, branch):
        lines = [f"ACK {self.consult.target} SIP/2.0", f"Via: SIP/2.0/UDP 127.0.0.1:{self.port};branch={branch};rport",
                 "Max-Forwards: 70", f"From: {self.consult.local}", f"To: {header(response, 'To')}",
                 f"Call-ID: {self.consult.call_id}", "CSeq: 1 ACK"]
        self._send(self._finish(lines))

    def _credentials(self, challenge, method, uri):
        offers = re.findall(r"^Proxy-Authenticate:\s*Digest\s+(.*?)\s*$", challenge, re.M | re.I)
        fields = next(dict(re.findall(r'(\w+)="?([^",]*)"?', offer)) for offer in offers
                      if dict(re.findall(r'(\w+)="?([^",]*)"?', offer)).get("algorithm", "MD5").upper() == "MD5")
        md5 = lambda text: hashlib.md5(text.encode()).hexdigest()  # noqa: E731
        ha1 = md5(f"{self.extension}:{fields['realm']}:{self.password}")
        ha2 = md5(f"{method}:{uri}")
        cnonce, nc = uuid.uuid4().hex[:8], "00000001"
        if "qop" in fields:
            response = md5(f"{ha1}:{fields['nonce']}:{nc}:{cnonce}:auth:{ha2}")
            qop = f', qop=auth, nc={nc}, cnonce="{cnonce}"'
        else:
            response = md5(f"{ha1}:{fields['nonce']}:{ha2}")
            qop = ""
        return (f'Proxy-Authorization: Digest username="{self.extension}", realm="{fields["realm"]}", '
                f'nonce="{fields["nonce"]}", uri="{uri}", response="{response}", algorithm=MD5{qop}')

    def transfer(self, number, unicc_sip_port, seconds=10):
        """REFER on the customer's call: the customer goes to the second line's callee.
        Returns once unicc hung up both lines."""
        replaces = urllib.parse.quote(f"{self.consult.call_id};to-tag={tag_of(self.consult.remote)};"
                                      f"from-tag={tag_of(self.consult.local)}", safe="")
        self.customer.cseq += 1
        self._request("REFER", self.customer, extra=[
            f"Refer-To: <sip:{number}@127.0.0.1:{unicc_sip_port}?Replaces={replaces}>",
            f"Referred-By: <sip:{self.extension}@127.0.0.1>"])
        self.referred = self._receive(lambda m: m.startswith("SIP/2.0 ") and "REFER" in header(m, "CSeq"), 5)
        self._receive(lambda m: {self.customer.call_id, self.consult.call_id} <= self.byes, seconds)


class ConsultingPhoneThread:
    """Runs a ConsultingPhone's script on a thread; `error` holds what went wrong."""

    def __init__(self, phone, script):
        self.phone = phone
        self.error = None
        self.thread = threading.Thread(target=self._run, args=(script,), daemon=True)
        self.thread.start()

    def _run(self, script):
        try:
            script(self.phone)
        except Exception as error:  # reported by the test
            self.error = error

    def wait(self, seconds):
        self.thread.join(seconds)
        return not self.thread.is_alive()
