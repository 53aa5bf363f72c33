"""A unicc server for the web app's browser tests (browser.test.mjs), started with
the integration tests' harness, plus real SIP calls made with SIPp on request.

Prints one JSON line {"base", "sip_port"} once the server is ready, then answers
JSON requests, one a line on stdin, with one JSON line each on stdout:
  {"id": 1, "op": "answered_call", "caller": "1001", "callee": "1002"}
  {"id": 2, "op": "failed_calls", "caller": "1001", "dial": "1009", "count": 11}
  {"id": 3, "op": "agent_phone", "extension": "1001"}    # registers, answers one call, waits for its BYE
  {"id": 4, "op": "trunk_call", "caller": "13800000000", "did": "4090"}  # a customer from the trunk
                                                          # (4090 queues to support), until unicc hangs up
and stops the server when stdin closes. The answer to an op comes when it is over, so
the test starts the phone and the caller without waiting, and awaits them at the end."""
import json
import os
import signal
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.environ["UNICC_SOURCE_DIR"], "tests", "sip"))
from harness import Server, free_port  # noqa: E402
from sip_test import Sipp, free_udp_port, free_udp_range  # noqa: E402

CONFIG = """
[auth]
login_failures_per_user = 3
login_failures_per_address = 1000
[[queue]]
name = "sales"
[[queue]]
name = "support"
[[agent]]
extension = "1001"
name = "陈静"
queues = "support"
[[agent]]
extension = "1002"
name = "Li Na"
queues = "sales"
[[agent]]
extension = "1003"
name = "Tom Baker"
queues = "sales,support"
[[agent]]
extension = "1004"
name = "王芳"
queues = "support"
"""


def answered_call(sip_port, caller, callee):
    port = free_udp_port()
    registered = Sipp(sip_port, "register.xml", "-s", callee, "-au", callee, "-ap", f"demo{callee}", port=port)
    if registered.wait() != 0:
        return {"ok": False, "explain": registered.explain()}
    phone = Sipp(sip_port, "uas_answer.xml", "-mp", str(free_udp_port()), "-rtp_echo", port=port)
    time.sleep(0.3)
    call = Sipp(sip_port, "uac_call.xml", "-s", caller, "-au", caller, "-ap", f"demo{caller}", "-set", "dial", callee,
                "-mp", str(free_udp_port()))
    ok = call.wait() == 0 and phone.wait() == 0
    return {"ok": ok, "explain": "" if ok else call.explain() + phone.explain()}


def failed_calls(sip_port, caller, dial, count):
    call = Sipp(sip_port, "uac_fail.xml", "-s", caller, "-au", caller, "-ap", f"demo{caller}", "-set", "dial", dial,
                "-m", str(count), "-r", "20")
    ok = call.wait(timeout=60) == 0
    return {"ok": ok, "explain": "" if ok else call.explain()}


# The agent desktop's end-to-end test: a customer calls from the trunk into the support
# queue (DID 4090), the agent's phone answers.
HERE = os.path.dirname(os.path.abspath(__file__))
QUEUE_FLOW = {"name": "desk-support", "dids": ["4090"], "start": "wait",
              "nodes": {"wait": {"type": "queue", "queue": "support", "on_failure": "bye"}, "bye": {"type": "hangup"}}}


def agent_phone(sip_port, extension, seconds=90):
    """The agent's phone: registers, rings, answers and waits for the BYE (a hang-up
    from the desktop, or the end of its leg on a transfer)."""
    port = free_udp_port()
    registered = Sipp(sip_port, "register.xml", "-s", extension, "-au", extension, "-ap", f"demo{extension}", port=port)
    if registered.wait() != 0:
        return {"ok": False, "explain": registered.explain()}
    phone = Sipp(sip_port, "uas_answer.xml", "-mp", str(free_udp_port()), "-rtp_echo", "-timeout", f"{seconds}s",
                 port=port)
    ok = phone.wait(timeout=seconds + 5) == 0
    return {"ok": ok, "explain": "" if ok else phone.explain()}


def trunk_call(sip_port, trunk_port, caller, did, seconds=90):
    """A customer from the carrier trunk who stays on the line until unicc hangs up."""
    call = Sipp(sip_port, os.path.join(HERE, "scenarios", "trunk_call_wait.xml"), "-s", caller, "-set", "dial", did,
                "-mp", str(free_udp_port()), "-timeout", f"{seconds}s", port=trunk_port)
    ok = call.wait(timeout=seconds + 5) == 0
    return {"ok": ok, "explain": "" if ok else call.explain()}


def main():
    # Stopped by a signal (ctest's timeout, Ctrl-C): still stop the server.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    sip_port = free_port()
    trunk_port = free_udp_port()
    rtp = free_udp_range(100)
    server = Server(extra_config=f"[sip]\nport = {sip_port}\n[media]\nrtp_port_min = {rtp}\n"
                                 f"rtp_port_max = {rtp + 99}\n" + CONFIG +
                                 f'[[trunk]]\nname = "carrier"\naddress = "127.0.0.1"\nport = {trunk_port}\n'
                                 f'outbound_prefix = "0"\n')
    admin = server.login()
    for method, path, body in (("POST", "/api/v1/flows", QUEUE_FLOW),
                               ("POST", "/api/v1/flows/desk-support/publish", {})):
        status, reply, _ = server.call(method, path, body, token=admin)
        assert status in (200, 201), (path, reply)
    lock = threading.Lock()

    def answer(message):
        with lock:
            sys.stdout.write(json.dumps(message) + "\n")
            sys.stdout.flush()

    def run(request):
        try:
            if request["op"] == "answered_call":
                result = answered_call(sip_port, request["caller"], request["callee"])
            elif request["op"] == "failed_calls":
                result = failed_calls(sip_port, request["caller"], request["dial"], request["count"])
            elif request["op"] == "agent_phone":
                result = agent_phone(sip_port, request["extension"])
            elif request["op"] == "trunk_call":
                result = trunk_call(sip_port, trunk_port, request["caller"], request["did"])
            else:
                result = {"ok": False, "explain": "unknown op " + request["op"]}
        except Exception as error:  # reported to the test, which fails with it
            result = {"ok": False, "explain": repr(error)}
        answer({"id": request["id"], **result})

    try:
        answer({"base": server.base, "sip_port": sip_port, "trunk_port": trunk_port, "dir": server.dir})
        for line in sys.stdin:
            if line.strip():
                threading.Thread(target=run, args=(json.loads(line),), daemon=True).start()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
