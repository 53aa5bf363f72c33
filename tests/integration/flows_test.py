"""IVR flows over the running server's REST API: a draft, its problems, publishing
two versions, rolling back, and the roles allowed."""
import os
import unittest

from harness import SOURCE_DIR, Server


def demo_flow():
    with open(os.path.join(SOURCE_DIR, "etc/flows/demo-main.json"), "rb") as f:
        return f.read()


class FlowsTest(unittest.TestCase):
    def setUp(self):
        self.server = Server()
        self.addCleanup(self.server.stop)
        self.token = self.server.login()

    def call(self, method, path, body=None):
        return self.server.call(method, path, body, self.token)

    def test_publish_and_roll_back_the_demo_flow(self):
        status, body, _ = self.call("POST", "/api/v1/flows", demo_flow())
        self.assertEqual(status, 201, body)
        self.assertTrue(body["valid"], body)
        self.assertEqual(self.call("POST", "/api/v1/flows/demo-main/publish")[0], 200)
        broken = demo_flow().replace(b'"next": "main"', b'"next": "mian"', 1)
        self.assertEqual(self.call("POST", "/api/v1/flows", broken)[0], 201)
        status, body, _ = self.call("POST", "/api/v1/flows/demo-main/publish")
        self.assertEqual(status, 422, body)
        detail = body["error"]["details"][0]
        self.assertEqual((detail["node"], detail["field"], detail["line"]), ("welcome", "next", 27))
        self.assertEqual(self.call("POST", "/api/v1/flows", demo_flow())[0], 201)
        status, body, _ = self.call("POST", "/api/v1/flows/demo-main/publish")
        self.assertEqual((status, body["version"]), (200, 2))
        status, body, _ = self.call("POST", "/api/v1/flows/demo-main/rollback")
        self.assertEqual((status, body["current_version"]), (200, 1))

        status, body, _ = self.call("GET", "/api/v1/flows")
        self.assertEqual(body["items"], [{"name": "demo-main", "dids": ["4000"], "current_version": 1, "latest_version": 2,
                                          "has_draft": False}])
        status, body, _ = self.call("GET", "/api/v1/flows/demo-main/versions/1")
        self.assertEqual(body["document"]["dids"], ["4000"])

    def test_agents_may_not_manage_flows(self):
        self.call("POST", "/api/v1/users", {"username": "ann", "password": "ann-password", "role": "agent",
                                              "extension": "1003"})
        agent = self.server.login("ann", "ann-password")
        self.assertEqual(self.server.call("GET", "/api/v1/flows", token=agent)[0], 403)


if __name__ == "__main__":
    unittest.main()
