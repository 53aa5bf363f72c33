"""Nothing accepted is lost on kill -9 (issue 14; the rules are docs/durability.md).

Calls (SIPp: 1001 calls 1002, two seconds of audio, then BYE) and REST writes
(users created, an agent's state changed, both audited) run together against one
`unicc serve`; the server is killed with SIGKILL at a random moment (seeded, the
seed printed; UNICC_SOAK_SEED repeats a run) and started again on the same
database, ten times. Then every record the clients saw accepted must be there:

- a call whose BYE got its 200: its CDR, final ("answered");
- a call answered at least ANSWER_BOUND_S before the kill: a CDR, final or closed
  as "interrupted" by the next start (no call vanishes); no row stays in progress;
- a 2xx to a REST write: the row it wrote and its audit entry.

Each start must say what it recovered, and the interrupted calls it closed must add
up to the rows closed so. Runs on SQLite, and on PostgreSQL under
scripts/with-postgres (UNICC_TEST_POSTGRES_URL)."""
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import unittest

from harness import Server, request

sys.path.insert(0, os.path.join(os.environ["UNICC_SOURCE_DIR"], "tests", "sip"))
from sip_test import PhoneHelpers, free_udp_port, free_udp_range  # noqa: E402  (the SIPp helpers)

ROUNDS = 10
# An answered call's in-progress row is durable within this of the answer. It takes
# milliseconds; the bound is for a test machine loaded far past its cores (ctest in
# parallel with builds), where 1 s was once missed by a whole SIPp batch.
ANSWER_BOUND_S = 3.0
AGENTS = '[[queue]]\nname = "sales"\n[[agent]]\nextension = "1003"\nname = "Soak"\nqueues = "sales"\n'
POSTGRES_URL = os.environ.get("UNICC_TEST_POSTGRES_URL")


def sip_messages(trace):
    """(time, "received" or "sent", first line, Call-ID, CSeq) of each message in
    SIPp's -trace_msg log."""
    out = []
    for block in trace.split("----------------------------------------------- ")[1:]:
        head, _, message = block.partition("\n")
        direction = "received" if "message received" in message.split("\n", 1)[0] else "sent"
        stamp = re.match(r"(\d{4}-\d\d-\d\d)\s+(\d\d:\d\d:\d\d\.\d+)", head)
        lines = [line.strip() for line in message.split("\n")[1:] if line.strip()]
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers.setdefault(name.strip().lower(), value.strip())
        if stamp and lines:
            when = time.mktime(time.strptime(stamp.group(1) + " " + stamp.group(2).split(".")[0],
                                             "%Y-%m-%d %H:%M:%S")) + float("0." + stamp.group(2).split(".")[1])
            out.append((when, direction, lines[0], headers.get("call-id", ""), headers.get("cseq", "")))
    return out


