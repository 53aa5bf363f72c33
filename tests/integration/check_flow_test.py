"""`unicc check-flow FILE`: every problem as FILE:LINE: node ID: field: problem, exit 1;
a valid flow (the demo flows among them) prints FILE: OK and exits 0."""
import glob
import os
import subprocess
import tempfile
import unittest

from harness import SOURCE_DIR, UNICC

BAD_FLOW = """{
  "name": "bad",
  "start": "menu",
  "nodes": {
    "menu": {
      "type": "menu",
      "options": {"1": "sales", "2": "nowhere"},
      "on_failure": "again"
    },
    "sales": {"type": "queue", "queue": 5},
    "again": {"type": "play", "prompt": {"text": "again"}, "next": "again"},
    "lost": {"type": "hangup"}
  }
}
"""


def check_flow(path):
    return subprocess.run([UNICC, "check-flow", path], capture_output=True, text=True, timeout=60)


class CheckFlowTest(unittest.TestCase):
    def write(self, text):
        handle, path = tempfile.mkstemp(prefix="unicc-flow-", suffix=".json")
        with os.fdopen(handle, "w") as f:
            f.write(text)
        self.addCleanup(os.remove, path)
        return path

    def test_every_problem_names_file_line_node_and_field(self):
        path = self.write(BAD_FLOW)
        result = check_flow(path)
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stdout, "")
        self.assertEqual(result.stderr.splitlines(), [
            f"{path}:5: node menu: prompt: missing prompt",
            f"{path}:7: node menu: options.2: no node 'nowhere'",
            f"{path}:10: node sales: queue: expected a string, got number",
            f"{path}:11: node again: next: loop that never waits for caller input (again)",
            f"{path}:12: node lost: unreachable from the start node 'menu'",
        ])

    def test_a_syntax_error_names_its_line(self):
        path = self.write('{"name": "x",\n "start": }\n')
        result = check_flow(path)
        self.assertEqual(result.returncode, 1)
        self.assertTrue(result.stderr.startswith(f"{path}:2: syntax error"), result.stderr)

    def test_a_missing_file_fails(self):
        result = check_flow("/nonexistent/flow.json")
        self.assertEqual(result.returncode, 1)
        self.assertIn("cannot open", result.stderr)

    def test_the_demo_flows_are_valid(self):
        paths = sorted(glob.glob(os.path.join(SOURCE_DIR, "etc/flows/*.json")))
        self.assertGreaterEqual(len(paths), 3)
        for path in paths:
            result = check_flow(path)
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertEqual(result.stdout, f"{path}: OK\n")


if __name__ == "__main__":
    unittest.main()
