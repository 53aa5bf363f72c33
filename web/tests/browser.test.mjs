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


// ---------- the agent desktop's side of the server, until the CTI lands (docs/api.md) ----------
const customer = {
  id: 42, name: "张三", phones: ["13800000000"], email: "zhang.san@example.com", vip: true, tags: ["gold"],
  birthday: "1990-12-06", address: "上海市浦东新区世纪大道 100 号", notes: "", fields: { plan: "gold" },
  created_at: Date.now() - 86_400_000 * 400, updated_at: Date.now() - 86_400_000,
};
const codes = {
  dispositions: [{ code: "resolved", label: { en: "Resolved", "zh-CN": "已解决" } },
    { code: "callback", label: { en: "Call back", "zh-CN": "需回电" } }],
  not_ready_reasons: [{ code: "break", label: { en: "Break", "zh-CN": "休息" } },
    { code: "lunch", label: { en: "Lunch", "zh-CN": "午餐" } },
    { code: "coaching", label: { en: "Coaching", "zh-CN": "辅导" } }],
};
function liveCall(fields) {
  const now = Date.now();
  return {
    call_id: "a84b4c76e66710@10.0.0.1", state: "offered", direction: "inbound", caller: "13800000000",
    caller_name: "", dialled: "4000", queue: "support", agent: "1001", since: now - 9000, state_since: now,
    waited_ms: 5300, customer, ivr_path: ["welcome", "main", "support"], disposition_code: "", notes: "", ...fields,
  };
}
/** A short WAV (a 440 Hz beep) for the recording player. */
function beep() {
  const rate = 8000;
  const samples = rate / 2;
  const buffer = Buffer.alloc(44 + samples * 2);
  buffer.write("RIFF", 0); buffer.writeUInt32LE(36 + samples * 2, 4); buffer.write("WAVEfmt ", 8);
  buffer.writeUInt32LE(16, 16); buffer.writeUInt16LE(1, 20); buffer.writeUInt16LE(1, 22);
  buffer.writeUInt32LE(rate, 24); buffer.writeUInt32LE(rate * 2, 28); buffer.writeUInt16LE(2, 32);
  buffer.writeUInt16LE(16, 34); buffer.write("data", 36); buffer.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) buffer.writeInt16LE(Math.round(6000 * Math.sin(2 * Math.PI * 440 * i / rate)), 44 + i * 2);
  return buffer;
}

const desk = {
  sockets: [], received: [], standIns: new Set(), missing: new Set(), commands: [], saved: [], callsLoaded: 0, calls: new Map(),
  /** A live_call event, as the server sends it, into the page's event stream. */
  push(call) {
    desk.calls.set(call.call_id, call);
    desk.sockets.at(-1).send(JSON.stringify({ type: "live_call", call }));
  },
  agent(state, reason = "") {
    desk.sockets.at(-1).send(JSON.stringify({ type: "agent", extension: "1001", name: "陈静", state, reason,
      since: Date.now(), queues: ["support"] }));
  },
};

