"""A customer on a carrier trunk whose hang-up the browser test decides: a small SIP
user agent on one UDP socket (the trunk's port) that calls a DID, answers unicc's
requests in the dialog, and hangs up when told — CANCEL while the call is not
answered, BYE after. SIPp cannot be told when to hang up; this caller can, so a test
can let a customer give up while an agent's phone rings, at the moment it chooses."""
import re
import socket
import threading
import time
import uuid


def _header(message, name):
    match = re.search(rf"^{name}:\s*(.*?)\s*$", message, re.M | re.I)
    return match.group(1) if match else ""


def _headers(message, name):
    return re.findall(rf"^{name}:\s*(.*?)\s*$", message, re.M | re.I)


class TrunkCaller:
    def __init__(self, sock, unicc_port, caller, did):
        self.sock = sock
        self.unicc = ("127.0.0.1", unicc_port)
        self.address, self.port = sock.getsockname()
        self.caller = caller
        self.did = did
        self.call_id = uuid.uuid4().hex + "@127.0.0.1"
        self.tag = uuid.uuid4().hex[:10]
        self.branch = "z9hG4bK" + uuid.uuid4().hex[:12]
        self.uri = f"sip:{did}@127.0.0.1:{unicc_port}"
        self.rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # unicc's audio arrives here, unread
        self.rtp.bind(("127.0.0.1", 0))
        self.state = "calling"  # ringing, answered, ended, failed
        self.to_tag = ""
        self.remote = self.uri  # the Contact of unicc's answer
        self.routes = []
        self.cseq = 1
        self.log = []
        self.changed = threading.Condition()
        self.running = True
        self.thread = threading.Thread(target=self._run, daemon=True)

    # ---- sending ----
    def _send(self, text):
        self.log.append("> " + text.split("\r\n", 1)[0])
        self.sock.sendto(text.encode(), self.unicc)

    def _request(self, method, uri, cseq, branch=None, to_tag=None, routes=(), body=""):
        to_tag = self.to_tag if to_tag is None else to_tag
        lines = [f"{method} {uri} SIP/2.0",
                 f"Via: SIP/2.0/UDP {self.address}:{self.port};branch={branch or 'z9hG4bK' + uuid.uuid4().hex[:12]};rport",
                 "Max-Forwards: 70",
                 f'From: "{self.caller}" <sip:{self.caller}@{self.address}>;tag={self.tag}',
                 f"To: <sip:{self.did}@127.0.0.1>" + (f";tag={to_tag}" if to_tag else ""),
                 f"Call-ID: {self.call_id}", f"CSeq: {cseq} {method}",
                 f"Contact: <sip:{self.caller}@{self.address}:{self.port}>"]
        lines += [f"Route: {route}" for route in routes]
        if body:
            lines += ["Content-Type: application/sdp", f"Content-Length: {len(body)}", "", body]
        else:
            lines += ["Content-Length: 0", "", ""]
        return "\r\n".join(lines)

    def _sdp(self):
        rtp_port = self.rtp.getsockname()[1]
        return (f"v=0\r\no=caller 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                f"m=audio {rtp_port} RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\n"
                f"a=rtpmap:101 telephone-event/8000\r\n")

    def _reply(self, request, status, body=""):
        lines = [f"SIP/2.0 {status}"] + [f"Via: {via}" for via in _headers(request, "Via")]
        for name in ("From", "To", "Call-ID", "CSeq"):
            lines.append(f"{name}: {_header(request, name)}")
        lines.append(f"Contact: <sip:{self.caller}@{self.address}:{self.port}>")
        if body:
            lines += ["Content-Type: application/sdp", f"Content-Length: {len(body)}", "", body]
        else:
            lines += ["Content-Length: 0", "", ""]
        self._send("\r\n".join(lines))

    def _set(self, state):
        with self.changed:
            self.state = state
            self.changed.notify_all()

    def wait_for(self, states, seconds):
        with self.changed:
            self.changed.wait_for(lambda: self.state in states, timeout=seconds)
            return self.state

    # ---- the call ----
    def start(self):
        self.thread.start()
        self._send(self._request("INVITE", self.uri, 1, branch=self.branch, to_tag="", body=self._sdp()))
        # INVITE over UDP: resent until something answers (RFC 3261 timer A).
        interval = 0.5
        while self.wait_for(("ringing", "answered", "ended", "failed"), interval) == "calling" and interval < 8:
            self._send(self._request("INVITE", self.uri, 1, branch=self.branch, to_tag="", body=self._sdp()))
            interval *= 2
        return self.state in ("ringing", "answered")

    def hang_up(self, seconds=10):
        """CANCEL while unanswered, BYE once answered; True when unicc confirmed it."""
        if self.state == "ringing":
            self._send(self._request("CANCEL", self.uri, 1, branch=self.branch, to_tag=""))
            # The INVITE ends with 487 (or it was answered meanwhile: then BYE).
            if self.wait_for(("ended", "answered", "failed"), seconds) != "answered":
                return self.state == "ended"
        if self.state == "answered":
            self.cseq += 1
            self._send(self._request("BYE", self.remote, self.cseq, routes=self.routes))
            return self.wait_for(("ended",), seconds) == "ended"
        return self.state == "ended"

    def stop(self):
        self.running = False
        self.thread.join(timeout=2)
        self.rtp.close()

    def _run(self):
        self.sock.settimeout(0.2)
        while self.running:
            try:
                data, _ = self.sock.recvfrom(65535)
            except socket.timeout:
                continue
            except OSError:
                return
            text = data.decode(errors="replace")
            if _header(text, "Call-ID") != self.call_id:
                continue
            self.log.append("< " + text.split("\r\n", 1)[0])
            first = text.split("\r\n", 1)[0]
            if first.startswith("SIP/2.0 "):
                self._on_response(text, int(first.split()[1]))
            else:
                self._on_request(text, first.split()[0])

    def _on_response(self, text, status):
        method = _header(text, "CSeq").split()[-1]
        if method == "INVITE":
            to_tag = re.search(r";\s*tag=([^;>\s]+)", _header(text, "To"))
            if status < 200:
                if self.state == "calling":
                    self._set("ringing")
            elif status < 300:
                self.to_tag = to_tag.group(1) if to_tag else ""
                contact = re.search(r"<([^>]+)>", _header(text, "Contact"))
                self.remote = contact.group(1) if contact else self.uri
                self.routes = list(reversed(_headers(text, "Record-Route")))
                self._send(self._request("ACK", self.remote, 1, routes=self.routes))  # also to a resent 200
                if self.state in ("calling", "ringing"):
                    self._set("answered")
            else:
                # A final failure (487 after our CANCEL): ACKed on the INVITE's branch.
                ack = self._request("ACK", self.uri, 1, branch=self.branch, to_tag=to_tag.group(1) if to_tag else "")
                self._send(ack)
                self._set("ended" if status == 487 else "failed")
        elif method == "BYE" and status >= 200:
            self._set("ended")

    def _on_request(self, text, method):
        if method == "BYE":
            self._reply(text, "200 OK")
            self._set("ended")
        elif method == "INVITE":  # a re-INVITE: same audio
            self._reply(text, "200 OK", self._sdp())
        elif method in ("ACK",):
            pass
        else:
            self._reply(text, "200 OK")


class Trunk:
    """The trunk's socket, for one caller at a time."""

    def __init__(self, port, unicc_port):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", port))
        self.unicc_port = unicc_port
        self.lock = threading.Lock()
        self.caller = None

    def call(self, caller, did):
        with self.lock:
            if self.caller and self.caller.state not in ("ended", "failed"):
                return None, "the trunk's caller is still on a call"
            if self.caller:
                self.caller.stop()
            self.caller = TrunkCaller(self.sock, self.unicc_port, caller, did)
        started = self.caller.start()
        return self.caller, "" if started else "\n".join(self.caller.log)

    def close(self):
        if self.caller:
            self.caller.stop()
        self.sock.close()
