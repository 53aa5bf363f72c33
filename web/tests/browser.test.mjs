// The web app in a real browser against a real server: headless Debian Chromium
// driven by playwright-core, `unicc serve --demo` started by serve.py (the
// integration harness), real calls made with SIPp. Run by ctest as web_browser
// (UNICC_BIN, UNICC_SOURCE_DIR; screenshots go to UNICC_SCREENSHOT_DIR).
import { after, afterEach, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { chromium } from "playwright-core";

const source = process.env.UNICC_SOURCE_DIR;
const shots = process.env.UNICC_SCREENSHOT_DIR || join(tmpdir(), "unicc-web-screenshots");
mkdirSync(shots, { recursive: true });

/** serve.py: the server, and SIPp calls on request. */
class TestServer {
  static async start() {
    const server = new TestServer();
    server.process = spawn("python3", [join(source, "web", "tests", "serve.py")], {
      stdio: ["pipe", "pipe", "inherit"],
      env: { ...process.env, PYTHONPATH: join(source, "tests", "integration"), PYTHONDONTWRITEBYTECODE: "1" },
    });
    server.waiting = new Map();
    server.nextId = 1;
    const lines = createInterface({ input: server.process.stdout });
    const ready = new Promise((resolve, reject) => {
      server.process.on("exit", (code) => reject(new Error(`serve.py exited with ${code}`)));
      lines.on("line", (line) => {
        const message = JSON.parse(line);
        if (message.base) resolve(message);
        else server.waiting.get(message.id)?.(message);
      });
    });
    process.on("exit", () => server.process.kill());
    Object.assign(server, await ready);
    return server;
  }

  /** Runs a SIPp operation in serve.py; resolves with {ok, explain}. */
  sip(op, fields) {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.process.stdin.write(JSON.stringify({ id, op, ...fields }) + "\n");
    });
  }

  async rest(method, path, body, token) {
    const headers = { "Content-Type": "application/json" };
    if (token) headers.Authorization = `Bearer ${token}`;
    const response = await fetch(this.base + path, { method, headers, body: body && JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  async login(username = "admin", password = "unicc-demo") {
    const { status, body } = await this.rest("POST", "/api/v1/login", { username, password });
    assert.equal(status, 200, JSON.stringify(body));
    return body.token;
  }

  stop() {
    this.process.stdin.end();
  }
}

let server;
let browser;
let context;
let page;
let admin; // a REST token of "another client"
const pageErrors = []; // the app's uncaught errors: none allowed

async function newPage() {
  context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: "en-US" });
  page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(String(error)));
  return page;
}

async function signIn(username = "admin", password = "unicc-demo") {
  await page.goto(server.base + "/");
  await page.fill("#username", username);
  await page.fill("#password", password);
  await page.click("button[type=submit]");
}

const shot = (name) => page.screenshot({ path: join(shots, `${name}.png`) });
const row = (extension) => page.locator(`#agents-grid tr[data-extension="${extension}"]`);