async function mockCti() {
  const json = (route, status, body) => route.fulfill({ status, contentType: "application/json", body: JSON.stringify(body) });
  await page.route("**/api/v1/cti/codes", (route) => json(route, 200, codes));
  await page.route(/\/api\/v1\/calls(\?.*)?$/, (route) => {
    desk.callsLoaded += 1;
    json(route, 200, { items: [...desk.calls.values()].filter((call) => call.state !== "ended") });
  });
  await page.route(/\/api\/v1\/calls\/[^/]+\/[a-z-]+$/, (route) => {
    const [, id, action] = /\/calls\/([^/]+)\/([a-z-]+)$/.exec(route.request().url());
    const body = route.request().postDataJSON() ?? {};
    desk.commands.push([action, body]);
    const call = desk.calls.get(decodeURIComponent(id));
    if (!call) return json(route, 404, { error: { code: "not_found", message: "no live call" } });
    const state = { hold: "held", resume: "talking", transfer: "transferring" }[action] ?? call.state;
    const changed = { ...call, state, state_since: state === call.state ? call.state_since : Date.now(),
      ...(action === "wrap-up" ? { disposition_code: body.disposition, notes: body.notes } : {}) };
    desk.calls.set(changed.call_id, changed);
    json(route, 200, changed);
    if (state !== call.state) desk.push(changed);
  });
  await page.route(/\/api\/v1\/customers(\/\d+)?$/, (route) => {
    const method = route.request().method();
    const body = route.request().postDataJSON();
    desk.saved.push([method, body]);
    if (method === "POST") return json(route, 201, { ...body, id: 43, created_at: Date.now(), updated_at: Date.now() });
    return json(route, 200, { ...customer, ...body, updated_at: Date.now() });
  });
  await page.route(/\/api\/v1\/customers\/\d+\/contacts$/, (route) => json(route, 200, { items: [
    { call_id: "old-1@10.0.0.1", at: Date.now() - 86_400_000 * 3, channel: "voice", direction: "inbound",
      caller: "13800000000", agent: "1002", queue: "support", disposition: "Resolved", disposition_code: "resolved",
      notes: "Asked about the gold plan's fees.", duration_ms: 184_000, recording: "/api/v1/cdrs/7/recording" },
    { call_id: "old-2@10.0.0.1", at: Date.now() - 86_400_000 * 40, channel: "voice", direction: "inbound",
      caller: "13800000000", agent: "1001", queue: "sales", disposition: "", disposition_code: "callback",
      notes: "", duration_ms: 62_000, recording: null },
  ] }));
  await page.route("**/api/v1/cdrs/7/recording", (route) => route.fulfill({ status: 200, contentType: "audio/wav", body: beep() }));
}

/** A supervisor changes agent 1001's state over REST; the agent's desktop hears of it
 *  by an "agent" event (played by the test while the server does not send it to agents). */
