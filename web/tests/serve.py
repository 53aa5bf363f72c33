"""A unicc server for the web app's browser tests (browser.test.mjs), started with
the integration tests' harness, plus real SIP calls made with SIPp (and a scripted
trunk caller) on request.

Prints one JSON line {"base", "sip_port", ...} once the server is ready, then answers
JSON requests, one a line on stdin, with one JSON line each on stdout:
  {"id": 1, "op": "answered_call", "caller": "1001", "callee": "1002"}   # when it is over
  {"id": 2, "op": "failed_calls", "caller": "1001", "dial": "1009", "count": 11}
  {"id": 3, "op": "phone", "extension": "1001"}       # an agent's phone (SIPp): registered, it
        # rings 1.5 s when called, answers and waits for its BYE; "ring_only": true rings
        # until cancelled. Answers {"ok", "handle"} once registered.
  {"id": 4, "op": "trunk_call", "caller": "13800000000", "did": "4090"}  # a customer from the
        # trunk (SIPp) who stays on the line until unicc hangs up; answers {"ok", "handle"} at once
  {"id": 5, "op": "wait", "handle": 3}               # until that SIPp run ends: {"ok", "explain"}
  {"id": 6, "op": "caller", "caller": "13900001111", "did": "4090"}  # a customer on the second
        # trunk (trunk_caller.py) who hangs up when told; answers {"ok", "handle", "call_id"}
        # once unicc rings or answers the call
  {"id": 7, "op": "hang_up", "handle": 6}             # that caller hangs up: {"ok", "explain"}
  {"id": 9, "op": "ivr_call", "caller": "13700000000", "did": "4321"}  # a customer from the trunk
        # (SIPp) who presses 1 after 1.5 s and stays until unicc hangs up; {"ok", "handle"} at once
  {"id": 8, "op": "customer"}                        # a customer behind the carrier trunk (SIPp) for
        # an agent's click-to-dial: rings 1.5 s, answers, waits for its BYE; "busy": true
        # answers 486. Answers {"ok", "handle"} at once (wait for it with "wait")
and stops the server when stdin closes."""
import json
import os
import signal
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.environ["UNICC_SOURCE_DIR"], "tests", "sip"))
from harness import Server, free_port  # noqa: E402
from sip_test import Sipp, free_udp_port, free_udp_range  # noqa: E402
from trunk_caller import Trunk  # noqa: E402

CONFIG = """
[outbound]
caller_id = "02150001234"
[auth]
login_failures_per_user = 3
login_failures_per_address = 1000
[[queue]]
name = "sales"
[[queue]]
name = "support"
wrap_up_s = 120
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
[[not_ready_reason]]
code = "break"
en = "Break"
zh = "休息"
[[not_ready_reason]]
code = "lunch"
en = "Lunch"
zh = "午餐"
[[not_ready_reason]]
code = "coaching"
en = "Coaching"
zh = "辅导"
[[disposition]]
code = "resolved"
en = "Resolved"
zh = "已解决"
[[disposition]]
code = "callback"
en = "Call back"
zh = "需回电"
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


# The agent desktop's calls: customers call from the trunk into the support queue (DID
# 4090) through a flow that notes an account number first (the IVR path and variables
# the desktop shows), and the agents' phones answer.
HERE = os.path.dirname(os.path.abspath(__file__))
QUEUE_FLOW = {"name": "desk-support", "dids": ["4090"], "start": "welcome",
              "nodes": {"welcome": {"type": "set", "variables": {"account": "88001"}, "next": "support"},
                        "support": {"type": "queue", "queue": "support", "on_failure": "bye"},
                        "bye": {"type": "hangup"}}}
SECONDS = 120  # the longest a phone or caller of the desktop tests waits


def phone(sip_port, extension, ring_only):
    """An agent's phone, registered (SIPp): rings, answers, waits for its BYE; or rings
    until the call is cancelled."""
    port = free_udp_port()
    registered = Sipp(sip_port, "register.xml", "-s", extension, "-au", extension, "-ap", f"demo{extension}", port=port)
    if registered.wait() != 0:
        return None, registered.explain()
    scenario = "uas_ring.xml" if ring_only else os.path.join(HERE, "scenarios", "agent_phone.xml")
    return Sipp(sip_port, scenario, "-mp", str(free_udp_port()), "-rtp_echo", "-timeout", f"{SECONDS}s",
                port=port), ""


def trunk_call(sip_port, trunk_port, caller, did):
    """A customer from the carrier trunk (SIPp) who stays on the line until unicc hangs up."""
    return Sipp(sip_port, os.path.join(HERE, "scenarios", "trunk_call_wait.xml"), "-s", caller, "-set", "dial", did,
                "-mp", str(free_udp_port()), "-timeout", f"{SECONDS}s", port=trunk_port)


def ivr_call(sip_port, trunk_port, caller, did):
    """A customer from the carrier trunk who presses 1 in the flow's menu."""
    return Sipp(sip_port, os.path.join(HERE, "scenarios", "ivr_press_1.xml"), "-s", caller, "-set", "dial", did,
                "-mp", str(free_udp_port()), "-timeout", f"{SECONDS}s", port=trunk_port)