async function eventually(check, seconds = 5) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describe("web app", { timeout: 150_000 }, () => {
  before(async () => {
    // launch() gives the browser a fresh temporary profile of its own.
    server = await TestServer.start();
    browser = await chromium.launch({
      executablePath: process.env.UNICC_CHROMIUM || "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
    admin = await server.login();
    await newPage();
  });

  afterEach(() => assert.deepEqual(pageErrors.splice(0), [], "uncaught errors in the page"));

  after(async () => {
    await browser?.close();
    server?.stop();
  });

  test("sign-in: a wrong password is refused, the right one shows the user and role", async () => {
    await page.goto(server.base + "/");
    await page.waitForSelector("#login");
    await shot("sign-in-en");
    await signIn("admin", "not-the-password");
    await page.waitForFunction(() => document.querySelector("#login-error")?.textContent?.includes("Wrong user name or password"));
    await signIn();
    await page.waitForSelector("#user");
    assert.match(await page.textContent("#user"), /Demo administrator/);
    assert.equal(await page.textContent("#role"), "Administrator");
    await page.waitForSelector("#connection[data-state=live]");
    assert.deepEqual(await page.locator(".sidenav a").allTextContents(), ["Agents", "Calls"]);
  });

  test("the Agents page lists the configured agents with their queues", async () => {
    await page.waitForSelector("#agents-grid");
    assert.deepEqual(await page.locator("#agents-grid tbody tr").evaluateAll((rows) => rows.map((r) => r.dataset.extension)),
      ["1002", "1003", "1004"]);
    assert.match(await row("1003").textContent(), /Tom Baker.*Logged out.*sales.*support/);
    assert.match(await row("1004").textContent(), /王芳/);
    assert.deepEqual(await page.locator(".queue-card").evaluateAll((cards) => cards.map((c) => c.dataset.queue)),
      ["sales", "support"]);
  });

  test("a state forced over REST by another client appears live in the grid", async () => {
    const answer = await server.rest("POST", "/api/v1/agents/1002/state", { state: "not_ready", reason: "break" }, admin);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    await page.waitForSelector('#agents-grid tr[data-extension="1002"][data-state="not_ready"]', { timeout: 5000 });
    assert.equal(await row("1002").locator("[data-field=reason]").textContent(), "Break");
    await server.rest("POST", "/api/v1/agents/1004/state", { state: "ready" }, admin);
    await page.waitForSelector('#agents-grid tr[data-extension="1004"][data-state="ready"]', { timeout: 5000 });
    const sales = page.locator('.queue-card[data-queue="sales"]');
    await eventually(async () => assert.equal(await sales.locator("[data-field=not_ready] b").textContent(), "1"));
    const support = page.locator('.queue-card[data-queue="support"]');
    await eventually(async () => assert.equal(await support.locator("[data-field=ready] b").textContent(), "1"));
    // Time in state ticks.
    const first = await row("1004").locator("[data-field=time]").textContent();
    await page.waitForFunction((before) => document.querySelector(
      '#agents-grid tr[data-extension="1004"] [data-field=time]')?.textContent !== before, first, { timeout: 3000 });
  });

  test("forcing a state from the grid changes it on the server", async () => {
    const state = async (extension) => (await server.rest("GET", `/api/v1/agents/${extension}`, undefined, admin)).body;
    await row("1003").locator("[data-action=ready]").click();
    await eventually(async () => assert.equal((await state("1003")).state, "ready"));
    await page.waitForSelector('#agents-grid tr[data-extension="1003"][data-state="ready"]');

    await row("1003").locator("[data-action=not_ready]").click();
    await row("1003").locator(".menu").waitFor();
    await page.keyboard.press("Escape");
    await row("1003").locator(".menu").waitFor({ state: "detached", timeout: 3000 });  // closed by Escape
    await row("1003").locator("[data-action=not_ready]").click();
    await row("1003").locator(".menu [data-reason=lunch]").click();
    await eventually(async () => assert.deepEqual([(await state("1003")).state, (await state("1003")).reason], ["not_ready", "lunch"]));
    await page.waitForSelector('#agents-grid tr[data-extension="1003"][data-state="not_ready"]');
    assert.equal(await row("1003").locator("[data-field=reason]").textContent(), "Lunch");
    await shot("agents-en");

    await row("1003").locator("[data-action=logged_out]").click();
    await eventually(async () => assert.equal((await state("1003")).state, "logged_out"));

    // The API's refusal is shown on the row, in its own words.
    await page.route("**/api/v1/agents/1002/state", (route) => route.fulfill({
      status: 409, contentType: "application/json",
      body: JSON.stringify({ error: { code: "conflict", message: "agent 1002 is on a call" } }),
    }));
    await row("1002").locator("[data-action=logged_out]").click();
    await page.waitForSelector('[data-error-for="1002"]');
    assert.match(await page.textContent('[data-error-for="1002"]'), /1002: agent 1002 is on a call/);
    await page.unroute("**/api/v1/agents/1002/state");
    await shot("agents-error-en");
  });

  test("the language switch shows Chinese and is remembered", async () => {
    await page.click("#lang");
    await page.waitForFunction(() => document.documentElement.lang === "zh-CN");
    assert.deepEqual(await page.locator(".sidenav a").allTextContents(), ["坐席", "通话"]);
    assert.equal(await page.textContent("#logout"), "退出登录");
    assert.equal(await row("1002").locator(".pill").textContent(), "未就绪");
    assert.equal(await row("1002").locator("[data-field=reason]").textContent(), "休息");
    await shot("agents-zh");
    await page.click('[data-error-for="1002"] .dismiss');
    await page.locator("[data-error-for]").waitFor({ state: "detached", timeout: 3000 });
    await page.reload();
    await page.waitForSelector("#agents-grid");
    await page.waitForSelector("#connection[data-state=live]");
    assert.equal(await page.textContent("#nav-agents"), "坐席");
    assert.equal(await page.textContent("#connection"), "实时");
  });

  test("calls: a live call is shown while it lasts, and the history finds it, with paging", async () => {
    await page.click("#nav-calls");
    await page.waitForSelector("#cdr-search");
    const call = server.sip("answered_call", { caller: "1001", callee: "1002" });
    await page.waitForSelector("#live-calls tr[data-call]", { timeout: 10000 });
    assert.match(await page.textContent("#live-calls tbody"), /1001.*1002/);
    await shot("calls-live-zh");
    const answered = await call;
    assert.ok(answered.ok, answered.explain);
    const failed = await server.sip("failed_calls", { caller: "1001", dial: "1009", count: 11 });
    assert.ok(failed.ok, failed.explain);
    await page.waitForSelector("#live-calls", { state: "detached", timeout: 10000 });

    await page.click("#lang"); // back to English
    await page.selectOption("#page-size", "10");
    await page.click("#cdr-search button[type=submit]");
    await eventually(async () => {
      await page.click("#cdr-search button[type=submit]");
      assert.equal(await page.textContent("#page-range"), "1–10 of 12");
    }, 10);
    assert.equal(await page.locator("#cdrs tbody tr").count(), 10);
    await shot("calls-en");
    await page.click("#page-next");
    await page.waitForFunction(() => document.querySelector("#page-range")?.textContent === "11–12 of 12");
    assert.equal(await page.locator("#cdrs tbody tr").count(), 2);
    assert.ok(await page.isDisabled("#page-next"));

    await page.selectOption("#cdr-search select[name=disposition]", "answered");
    await page.click("#cdr-search button[type=submit]");
    await page.waitForFunction(() => document.querySelector("#page-range")?.textContent === "1–1 of 1");
    const answeredRow = page.locator("#cdrs tbody tr").first();
    assert.match(await answeredRow.textContent(), /Internal.*1001.*1002.*Answered.*Caller/);

    await page.selectOption("#cdr-search select[name=disposition]", "");
    await page.fill("#cdr-search input[name=number]", "1009");
    await page.click("#cdr-search button[type=submit]");
    await page.waitForFunction(() => document.querySelector("#page-range")?.textContent === "1–10 of 11");
    assert.match(await page.locator("#cdrs tbody tr").first().textContent(), /Unavailable/);
  });

  test("screenshots in Chinese of the Calls page", async () => {
    await page.click("#lang");
    await page.click("#cdr-search button[type=button]"); // reset
    await page.waitForFunction(() => document.querySelector("#page-range")?.textContent?.includes("12"));
    await shot("calls-zh");
    await page.click("#lang");
  });

  test("a call that went through the IVR expands to its trace", async () => {
    // The CDR as docs/api.md shows it (an IVR call needs prompts and a trunk: the
    // telephony suites cover that side).
    const at = Date.now() - 60_000;
    const cdr = {
      id: 99, call_id: "1-31973@127.0.0.1", b_call_id: "", direction: "inbound", caller: "8613900001111",
      caller_name: "", dialled: "4050", callee: "4001", trunk: "carrier", started_at: at, answered_at: at + 1700,
      ended_at: at + 9700, wait_s: 2, talk_s: 8, disposition: "answered", hangup_cause: "BYE", hangup_side: "callee",
      recording_path: "", rtp: null,
      ivr: { flow: "ivr-test", version: 1, caller: "8613900001111", did: "4050", started_at: at, ended_at: at + 1682,
        exit: "queued", exit_target: "sales", steps: [
          { node: "welcome", type: "play", entered_at: at, left_at: at + 842, ms: 842, digits: "", exit: "next", note: "" },
          { node: "main", type: "menu", entered_at: at + 842, left_at: at + 1682, ms: 840, digits: "2", exit: "options.2", note: "" },
          { node: "sales", type: "queue", entered_at: at + 1682, left_at: at + 1682, ms: 0, digits: "", exit: "", note: "" }] },
    };
    await page.route("**/api/v1/cdrs*", (route) => route.fulfill({
      status: 200, contentType: "application/json", body: JSON.stringify({ items: [cdr], total: 1 }) }));
    await page.click("#cdr-search button[type=submit]");
    await page.waitForSelector('#cdrs tr[data-cdr="99"]');
    assert.equal(await page.locator(".ivr-trace").count(), 0);
    await page.click('#cdrs tr[data-cdr="99"]');
    await page.waitForSelector(".ivr-trace");
    assert.match(await page.textContent(".ivr-head"), /IVR flow ivr-test v1 — queued to sales/);
    assert.deepEqual(await page.locator(".ivr-trace tbody tr td:nth-child(2)").allTextContents(), ["welcome", "main", "sales"]);
    await shot("calls-ivr-en");
    await page.unroute("**/api/v1/cdrs*");
  });

  test("ending the session on the server (close 1008) goes back to sign-in", async () => {
    const token = await page.evaluate(() => sessionStorage.getItem("unicc.token"));
    assert.ok(token);
    assert.equal((await server.rest("POST", "/api/v1/logout", undefined, token)).status, 204);
    await page.waitForSelector("#login", { timeout: 5000 });
    assert.match(await page.textContent("#login-error"), /session has ended/);
  });

  test("too many failed sign-ins: the throttle message says how long to wait", async () => {
    await page.goto(server.base + "/");
    await page.fill("#username", "admin2");
    await page.fill("#password", "wrong-password");
    const messages = [];
    for (let i = 0; i < 4; i++) {
      await page.click("button[type=submit]");
      await page.waitForSelector("button[type=submit]:not([disabled])");
      await page.waitForFunction(() => document.querySelector("#login-error")?.textContent);
      messages.push(await page.textContent("#login-error"));
    }
    assert.equal(messages[0], "Wrong user name or password.");
    assert.match(messages[3], /^Too many failed attempts\. Try again in \d+ s\.$/);
  });

  test("a server that cannot be reached is said so", async () => {
    await page.route("**/api/v1/login", (route) => route.abort("connectionrefused"));
    await signIn();
    await page.waitForFunction(() => document.querySelector("#login-error")?.textContent?.includes("cannot be reached"));
    await page.unroute("**/api/v1/login");
  });

  test("an agent signs in as their user and sees their extension", async () => {
    await signIn("agent1001", "unicc-demo");
    await page.waitForSelector("#extension");
    assert.equal(await page.textContent("#extension"), "1001");
    assert.equal(await page.locator("#nav-agents").count(), 0);  // no supervisor pages
    await shot("agent-home");
    await page.click("#logout");
    await page.waitForSelector("#login");
  });

  test("signing in again, then out with the button", async () => {
    await signIn();
    await page.waitForSelector("#user");
    await page.click("#logout");
    await page.waitForSelector("#login");
    assert.equal(await page.textContent("#login-error"), "");
    await page.click("#lang");
    assert.equal(await page.textContent("#login h1"), "登录 unicc");
    await page.fill("#username", "admin");
    await page.fill("#password", "still-wrong");
    await page.click("button[type=submit]");
    await page.waitForFunction(() => document.querySelector("#login-error")?.textContent === "用户名或密码错误。");
    await shot("sign-in-zh");
  });
});