async function supervisorSets(body) {
  const seen = desk.received.length;
  const answer = await server.rest("POST", "/api/v1/agents/1001/state", body, admin);
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  for (const deadline = Date.now() + 2000; Date.now() < deadline;) {
    if (desk.received.slice(seen).some((message) => JSON.parse(message).type === "agent")) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  desk.missing.add("agent events");
  desk.sockets.at(-1).send(JSON.stringify({ type: "agent", ...answer.body }));
}

async function agentState(extension) {
  return (await server.rest("GET", `/api/v1/agents/${extension}`, undefined, admin)).body;
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
      ["1001", "1002", "1003", "1004"]);
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
    await page.waitForSelector("#desktop");  // lands on the desktop
    assert.deepEqual(await page.locator(".sidenav a").allTextContents(), ["Desktop"]);
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

  // ---------- the agent desktop (issue 16) ----------
  // The agent's state goes through the real server. The CTI (live calls, their
  // controls, customers, codes) is being built in parallel: until it lands these
  // tests play the server's side of docs/api.md — REST answers by page.route, events
  // injected into the real event stream by page.routeWebSocket.

  test("desktop: the agent's state from the server; Ready and Not ready change it there", async (t) => {
    await context.close();
    await newPage();  // a fresh profile: English, nothing remembered
    desk.sockets = [];
    await page.routeWebSocket(/\/api\/v1\/events/, (ws) => {
      const upstream = ws.connectToServer();
      upstream.onMessage((message) => {  // everything the server sends still arrives
        desk.received.push(String(message));
        ws.send(message);
      });
      desk.sockets.push(ws);
    });
    // Agents read and change their own state (the lead is enabling it): until the
    // server allows it, a refused request is made again for them as the admin.
    desk.standIns = new Set();
    await page.route("**/api/v1/agents/1001**", async (route) => {
      const response = await route.fetch();
      if (response.status() !== 403) return route.fulfill({ response });
      desk.standIns.add(route.request().method());
      return route.fulfill({ response: await route.fetch({ headers: { ...route.request().headers(), authorization: `Bearer ${admin}` } }) });
    });
    await mockCti();
    await signIn("agent1001", "unicc-demo");
    await page.waitForSelector("#desktop #state-bar[data-state=logged_out]");
    await page.waitForSelector("#connection[data-state=live]");
    assert.match(await page.textContent("#call-panel"), /logged out of the queues/);
    await shot("desktop-logged-out-en");

    await page.click("#btn-ready");
    await page.waitForSelector("#state-bar[data-state=ready]");
    await eventually(async () => assert.equal((await agentState("1001")).state, "ready"));
    const first = await page.textContent("#state-time");
    await page.waitForFunction((before) => document.querySelector("#state-time")?.textContent !== before, first, { timeout: 3000 });

    await page.keyboard.press("Alt+N");  // the reason picker, from the keyboard
    await page.waitForSelector("#reason-menu");
    assert.deepEqual(await page.locator("#reason-menu button").allTextContents(), ["Break", "Lunch", "Coaching"]);
    await page.click('#reason-menu [data-reason="coaching"]');
    await page.waitForSelector("#state-bar[data-state=not_ready]");
    assert.equal(await page.textContent("#agent-reason"), "Coaching");
    await eventually(async () => assert.deepEqual(
      [(await agentState("1001")).state, (await agentState("1001")).reason], ["not_ready", "coaching"]));
    // A change made elsewhere (a supervisor) arrives by the event stream.
    await supervisorSets({ state: "not_ready", reason: "break" });
    await page.waitForFunction(() => document.querySelector("#agent-reason")?.textContent === "Break");
    await shot("desktop-not-ready-en");

    await page.click("#lang");
    assert.equal(await page.textContent("#agent-state"), "未就绪");
    assert.equal(await page.textContent("#agent-reason"), "休息");
    assert.deepEqual(await page.locator("#state-bar button").allTextContents(), ["就绪", "未就绪 ▾", "退出队列"]);
    assert.deepEqual(await page.locator(".sidenav a").allTextContents(), ["工作台"]);
    await shot("desktop-not-ready-zh");
    await page.click("#lang");
    await page.keyboard.press("Alt+R");
    await page.waitForSelector("#state-bar[data-state=ready]");
    if (desk.standIns.size) t.diagnostic(`the server refused agent1001 its own state (${[...desk.standIns]}): asked as admin`);
    if (desk.missing.size) t.diagnostic(`not sent to the agent by the server yet, played by the test: ${[...desk.missing]}`);
  });

  test("desktop: screen pop within 1 s of the offer, hold/resume, keypad, blind transfer, wrap-up", async () => {
    const today = new Date();
    const birthday = `1990-${String(today.getMonth() + 1).padStart(2, "0")}-${String(today.getDate()).padStart(2, "0")}`;
    const call = liveCall({ customer: { ...customer, birthday } });
    const pushed = Date.now();
    desk.push(call);
    await page.waitForSelector("#customer-name", { timeout: 1000 });
    assert.ok(Date.now() - pushed < 1000);
    assert.equal(await page.textContent("#customer-name"), "张三");
    assert.equal(await page.textContent("#call-state"), "Ringing");
    assert.equal(await page.textContent("#call-caller"), "13800000000");
    assert.equal(await page.textContent("#call-queue"), "support");
    assert.equal(await page.textContent("#call-waited"), "0:05");
    assert.deepEqual(await page.locator("#ivr-path li").allTextContents(), ["welcome", "main", "support"]);
    assert.match(await page.textContent("#birthday-greeting"), /Today is 张三's birthday/);
    assert.ok(await page.isVisible("#customer-vip"));
    assert.ok(await page.isDisabled("#btn-hold"));
    assert.ok(await page.isDisabled("#btn-hangup"));
    await page.waitForSelector('#contact-history tr[data-call="old-1@10.0.0.1"]');
    await shot("desktop-offered-en");

    desk.push({ ...call, state: "talking", state_since: Date.now() });
    desk.agent("on_call");
    await page.waitForSelector("#call-panel[data-state=talking]");
    await page.waitForSelector("#state-bar[data-state=on_call]");
    assert.equal(await page.getAttribute("#btn-hold", "title"), "Hold (Alt+H)");
    await page.keyboard.press("Alt+H");
    await page.waitForSelector("#call-panel[data-state=held]");
    assert.equal(await page.textContent("#btn-hold"), "Resume");
    assert.ok(await page.isDisabled("#btn-keypad"));  // no keys to a held call
    await page.click("#btn-hold");
    await page.waitForSelector("#call-panel[data-state=talking]");
    await page.click("#btn-keypad");
    for (const digit of ["1", "2", "#"]) await page.click(`#keypad [data-digit="${digit}"]`);
    await page.waitForFunction(() => document.querySelector("#dtmf-sent")?.textContent === "12#");
    await shot("desktop-call-en");
    await page.click("#lang");
    assert.equal(await page.textContent("#call-state"), "通话中");
    assert.equal(await page.textContent("#btn-hold"), "保持");
    assert.match(await page.textContent("#birthday-greeting"), /今天是张三的生日/);
    await shot("desktop-call-zh");
    await page.click("#lang");

    await page.keyboard.press("Alt+T");
    assert.equal(await page.evaluate(() => document.activeElement?.id), "transfer-to");
    await page.keyboard.type("1002");
    await page.keyboard.press("Enter");
    await eventually(async () => assert.deepEqual(desk.commands.at(-1), ["transfer", { to: "1002", mode: "blind" }]));
    assert.deepEqual(desk.commands.map(([action]) => action), ["hold", "resume", "dtmf", "dtmf", "dtmf", "transfer"]);
    await page.waitForSelector("#call-panel[data-state=transferring]");
    // The customer's call left this agent: wrap-up.
    desk.push({ ...call, state: "ended", state_since: Date.now() });
    desk.agent("wrap_up");
    await page.waitForSelector(`#wrap-up[data-call="${call.call_id}"]`);
    await page.waitForSelector("#call-panel[data-state=idle]");
    assert.equal(await page.textContent("#customer-name"), "张三");  // still there for the notes

    // The record is edited and saved (PATCH), a recording of an earlier call played.
    await page.click("#btn-edit-customer");
    await page.fill('#customer-form textarea[name=notes]', "Prefers calls after 18:00");
    await page.click("#btn-save-customer");
    await page.waitForFunction(() => document.querySelector("#customer-notes")?.textContent === "Prefers calls after 18:00");
    assert.equal(desk.saved.at(-1)[0], "PATCH");
    assert.deepEqual(desk.saved.at(-1)[1].phones, ["13800000000"]);
    await page.click("#contact-history [data-play]");
    await page.waitForSelector("#contact-history audio[src^=blob]");

    await page.selectOption("#wrap-up select[name=disposition]", "resolved");
    await page.fill("#wrap-up textarea[name=notes]", "Card replaced");
    await shot("desktop-wrap-up-en");
    await page.click("#wrap-up button[type=submit]");
    await page.locator("#wrap-up").waitFor({ state: "detached", timeout: 3000 });
    assert.deepEqual(desk.commands.at(-1), ["wrap-up", { disposition: "resolved", notes: "Card replaced" }]);
    // Wrapped up: ready again, on the server.
    await eventually(async () => assert.equal((await agentState("1001")).state, "ready"));
    await page.waitForSelector("#state-bar[data-state=ready]");
  });

  test("desktop: an unknown caller pops an empty record with the number, saved as a new customer", async () => {
    const call = liveCall({ call_id: "unknown-1@10.0.0.1", caller: "13900001111", customer: null, ivr_path: [] });
    desk.push(call);
    await page.waitForSelector("#customer-panel[data-state=unknown]");
    assert.equal(await page.inputValue('#customer-form input[name=phones]'), "13900001111");
    assert.equal(await page.locator("#ivr-path").count(), 0);
    await page.fill("#customer-form input[name=name]", "李四");
    await page.fill("#customer-form input[name=tags]", "new, web");
    await shot("desktop-unknown-en");
    await page.click("#btn-save-customer");
    await page.waitForFunction(() => document.querySelector("#customer-name")?.textContent === "李四");
    assert.deepEqual(desk.saved.at(-1)[0], "POST");
    assert.deepEqual([desk.saved.at(-1)[1].phones, desk.saved.at(-1)[1].tags], [["13900001111"], ["new", "web"]]);
    await page.click("#lang");
    await shot("desktop-customer-zh");
    await page.click("#lang");
    // Rung but never answered (the caller hung up): nothing to wrap up.
    desk.push({ ...call, state: "ended" });
    await page.waitForSelector("#call-panel[data-state=idle]");
    assert.equal(await page.locator("#wrap-up").count(), 0);
  });

  test("desktop: a dropped event stream is shown, reconnected, and what it missed reloaded", async () => {
    const reloads = desk.callsLoaded;
    desk.sockets.at(-1).close({ code: 1011, reason: "test" });
    await page.waitForSelector("#connection[data-state=retry]", { timeout: 3000 });
    await page.waitForSelector("#connection[data-state=live]", { timeout: 5000 });
    await eventually(async () => assert.ok(desk.callsLoaded > reloads));
    await supervisorSets({ state: "logged_out" });
    await page.waitForSelector("#state-bar[data-state=logged_out]");
    await page.click("#logout");
    await page.waitForSelector("#login");
  });

  // Waits for the server's CTI (issue 16): a real call end to end.
  test("desktop: a real call from the trunk, answered, held, transferred and wrapped up", { skip: !process.env.UNICC_DESK_E2E && "the server's CTI has not landed yet (set UNICC_DESK_E2E=1)" }, async () => {
    await page.unroute("**/api/v1/**");
    await page.unrouteAll({ behavior: "ignoreErrors" });
    const seeded = await server.rest("POST", "/api/v1/customers", { ...customer, id: undefined }, admin);
    assert.equal(seeded.status, 201, JSON.stringify(seeded.body));
    await signIn("agent1001", "unicc-demo");
    await page.click("#btn-ready");
    await page.waitForSelector("#state-bar[data-state=ready]");
    const phone1 = server.sip("agent_phone", { extension: "1001" });
    const caller = server.sip("trunk_call", { caller: "13800000000", did: "4090" });
    await page.waitForSelector("#call-panel[data-state=offered]", { timeout: 10000 });
    const offered = Date.now();
    await page.waitForSelector("#customer-name");
    assert.ok(Date.now() - offered < 1000);
    assert.equal(await page.textContent("#customer-name"), "张三");
    await page.waitForSelector("#call-panel[data-state=talking]", { timeout: 10000 });
    await page.click("#btn-hold");
    await page.waitForSelector("#call-panel[data-state=held]");
    await page.click("#btn-hold");
    await page.waitForSelector("#call-panel[data-state=talking]");
    // Agent 1002 takes the transfer, on a desktop of their own.
    await server.rest("POST", "/api/v1/agents/1002/state", { state: "ready" }, admin);
    const phone2 = server.sip("agent_phone", { extension: "1002" });
    const second = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: "en-US" });
    const page2 = await second.newPage();
    await page2.goto(server.base + "/");
    await page2.fill("#username", "agent1002");
    await page2.fill("#password", "unicc-demo");
    await page2.click("button[type=submit]");
    await page2.waitForSelector("#desktop");
    await page.fill("#transfer-to", "1002");
    await page.click("#transfer button[type=submit]");
    await page.waitForSelector("#wrap-up");
    await page2.waitForSelector("#call-panel[data-state=talking]", { timeout: 10000 });
    assert.equal(await page2.textContent("#customer-name"), "张三");
    await page2.screenshot({ path: join(shots, "desktop-transferred-en.png") });
    await page.selectOption("#wrap-up select[name=disposition]", { index: 1 });
    await page.click("#wrap-up button[type=submit]");
    await page.locator("#wrap-up").waitFor({ state: "detached" });
    await page2.click("#btn-hangup");
    for (const run of [phone1, phone2, caller]) {
      const result = await run;
      assert.ok(result.ok, result.explain);
    }
    await second.close();
    const cdrs = await server.rest("GET", "/api/v1/cdrs?number=13800000000", undefined, admin);
    assert.equal(cdrs.status, 200);
    // The CDR's agent/queue/customer/disposition/transfer fields: to be asserted on the
    // names the server gives them.
    assert.ok(cdrs.body.items.length > 0, JSON.stringify(cdrs.body));
  });
});