def customer(sip_port, trunk_port, busy):
    """A customer behind the carrier trunk whom an agent calls (click-to-dial)."""
    if busy:
        return Sipp(sip_port, "uas_busy.xml", "-timeout", f"{SECONDS}s", port=trunk_port)
    return Sipp(sip_port, os.path.join(HERE, "scenarios", "agent_phone.xml"), "-mp", str(free_udp_port()),
                "-rtp_echo", "-timeout", f"{SECONDS}s", port=trunk_port)


def main():
    # Stopped by a signal (ctest's timeout, Ctrl-C): still stop the server.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    sip_port = free_port()
    trunk_port = free_udp_port()
    second_trunk_port = free_udp_port()
    rtp = free_udp_range(100)
    server = Server(extra_config=f"[sip]\nport = {sip_port}\n[media]\nrtp_port_min = {rtp}\n"
                                 f"rtp_port_max = {rtp + 99}\n" + CONFIG +
                                 f'[[trunk]]\nname = "carrier"\naddress = "127.0.0.1"\nport = {trunk_port}\n'
                                 f'outbound_prefix = "0"\n'
                                 f'[[trunk]]\nname = "carrier-b"\naddress = "127.0.0.1"\nport = {second_trunk_port}\n')
    second_trunk = Trunk(second_trunk_port, sip_port)
    admin = server.login()
    for method, path, body in (("POST", "/api/v1/flows", QUEUE_FLOW),
                               ("POST", "/api/v1/flows/desk-support/publish", {})):
        status, reply, _ = server.call(method, path, body, token=admin)
        assert status in (200, 201), (path, reply)
    lock = threading.Lock()
    runs = {}  # handle (the request's id) -> a SIPp run or a trunk caller

    def answer(message):
        with lock:
            sys.stdout.write(json.dumps(message) + "\n")
            sys.stdout.flush()

    def run(request):
        op = request["op"]
        try:
            if op == "answered_call":
                result = answered_call(sip_port, request["caller"], request["callee"])
            elif op == "failed_calls":
                result = failed_calls(sip_port, request["caller"], request["dial"], request["count"])
            elif op == "phone":
                started, explain = phone(sip_port, request["extension"], request.get("ring_only", False))
                if started:
                    runs[request["id"]] = started
                result = {"ok": bool(started), "handle": request["id"], "explain": explain}
            elif op == "trunk_call":
                runs[request["id"]] = trunk_call(sip_port, trunk_port, request["caller"], request["did"])
                result = {"ok": True, "handle": request["id"]}
            elif op == "ivr_call":
                runs[request["id"]] = ivr_call(sip_port, trunk_port, request["caller"], request["did"])
                result = {"ok": True, "handle": request["id"]}
            elif op == "customer":
                runs[request["id"]] = customer(sip_port, trunk_port, request.get("busy", False))
                result = {"ok": True, "handle": request["id"]}
            elif op == "wait":
                sipp = runs.pop(request["handle"])
                ok = sipp.wait(timeout=SECONDS + 5) == 0
                result = {"ok": ok, "explain": "" if ok else sipp.explain()}
            elif op == "caller":
                caller, explain = second_trunk.call(request["caller"], request["did"])
                if caller:
                    runs[request["id"]] = caller
                result = {"ok": not explain, "handle": request["id"], "explain": explain,
                          "call_id": caller.call_id if caller else ""}
            elif op == "hang_up":
                caller = runs.pop(request["handle"])
                ok = caller.hang_up()
                result = {"ok": ok, "explain": "" if ok else "\n".join(caller.log)}
            else:
                result = {"ok": False, "explain": "unknown op " + op}
        except Exception as error:  # reported to the test, which fails with it
            result = {"ok": False, "explain": repr(error)}
        answer({"id": request["id"], **result})

    try:
        answer({"base": server.base, "sip_port": sip_port, "trunk_port": trunk_port, "dir": server.dir})
        for line in sys.stdin:
            if line.strip():
                threading.Thread(target=run, args=(json.loads(line),), daemon=True).start()
    finally:
        for sipp in runs.values():
            if hasattr(sipp, "process") and sipp.process.poll() is None:
                sipp.process.kill()
        second_trunk.close()
        server.stop()


if __name__ == "__main__":
    main()