class Kill9Soak(PhoneHelpers, unittest.TestCase):
    def setUp(self):
        self.seed = int(os.environ.get("UNICC_SOAK_SEED", random.randrange(1 << 30)))
        print(f"kill -9 soak: seed {self.seed} (UNICC_SOAK_SEED={self.seed} repeats it)", flush=True)
        self.random = random.Random(self.seed)
        self.sip_port = free_udp_port()
        rtp_base = free_udp_range(100)
        self.server = Server(extra_config=(
            f'[sip]\nport = {self.sip_port}\n[media]\nrtp_port_min = {rtp_base}\nrtp_port_max = {rtp_base + 99}\n'
            f'{AGENTS}'), database_url=POSTGRES_URL)
        self.accepted_calls = set()   # Call-IDs whose BYE got a 200
        self.answered_calls = set()   # Call-IDs answered ANSWER_BOUND_S or more before a kill
        self.accepted_users = []      # (user id, name)
        self.accepted_reasons = []    # not_ready reasons the API took
        self.interrupted_closed = 0   # as the starts reported them
        self.bye_delays = []          # s from a BYE to its 200 (the CDR's commit included)
        self.logs = []                # every run's log, for a failure to quote

    def tearDown(self):
        if self.server.process.poll() is None:
            self.server.stop()

    # -- load -----------------------------------------------------------------

    def start_calls(self):
        port = free_udp_port()
        self.register("1002", port=port)
        callee = self.sipp("uas_answer.xml", "-m", "100000", "-mp", str(free_udp_port()), port=port)
        caller = self.sipp("uac_call.xml", "-m", "100000", "-r", "8", "-s", "1001", "-au", "1001", "-ap",
                           "demo1001", "-set", "dial", "1002", "-mp", str(free_udp_port()))
        return caller, callee

    def rest_writes(self, round_number, stop):
        token = self.server.login()
        n = 0
        while not stop.is_set():
            n += 1
            try:
                if n % 2:
                    name = f"soak{round_number}x{n}"
                    status, body, _ = request(self.server.base, "POST", "/api/v1/users",
                                              {"username": name, "password": "Soak-pass-4711", "role": "qa"},
                                              token, timeout=5)
                    if status == 201:
                        self.accepted_users.append((body["id"], name))
                else:
                    reason = f"soak{round_number}x{n}"
                    status, _, _ = request(self.server.base, "POST", "/api/v1/agents/1003/state",
                                           {"state": "not_ready", "reason": reason}, token, timeout=5)
                    if status == 200:
                        self.accepted_reasons.append(reason)
            except OSError:
                return  # the server is gone

    def collect_calls(self, sipp, killed_at):
        if sipp.process.poll() is None:
            sipp.process.send_signal(signal.SIGINT)
        sipp.wait(timeout=10)
        bye_sent = {}
        for when, direction, first, call_id, cseq in sip_messages(sipp.trace()):
            if direction == "sent":
                if first.startswith("BYE "):
                    bye_sent.setdefault(call_id, when)
            elif first.startswith("SIP/2.0 200") and cseq.endswith("BYE"):
                self.accepted_calls.add(call_id)
                self.bye_delays.append(when - bye_sent[call_id])
            elif first.startswith("SIP/2.0 200") and cseq.endswith("INVITE") and when <= killed_at - ANSWER_BOUND_S:
                self.answered_calls.add(call_id)

    def check_recovery_line(self):
        log = self.server.stdout() + self.server.stderr()
        found = re.findall(r"recovered: \d+ queues, \d+ agents \(\d+ logged out by the restart\), "
                           r"\d+ waiting callbacks, (\d+) interrupted calls closed", log)
        self.assertEqual(len(found), 1, log[-3000:])
        self.interrupted_closed += int(found[0])

    def story(self, call_ids, cdrs):
        """What the database and the logs say of each call."""
        lines = []
        for call_id in call_ids:
            lines.append(f"{call_id}: rows {cdrs.get(call_id)}")
            lines += [line for log in self.logs for line in log.splitlines() if call_id in line]
        return "\n".join(lines)

    # -- the database, read directly -------------------------------------------

    def rows(self, sql):
        if POSTGRES_URL:
            out = subprocess.run(["psql", POSTGRES_URL, "-At", "-F", "\t", "-c", sql], capture_output=True,
                                 text=True, check=True).stdout
            return [tuple(line.split("\t")) for line in out.splitlines()]
        with sqlite3.connect(self.server.db_path) as db:
            return [tuple(str(v) for v in row) for row in db.execute(sql)]

    # -- the test ---------------------------------------------------------------

    def test_kill_9_at_random_moments_loses_nothing_accepted(self):
        started = time.time()
        for round_number in range(ROUNDS):
            if round_number:
                self.server.start()
                self.check_recovery_line()
            caller, callee = self.start_calls()
            stop = threading.Event()
            writer = threading.Thread(target=self.rest_writes, args=(round_number, stop))
            writer.start()
            delay = self.random.uniform(2.2, 4.5)
            time.sleep(delay)
            self.server.process.kill()
            killed_at = time.time()
            self.server.process.wait()
            self.logs.append(self.server.stdout() + self.server.stderr())
            stop.set()
            writer.join(timeout=10)
            self.collect_calls(caller, killed_at)
            callee.process.kill()
            callee.wait()
            print(f"round {round_number + 1}: killed after {delay:.2f} s; so far {len(self.accepted_calls)} calls, "
                  f"{len(self.accepted_users)} users, {len(self.accepted_reasons)} agent states accepted",
                  flush=True)
        self.server.start()
        self.check_recovery_line()
        self.server.stop()
        delays = sorted(self.bye_delays)
        print(f"soak took {time.time() - started:.1f} s; {self.interrupted_closed} interrupted calls closed; "
              f"BYE answered after {1000 * delays[len(delays) // 2]:.1f} ms (median), "
              f"{1000 * delays[-1]:.1f} ms (max)" if delays else "no BYE answered", flush=True)

        self.assertGreater(len(self.accepted_calls), ROUNDS, "too few calls completed to judge")
        self.assertGreater(len(self.accepted_users), ROUNDS, "too few REST writes completed to judge")
        cdrs = {}
        for call_id, disposition in self.rows("SELECT call_id, disposition FROM cdrs"):
            cdrs.setdefault(call_id, []).append(disposition)
        lost = sorted(c for c in self.accepted_calls if cdrs.get(c) != ["answered"])
        self.assertEqual(lost, [], "calls whose BYE got a 200 without their final CDR: " + self.story(lost, cdrs))
        vanished = sorted(c for c in self.answered_calls if c not in cdrs)
        self.assertEqual(vanished, [], f"calls answered over {ANSWER_BOUND_S} s before a kill with no CDR")
        self.assertEqual(self.rows("SELECT COUNT(*) FROM cdrs WHERE disposition = 'in_progress'"), [("0",)])
        interrupted = int(self.rows("SELECT COUNT(*) FROM cdrs WHERE disposition = 'interrupted'")[0][0])
        self.assertEqual(interrupted, self.interrupted_closed)

        users = dict((int(i), name) for i, name in self.rows("SELECT id, username FROM users"))
        self.assertEqual([(i, n) for i, n in self.accepted_users if users.get(i) != n], [])
        audited = {t for (t,) in self.rows("SELECT target FROM audit_log WHERE action = 'user.create'")}
        self.assertEqual([i for i, _ in self.accepted_users if f"user:{i}" not in audited], [])
        reasons = {r for (r,) in self.rows("SELECT reason FROM agent_states WHERE to_state = 'not_ready'")}
        self.assertEqual([r for r in self.accepted_reasons if r not in reasons], [])
        details = " ".join(d for (d,) in self.rows("SELECT detail FROM audit_log WHERE action = 'agent.state'"))
        self.assertEqual([r for r in self.accepted_reasons if f'"{r}"' not in details], [])


if __name__ == "__main__":
    unittest.main()
