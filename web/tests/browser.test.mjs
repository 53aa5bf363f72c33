// The web app in a real browser against a real server: headless Debian Chromium
// driven by playwright-core, `unicc serve --demo` started by serve.py (the
// integration harness), real calls made with SIPp. Run by ctest as web_browser
// (UNICC_BIN, UNICC_SOURCE_DIR; screenshots go to UNICC_SCREENSHOT_DIR).
import { after, afterEach, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TestServer, eventually, framesOf, launchBrowser, recordTraffic, sentBy } from "./harness.mjs";

const shots = process.env.UNICC_SCREENSHOT_DIR || join(tmpdir(), "unicc-web-screenshots");
mkdirSync(shots, { recursive: true });

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
  watchTraffic(page);
  return page;
}

const traffic = [];
const watchTraffic = (target) => recordTraffic(target, traffic);

async function signIn(username = "admin", password = "unicc-demo") {
  await page.goto(server.base + "/");
  await page.fill("#username", username);
  await page.fill("#password", password);
  await page.click("button[type=submit]");
}

const shot = (name) => page.screenshot({ path: join(shots, `${name}.png`) });
const row = (extension) => page.locator(`#agents-grid tr[data-extension="${extension}"]`);


// ---------- the agent desktop (issue 16): real calls through the real server ----------
// The customer the tests' calls come from (seeded by the first desktop test): VIP, born today.
const today = new Date();
const customer = {
  name: "张三", phones: ["13800000000"], email: "zhang.san@example.com", vip: true, tags: ["gold"],
  birthday: `1990-${String(today.getMonth() + 1).padStart(2, "0")}-${String(today.getDate()).padStart(2, "0")}`,
  address: "上海市浦东新区世纪大道 100 号", notes: "", fields: { plan: "gold" },
};
const DID = "4090"; // serve.py's flow: sets account=88001, then the support queue


/** Runs `act` (the click and what it waits for) and asserts that the desktop sent the
 *  command over its event stream — a "request" frame, answered by a "response" with
 *  `status` — and made no HTTP request for it. Returns the response. */
async function overStream(method, path, act, status = 200) {
  const [sent, http, received] = [desk.sent.frames.length, desk.sent.http.length, desk.frames.length];
  await act();
  const request = desk.sent.frames.slice(sent).find((f) => f.type === "request" && f.method === method && f.path === path);
  assert.ok(request, `${method} ${path} was not sent over the stream: ${JSON.stringify(desk.sent.frames.slice(sent))}`);
  const response = await eventually(() => {
    const found = desk.frames.slice(received).find((f) => f.type === "response" && f.id === request.id);
    assert.ok(found, `no response to request ${request.id}`);
    return found;
  });
  assert.equal(response.status, status, JSON.stringify(response.body));
  assert.deepEqual(desk.sent.http.slice(http).filter((r) => r === `${method} ${path}`), [], "the command went over HTTP too");
  return response;
}

/** A log in the page of every change of the call panel's state and the customer's
 *  name, with the page's clock: when the screen pop happened, in which call state. */
async function watchDesk(target) {
  await target.evaluate(() => {
    const log = [];
    let last = "";
    const note = () => {
      const state = document.querySelector("#call-panel")?.getAttribute("data-state") ?? "";
      const name = document.querySelector("#customer-name")?.textContent ?? "";
      if (`${state}|${name}` === last) return;
      last = `${state}|${name}`;
      log.push({ at: Date.now(), state, name });
    };
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    note();
    window.deskLog = log;
  });
}

const desk = {
  frames: [], // the agent's page's event frames (framesOf)
  sent: { frames: [], http: [] }, // what the agent's page sent (sentBy)
  customerId: 0,
  /** The live call's id once the server offers it (GET /api/v1/calls as admin). */
  async liveCall(caller, state) {
    return eventually(async () => {
      const { body } = await server.rest("GET", "/api/v1/calls", undefined, admin);
      const found = body.items.find((call) => call.caller === caller && (!state || call.state === state));
      assert.ok(found, `no live call from ${caller}${state ? " " + state : ""}: ${JSON.stringify(body.items)}`);
      return found;
    }, 15);
  },
  /** A SIPp phone registered for the extension; resolves with its handle. */
  async phone(extension, fields = {}) {
    const started = await server.sip("phone", { extension, ...fields });
    assert.ok(started.ok, started.explain);
    return started.handle;
  },
  /** Waits for a SIPp run (phone, caller) to end and asserts it went as its scenario says. */
  async finished(handle) {
    const result = await server.sip("wait", { handle });
    assert.ok(result.ok, result.explain);
  },
};

/** Waits for the desktop's state bar to show `state`; a timeout says what the page and
 *  the server had instead. */
async function barState(target, state, extension = "1001", timeout = 10000) {
  try {
    await target.waitForSelector(`#state-bar[data-state=${state}]`, { timeout });
  } catch (error) {
    const shown = await target.getAttribute("#state-bar", "data-state", { timeout: 1000 }).catch(() => "(no state bar)");
    await target.screenshot({ path: join(shots, `failed-${state}.png`) }).catch(() => {});
    traffic.push(`state bar failure; the page says: ${await target.evaluate(() => document.body.innerText).catch(String)}`);
    const calls = (await server.rest("GET", "/api/v1/calls", undefined, admin)).body;
    throw new Error(`the state bar did not show ${state}: page ${shown}; server ${JSON.stringify(await agentState(extension))}; ` +
      `calls ${JSON.stringify(calls)}`, { cause: error });
  }
}

async function agentState(extension) {
  return (await server.rest("GET", `/api/v1/agents/${extension}`, undefined, admin)).body;
}

async function setState(extension, body) {
  const answer = await server.rest("POST", `/api/v1/agents/${extension}/state`, body, admin);
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body;
}

/** A second agent's desktop in a browser context of its own. */
async function agentPage(username) {
  const other = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: "en-US" });
  const otherPage = await other.newPage();
  otherPage.on("pageerror", (error) => pageErrors.push(String(error)));
  watchTraffic(otherPage);
  const frames = framesOf(otherPage);
  await otherPage.goto(server.base + "/");
  await otherPage.fill("#username", username);
  await otherPage.fill("#password", "unicc-demo");
  await otherPage.click("button[type=submit]");
  await otherPage.waitForSelector("#desktop #state-bar");
  await otherPage.waitForSelector("#connection[data-state=live]");
  return { context: other, page: otherPage, frames };
}

describe("web app", { timeout: 240_000 }, () => {
  before(async () => {
    // launch() gives the browser a fresh temporary profile of its own.
    server = await TestServer.start();
    browser = await launchBrowser();
    admin = await server.login();
    await newPage();
  });

  afterEach(() => assert.deepEqual(pageErrors.splice(0), [], "uncaught errors in the page"));

  after(async () => {
    writeFileSync(join(shots, "traffic.log"), traffic.join("\n") + "\n");
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
    assert.deepEqual(await page.locator(".sidenav a").allTextContents(), ["Agents", "Wallboard", "Calls", "Quality", "Recordings", "Typical cases", "Reports", "Staffing", "IVR flows", "Prompts", "Administration"]);
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
    assert.deepEqual(await page.locator(".sidenav a").allTextContents(), ["坐席", "监控大屏", "通话", "质检", "录音", "典型案例", "报表", "排班测算", "IVR 流程", "提示音", "管理"]);
    assert.equal(await page.textContent("#logout"), "退出登录");
    assert.equal(await row("1002").locator(".pill").textContent(), "未就绪");
    assert.equal(await row("1002").locator("[data-field=reason]").textContent(), "休息");
    await shot("agents-zh");
    await page.click('[data-error-for="1002"] .dismiss');
    await page.locator("[data-error-for]").waitFor({ state: "detached", timeout: 3000 });
    await page.reload();
    await page.waitForSelector("#agents-grid", { timeout: 10000 }).catch(async (error) => {
      await shot("failed-reload");
      throw new Error(`after the reload: ${await page.evaluate(() => document.body.innerText)}`, { cause: error });
    });
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
    assert.deepEqual(await page.locator(".sidenav a").allTextContents(), ["Desktop", "Quality", "Typical cases"]);
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
  // All through the real server: the agent's state, the codes, real calls from the
  // trunk (SIPp, or trunk_caller.py for a caller who gives up) to agents' SIPp phones,
  // the customers and their contacts. What the test still plays instead of the server
  // is said where it does it, with why.

  test("desktop: the agent's state from the server; Ready and Not ready change it there", async () => {
    await context.close();
    await newPage();  // a fresh profile: English, nothing remembered
    desk.frames = framesOf(page);
    desk.sent = sentBy(page);
    const seeded = await server.rest("POST", "/api/v1/customers", customer, admin);
    assert.equal(seeded.status, 201, JSON.stringify(seeded.body));
    desk.customerId = seeded.body.id;
    await signIn("agent1001", "unicc-demo");
    await page.waitForSelector("#desktop #state-bar[data-state=logged_out]");
    await page.waitForSelector("#connection[data-state=live]");
    assert.match(await page.textContent("#call-panel"), /logged out of the queues/);
    await shot("desktop-logged-out-en");

    // The state change goes over the event stream; its answer shows at once.
    const ready = await overStream("POST", "/api/v1/agents/1001/state", async () => {
      await page.click("#btn-ready");
      await barState(page, "ready");
    });
    assert.equal(ready.body.state, "ready");
    await eventually(async () => assert.equal((await agentState("1001")).state, "ready"));
    const first = await page.textContent("#state-time");
    await page.waitForFunction((before) => document.querySelector("#state-time")?.textContent !== before, first, { timeout: 3000 });

    await page.keyboard.press("Alt+N");  // the reason picker, from the keyboard
    await page.waitForSelector("#reason-menu");
    // The server's list (serve.py configures coaching, which is no built-in reason).
    assert.deepEqual(await page.locator("#reason-menu button").allTextContents(), ["Break", "Lunch", "Coaching"]);
    await overStream("POST", "/api/v1/agents/1001/state", async () => {
      await page.click('#reason-menu [data-reason="coaching"]');
      await barState(page, "not_ready");
    });
    assert.equal(await page.textContent("#agent-reason"), "Coaching");
    await eventually(async () => assert.deepEqual(
      [(await agentState("1001")).state, (await agentState("1001")).reason], ["not_ready", "coaching"]));
    // A change made elsewhere (a supervisor) arrives by the agent's own event stream.
    const seen = desk.frames.length;
    await setState("1001", { state: "not_ready", reason: "break" });
    await page.waitForFunction(() => document.querySelector("#agent-reason")?.textContent === "Break");
    assert.ok(desk.frames.slice(seen).some((f) => f.type === "agent" && f.extension === "1001" && f.reason === "break"));
    await shot("desktop-not-ready-en");

    await page.click("#lang");
    assert.equal(await page.textContent("#agent-state"), "未就绪");
    assert.equal(await page.textContent("#agent-reason"), "休息");
    assert.deepEqual(await page.locator("#state-bar button").allTextContents(), ["就绪", "未就绪 ▾", "退出队列"]);
    assert.deepEqual(await page.locator(".sidenav a").allTextContents(), ["工作台", "质检", "典型案例"]);
    await page.keyboard.press("Alt+N");
    assert.deepEqual(await page.locator("#reason-menu button").allTextContents(), ["休息", "午餐", "辅导"]);
    await page.keyboard.press("Escape");
    await shot("desktop-not-ready-zh");
    await page.click("#lang");
    await page.keyboard.press("Alt+R");
    await barState(page, "ready");
    await eventually(async () => assert.equal((await agentState("1001")).state, "ready"));
  });

  test("desktop: a real call from the trunk, answered, held, transferred and wrapped up", async (t) => {
    // Only 1001 takes the support queue's calls (earlier tests made others ready).
    for (const extension of ["1003", "1004"]) await setState(extension, { state: "logged_out" });
    const phone1 = await desk.phone("1001");
    await watchDesk(page);
    const caller = (await server.sip("trunk_call", { caller: "13800000000", did: DID })).handle;

    // The screen pop: the customer's record while the phone rings, within 1 s of the
    // server's offer (its state_since, on the same clock as the page's).
    await page.waitForSelector("#call-panel[data-state=offered]", { timeout: 15000 });
    await page.waitForSelector("#call-panel[data-state=talking]", { timeout: 15000 });  // the phone answered
    const offer = desk.frames.find((f) => f.type === "live_call" && f.call.caller === "13800000000" && f.call.state === "offered");
    assert.ok(offer, "no offered live_call event reached the desktop");
    assert.equal(offer.call.customer?.id, desk.customerId);
    const log = await page.evaluate(() => window.deskLog);
    const popped = log.find((entry) => entry.name === "张三");
    assert.equal(popped?.state, "offered", `the name showed only in ${JSON.stringify(log)}`);
    const offeredShown = log.find((entry) => entry.state === "offered");
    assert.ok(popped.at - offer.call.state_since < 1000,
      `screen pop ${popped.at - offer.call.state_since} ms after the offer (${popped.at - offeredShown.at} ms after the page showed it)`);
    t.diagnostic(`screen pop ${popped.at - offer.call.state_since} ms after the server's offer`);
    const callId = offer.call.call_id;
    assert.equal(await page.getAttribute("#call-panel", "data-call"), callId);
    assert.equal(await page.textContent("#call-caller"), "13800000000");
    assert.equal(await page.textContent("#call-queue"), "support");
    assert.equal(await page.textContent("#call-did"), DID);
    assert.deepEqual(await page.locator("#ivr-path li").allTextContents(), ["welcome", "support"]);
    assert.match(await page.textContent("#ivr-variables"), /account\s*88001/);
    assert.match(await page.textContent("#birthday-greeting"), /Today is 张三's birthday/);
    assert.ok(await page.isVisible("#customer-vip"));
    assert.match(await page.textContent("#customer-view"), /上海市浦东新区世纪大道 100 号.*plan\s*gold/s);
    await barState(page, "on_call");
    await page.waitForSelector("#contact-history .empty");  // their first call

    // Hold and resume, on the server, sent over the desktop's event stream.
    const commandPath = (command) => `/api/v1/calls/${encodeURIComponent(callId)}/${command}`;
    assert.equal(await page.getAttribute("#btn-hold", "title"), "Hold (Alt+H)");
    const held = await overStream("POST", commandPath("hold"), async () => {
      await page.keyboard.press("Alt+H");
      await page.waitForSelector("#call-panel[data-state=held]");
    });
    assert.deepEqual([held.body.call_id, held.body.state], [callId, "held"]);
    assert.equal((await desk.liveCall("13800000000")).state, "held");
    assert.equal(await page.textContent("#btn-hold"), "Resume");
    assert.ok(await page.isDisabled("#btn-keypad"));  // no keys to a held call
    await overStream("POST", commandPath("resume"), async () => {
      await page.click("#btn-hold");
      await page.waitForSelector("#call-panel[data-state=talking]");
    });
    assert.equal((await desk.liveCall("13800000000")).state, "talking");
    // Keys to the customer (the server plays them as DTMF; sip_cti checks the tones).
    await page.click("#btn-keypad");
    for (const digit of ["1", "2", "#"]) {
      await overStream("POST", commandPath("dtmf"), async () => {
        await page.click(`#keypad [data-digit="${digit}"]`);
        await page.waitForSelector(`#keypad [data-digit="${digit}"]:not([disabled])`);
      });
    }
    await page.waitForFunction(() => document.querySelector("#dtmf-sent")?.textContent === "12#");
    assert.equal(await page.locator("#call-error").count(), 0);
    await shot("desktop-call-en");

    // The same page in Chinese.
    await page.click("#lang");
    assert.equal(await page.textContent("#call-state"), "通话中");
    assert.equal(await page.textContent("#agent-state"), "通话中");
    assert.equal(await page.textContent("#btn-hold"), "保持");
    assert.equal(await page.textContent("#btn-keypad"), "拨号盘");
    assert.equal(await page.textContent("#btn-hangup"), "挂断");
    assert.equal(await page.textContent("#transfer button[type=submit]"), "转接");
    assert.match(await page.textContent("#call-panel h2"), /^通话/);
    assert.match(await page.textContent("#birthday-greeting"), /今天是张三的生日/);
    assert.match(await page.textContent("#contact-history h3"), /^联系记录/);
    await shot("desktop-call-zh");
    await page.click("#lang");

    // Agent 1002 takes the blind transfer on a desktop of their own.
    const phone2 = await desk.phone("1002");
    const second = await agentPage("agent1002");
    await second.page.click("#btn-ready");
    await barState(second.page, "ready", "1002");
    await page.keyboard.press("Alt+T");
    assert.equal(await page.evaluate(() => document.activeElement?.id), "transfer-to");
    await page.keyboard.type("1002");
    // The customer's call left 1001: wrap-up, with the record still there for the notes.
    await overStream("POST", commandPath("transfer"), async () => {
      await page.keyboard.press("Enter");
      await page.waitForSelector(`#wrap-up[data-call="${callId}"]`, { timeout: 10000 });
    });
    await page.waitForSelector("#call-panel[data-state=idle]");
    assert.equal(await page.textContent("#customer-name"), "张三");
    await barState(page, "wrap_up");
    assert.equal((await agentState("1001")).state, "wrap_up");
    await desk.finished(phone1);  // 1001's phone got its BYE

    await second.page.waitForSelector("#call-panel[data-state=offered]", { timeout: 15000 });
    await second.page.waitForSelector("#call-panel[data-state=talking]", { timeout: 15000 });
    assert.equal(await second.page.getAttribute("#call-panel", "data-call"), callId);
    assert.equal(await second.page.textContent("#customer-name"), "张三");
    assert.equal(await second.page.textContent("#call-queue"), "support");
    assert.equal(await second.page.textContent("#call-caller"), "13800000000");
    assert.deepEqual(await second.page.locator("#ivr-path li").allTextContents(), ["welcome", "support"]);
    assert.match(await second.page.textContent("#call-steps"), /Transferred by 1001 to 1002/);
    await second.page.screenshot({ path: join(shots, "desktop-transferred-en.png") });
    // The ACD counts 1002 as on a call now: no queue call is offered to them.
    assert.equal((await agentState("1002")).state, "on_call");
    await barState(second.page, "on_call", "1002");

    await page.selectOption("#wrap-up select[name=disposition]", "resolved");
    await page.fill("#wrap-up textarea[name=notes]", "Card replaced");
    await shot("desktop-wrap-up-en");
    await overStream("POST", commandPath("wrap-up"), async () => {
      await page.click("#wrap-up button[type=submit]");
      await page.locator("#wrap-up").waitFor({ state: "detached", timeout: 5000 });
    });
    await barState(page, "ready");  // the server ends the wrap-up
    assert.equal((await agentState("1001")).state, "ready");

    // 1002 hangs up from the desktop: the customer and 1002's phone get their BYE.
    await second.page.click("#btn-hangup");
    await second.page.waitForSelector("#wrap-up", { timeout: 10000 });
    await desk.finished(caller);
    await desk.finished(phone2);
    await second.context.close();
    await setState("1002", { state: "logged_out" });

    // The CDR: who took it, from which queue, the customer, the wrap-up and the transfer.
    const cdr = await eventually(async () => {
      const { status, body } = await server.rest("GET", "/api/v1/cdrs?number=13800000000", undefined, admin);
      assert.equal(status, 200);
      const found = body.items.find((item) => item.call_id === callId);
      assert.ok(found && found.ended_at > 0, JSON.stringify(body.items));
      return found;
    }, 10);
    assert.deepEqual(
      { direction: cdr.direction, trunk: cdr.trunk, disposition: cdr.disposition, agent: cdr.agent, queue: cdr.queue,
        customer_id: cdr.customer_id, disposition_code: cdr.disposition_code, notes: cdr.notes },
      { direction: "inbound", trunk: "carrier", disposition: "answered", agent: "1002", queue: "support",
        customer_id: desk.customerId, disposition_code: "resolved", notes: "Card replaced" });
    assert.deepEqual(cdr.events.map(({ kind, mode, from, to }) => ({ kind, mode, from, to })),
      [{ kind: "transfer", mode: "blind", from: "1001", to: "1002" }]);
  });

  test("desktop: the customer calls again: their last call in the history with its recording; errors in Chinese; a three-way call", async () => {
    // The customer's earlier call (IVR → queue → 1001 → 1002) was recorded: the
    // history plays the server's recording of it.
    const phone = await desk.phone("1001");
    const caller = (await server.sip("trunk_call", { caller: "13800000000", did: DID })).handle;
    await page.waitForSelector("#call-panel[data-state=talking]", { timeout: 15000 });
    const callId = await page.getAttribute("#call-panel", "data-call");
    // The history: the call of the test before, as 1002 ended it and 1001 wrapped it up.
    const earlier = page.locator(`#contact-history tbody tr[data-call]:not([data-call="${callId}"])`);
    await earlier.waitFor();
    assert.equal(await earlier.count(), 1);
    assert.match(await earlier.textContent(), /1002.*support.*Resolved.*Card replaced/);
    await earlier.locator("[data-play]").click();
    await page.waitForSelector("#contact-history audio[src^=blob]");
    await page.waitForFunction(() => document.querySelector("#contact-history audio")?.duration > 0.4, null, { timeout: 5000 });

    // Edited and saved on the server.
    await page.click("#btn-edit-customer");
    await page.fill('#customer-form textarea[name=notes]', "Prefers calls after 18:00");
    await page.click("#btn-save-customer");
    await page.waitForFunction(() => document.querySelector("#customer-notes")?.textContent === "Prefers calls after 18:00");
    const stored = await server.rest("GET", `/api/v1/customers/${desk.customerId}`, undefined, admin);
    assert.deepEqual([stored.body.notes, stored.body.phones, stored.body.vip], ["Prefers calls after 18:00", ["13800000000"], true]);

    // A transfer the server refuses, said in Chinese: no such extension; one without a phone.
    await page.click("#lang");
    await page.fill("#transfer-to", "1099");
    await page.click("#transfer button[type=submit]");
    await page.waitForSelector("#call-error");
    assert.equal(await page.textContent("#call-error"), "没有分机或号码 1099。");
    await page.fill("#transfer-to", "1005");
    await page.click("#transfer button[type=submit]");
    await page.waitForFunction(() => document.querySelector("#call-error")?.textContent === "1005 现在无法接通（没有登记的话机）。");
    await page.fill("#transfer-to", "queue:billing");
    await page.click("#transfer button[type=submit]");
    await page.waitForFunction(() => document.querySelector("#call-error")?.textContent === "没有队列 billing。");
    await shot("desktop-error-zh");
    await page.click("#lang");
    assert.equal((await desk.liveCall("13800000000")).state, "talking");  // the call went on

    // A three-way call with 1003: their phone rings (1.5 s), then answers and all three
    // talk; hold, transfer, consult and another guest wait until it is over (the server
    // answers in_conference); the agent's hang-up ends the customer's call and the guest's.
    const guest = await desk.phone("1003");
    await page.fill("#transfer-to", "1003");
    await overStream("POST", `/api/v1/calls/${encodeURIComponent(callId)}/conference`, async () => {
      await page.keyboard.press("Alt+C");
      await page.waitForSelector("#call-conference[data-answered=false]", { timeout: 10000 });
    });
    assert.equal(await page.textContent("#call-conference .guest-state"), "ringing…");
    assert.deepEqual((await server.rest("GET", "/api/v1/calls", undefined, admin)).body.items
      .find((c) => c.call_id === callId).conference, { with: "1003", answered: false });
    await page.waitForSelector("#call-conference[data-answered=true]", { timeout: 15000 });
    assert.equal(await page.textContent("#conference-text"), "Three-way call with 1003");
    assert.equal(await page.textContent("#call-conference .guest-state"), "connected");
    const live = await desk.liveCall("13800000000");
    assert.deepEqual([live.state, live.conference, live.consult], ["talking", { with: "1003", answered: true }, null]);
    assert.match(await page.textContent("#call-steps"), /1001 added 1003 \(three-way\)/);
    for (const button of ["#btn-hold", "#btn-transfer", "#btn-consult", "#btn-conference"]) {
      assert.ok(await page.isDisabled(button), `${button} is enabled in a three-way call`);
    }
    assert.ok(await page.isEnabled("#btn-hangup"));
    await shot("desktop-conference-en");
    await page.click("#lang");
    assert.equal(await page.textContent("#conference-text"), "与 1003 三方通话");
    assert.equal(await page.textContent("#call-conference .guest-state"), "已接通");
    assert.match(await page.textContent("#call-steps"), /1001 邀请 1003 加入三方通话/);
    await shot("desktop-conference-zh");
    await page.click("#lang");

    await overStream("POST", `/api/v1/calls/${encodeURIComponent(callId)}/hangup`, async () => {
      await page.click("#btn-hangup");
      await page.waitForSelector(`#wrap-up[data-call="${callId}"]`);
    });
    await desk.finished(caller);
    await desk.finished(phone);
    await desk.finished(guest);  // its BYE: the three-way call is over

    await page.selectOption("#wrap-up select[name=disposition]", "callback");
    await page.keyboard.press("Tab");
    await page.fill("#wrap-up textarea[name=notes]", "Call back about the fee");
    await page.keyboard.press("Control+Enter");
    await page.locator("#wrap-up").waitFor({ state: "detached", timeout: 5000 });
    await barState(page, "ready");
    await eventually(async () => {
      const { body } = await server.rest("GET", "/api/v1/cdrs?number=13800000000", undefined, admin);
      assert.equal(body.items.find((item) => item.call_id === callId)?.disposition_code, "callback");
    });
  });

  test("desktop: an attended transfer: a consultation cancelled, then one completed to 1002's desktop", async (t) => {
    const phone1 = await desk.phone("1001");
    const caller = (await server.sip("trunk_call", { caller: "13800000000", did: DID })).handle;
    await page.waitForSelector("#call-panel[data-state=talking]", { timeout: 15000 });
    const callId = await page.getAttribute("#call-panel", "data-call");
    const liveCall = async () => (await server.rest("GET", "/api/v1/calls", undefined, admin)).body.items
      .find((c) => c.call_id === callId);

    // 1003 is consulted but does not answer: the customer holds, Complete waits for an
    // answer; Cancel ends 1003's ringing and the agent talks to the customer again.
    const ringing = await desk.phone("1003", { ring_only: true });
    await page.fill("#transfer-to", "1003");
    const commandPath = (command) => `/api/v1/calls/${encodeURIComponent(callId)}/${command}`;
    await overStream("POST", commandPath("transfer"), async () => {
      await page.keyboard.press("Alt+A");
      await page.waitForSelector("#call-consult[data-answered=false]", { timeout: 10000 });
    });
    assert.equal(await page.textContent("#consult-text"), "Consulting 1003");
    assert.equal(await page.textContent("#call-consult .guest-state"), "ringing…");
    assert.equal(await page.getAttribute("#call-panel", "data-state"), "held");
    assert.deepEqual([(await liveCall()).state, (await liveCall()).consult], ["held", { with: "1003", answered: false }]);
    assert.ok(await page.isDisabled("#btn-complete"));  // the server: not_consulting
    await shot("desktop-consult-ringing-en");
    for (const button of ["#btn-hold", "#btn-transfer", "#btn-consult", "#btn-conference"]) {
      assert.ok(await page.isDisabled(button), `${button} is enabled while consulting`);  // the server: consulting
    }
    await overStream("POST", commandPath("transfer/cancel"), async () => {
      await page.click("#btn-cancel-consult");
      await page.waitForSelector("#call-panel[data-state=talking]");
    });
    assert.equal(await page.locator("#call-consult").count(), 0);
    await desk.finished(ringing);  // its ringing was cancelled
    assert.deepEqual([(await liveCall()).state, (await liveCall()).consult], ["talking", null]);
    assert.equal(await page.locator("#call-error").count(), 0);

    // 1002 (on a desktop of their own) is consulted: rings, answers, talks with 1001
    // while the customer holds; Complete hands the customer over.
    const phone2 = await desk.phone("1002");
    const second = await agentPage("agent1002");
    await page.fill("#transfer-to", "1002");
    await page.click("#btn-consult");
    await page.waitForSelector("#call-consult[data-answered=false]", { timeout: 10000 });
    await page.waitForSelector("#call-consult[data-answered=true]", { timeout: 15000 });
    assert.equal(await page.textContent("#consult-text"), "Consulting 1002");
    assert.equal(await page.textContent("#call-consult .guest-state"), "talking");
    assert.equal(await page.textContent("#call-state"), "On hold");
    assert.deepEqual([(await liveCall()).state, (await liveCall()).consult], ["held", { with: "1002", answered: true }]);
    assert.ok(await page.isEnabled("#btn-complete"));
    assert.ok(await page.isDisabled("#btn-hold"));  // resume would take the customer into the consultation
    await shot("desktop-consult-en");
    await page.click("#lang");
    assert.equal(await page.textContent("#consult-text"), "正在咨询 1002");
    assert.equal(await page.textContent("#btn-complete"), "完成转接");
    assert.equal(await page.textContent("#call-consult .guest-state"), "通话中");
    await shot("desktop-consult-zh");
    await page.click("#lang");
    assert.equal(await second.page.getAttribute("#call-panel", "data-state"), "idle");  // not 1002's call yet
    // …but 1002's desktop shows whose customer they are consulted about, with the record.
    await second.page.waitForSelector(`#guest-of[data-call="${callId}"]`, { timeout: 5000 });
    assert.equal(await second.page.textContent("#guest-of-text"), "1001 is consulting you about 13800000000");
    assert.equal(await second.page.textContent("#customer-name"), "张三");
    await second.page.screenshot({ path: join(shots, "desktop-consulted-en.png") });

    await overStream("POST", commandPath("transfer/complete"), async () => {
      await page.click("#btn-complete");
      await page.waitForSelector(`#wrap-up[data-call="${callId}"]`, { timeout: 10000 });
    });
    await page.waitForSelector("#call-panel[data-state=idle]");
    await barState(page, "wrap_up");
    await desk.finished(phone1);  // 1001's leg ended
    await second.page.waitForSelector(`#call-panel[data-state=talking][data-call="${callId}"]`, { timeout: 10000 });
    assert.equal(await second.page.textContent("#customer-name"), "张三");
    assert.equal(await second.page.textContent("#call-caller"), "13800000000");
    assert.match(await second.page.textContent("#call-steps"), /Transferred by 1001 to 1002 after consulting/);
    assert.equal(await second.page.locator("#call-consult").count(), 0);
    assert.equal(await second.page.locator("#guest-of").count(), 0);
    assert.deepEqual([(await liveCall()).state, (await liveCall()).agent, (await liveCall()).consult], ["talking", "1002", null]);
    await second.page.screenshot({ path: join(shots, "desktop-consult-completed-en.png") });
    // The history holds the customer's calls only (the two of the tests before), not
    // the calls placed to consulted or added parties showing the customer's number.
    const rows = second.page.locator("#contact-history tbody tr[data-call]");
    assert.deepEqual(await rows.evaluateAll((all) => all.map((r) => r.cells[3].textContent)), ["support", "support"]);

    await page.selectOption("#wrap-up select[name=disposition]", "resolved");
    await page.click("#wrap-up button[type=submit]");
    await page.locator("#wrap-up").waitFor({ state: "detached", timeout: 5000 });
    await barState(page, "ready");

    // 1002 hangs up: the customer and 1002's phone (handed the customer by a re-INVITE) get their BYE.
    await second.page.click("#btn-hangup");
    await second.page.waitForSelector("#wrap-up", { timeout: 10000 });
    await desk.finished(caller);
    await desk.finished(phone2);
    await second.context.close();
    const cdr = await eventually(async () => {
      const { body } = await server.rest("GET", "/api/v1/cdrs?number=13800000000", undefined, admin);
      const found = body.items.find((item) => item.call_id === callId);
      assert.ok(found && found.ended_at > 0, JSON.stringify(body.items));
      return found;
    }, 10);
    assert.deepEqual({ agent: cdr.agent, disposition: cdr.disposition, disposition_code: cdr.disposition_code },
      { agent: "1002", disposition: "answered", disposition_code: "resolved" });
    assert.deepEqual(cdr.events.map(({ kind, mode, from, to }) => ({ kind, mode, from, to })),
      [{ kind: "transfer", mode: "attended", from: "1001", to: "1002" }]);
  });

  test("desktop: a refusal the desktop could not foresee (its view behind the server's) in the agent's language", async () => {
    // The desktop greys out what the server would refuse; only a view that is behind
    // lets a refused command through. The test holds back the page's live_call events
    // (passing its stream through) while a supervisor starts a consultation on the call.
    const held = { back: false };
    await page.routeWebSocket(/\/api\/v1\/events/, (ws) => {
      const upstream = ws.connectToServer();
      upstream.onMessage((message) => {
        if (!held.back) return ws.send(message);
        const parsed = JSON.parse(String(message));  // one event, or a batch of them
        const kept = (Array.isArray(parsed) ? parsed : [parsed]).filter((event) => event.type !== "live_call");
        if (kept.length > 0) ws.send(JSON.stringify(kept.length === 1 ? kept[0] : kept));
      });
    });
    await page.reload();
    await barState(page, "ready");
    await page.waitForSelector("#connection[data-state=live]");
    const phone = await desk.phone("1001");
    const ringing = await desk.phone("1003", { ring_only: true });
    const caller = (await server.sip("trunk_call", { caller: "13800000000", did: DID })).handle;
    await page.waitForSelector("#call-panel[data-state=talking]", { timeout: 15000 });
    const callId = await page.getAttribute("#call-panel", "data-call");
    const command = async (path, body) => {
      const answer = await server.rest("POST", `/api/v1/calls/${encodeURIComponent(callId)}/${path}`, body, admin);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      return answer.body;
    };
    held.back = true;
    assert.deepEqual((await command("transfer", { to: "1003", mode: "attended" })).consult, { with: "1003", answered: false });
    assert.equal(await page.getAttribute("#call-panel", "data-state"), "talking");  // the view is behind
    await page.click("#btn-hold");
    await page.waitForSelector("#call-error");
    assert.equal(await page.textContent("#call-error"), "Finish the consultation first: complete or cancel the transfer.");
    await page.click("#lang");
    await page.fill("#transfer-to", "1002");
    await page.click("#btn-conference");
    await page.waitForFunction(() => document.querySelector("#call-error")?.textContent === "请先结束咨询：完成或取消转接。");
    await shot("desktop-refused-zh");
    await page.click("#lang");

    // The supervisor cancels the consultation: the next event brings the view up to date.
    held.back = false;
    assert.equal((await command("transfer/cancel")).consult, null);
    await desk.finished(ringing);
    await command("hold");
    await page.waitForSelector("#call-panel[data-state=held]");
    await command("resume");
    await page.waitForSelector("#call-panel[data-state=talking]");
    await page.click("#btn-hangup");
    await page.waitForSelector(`#wrap-up[data-call="${callId}"]`, { timeout: 10000 });
    await desk.finished(caller);
    await desk.finished(phone);
    await page.selectOption("#wrap-up select[name=disposition]", "resolved");
    await page.click("#wrap-up button[type=submit]");
    await page.locator("#wrap-up").waitFor({ state: "detached", timeout: 5000 });
    await barState(page, "ready");
    await page.unrouteAll({ behavior: "ignoreErrors" });
  });

  test("desktop: click-to-dial: the agent's phone rings, then the customer's; a busy customer is wrapped up too", async () => {
    const NUMBER = "013800000000";  // the carrier trunk's prefix 0, then 张三's number
    // A stream of the browser's own again (the test before routed it).
    await page.reload();
    await page.waitForSelector("#connection[data-state=live]");
    await barState(page, "ready");
    // Refused by the server (a number that goes nowhere), said on the panel: the error
    // came as the stream's response, translated by its code as over HTTP.
    await page.fill("#dial-to", "99999");
    const refused = await overStream("POST", "/api/v1/calls", async () => {
      await page.click("#btn-dial");
      await page.waitForSelector("#dial-error");
    }, 400);
    assert.equal(refused.body.error?.code, "invalid_field");
    assert.equal(await page.textContent("#dial-error"),
      "99999 cannot be called: check the number (an extension, or the trunk's prefix then the number).");
    assert.equal(await page.getAttribute("#call-panel", "data-state"), "idle");

    const phone = await desk.phone("1001");
    const customerPhone = (await server.sip("customer", {})).handle;
    await page.fill("#dial-to", NUMBER);
    // The agent's phone rings first (1.5 s), then the customer's (1.5 s).
    const dialled = await overStream("POST", "/api/v1/calls", async () => {
      await page.keyboard.press("Enter");
      await page.waitForSelector("#call-panel[data-state=offered]", { timeout: 10000 });
    }, 201);
    assert.match(await page.textContent("#call-panel .offer-banner"), /^Answer your phone to call 013800000000\.$/);
    assert.equal(await page.textContent("#customer-name"), "张三");  // the screen pop: the number dialled
    await page.waitForSelector("#call-panel[data-state=dialing]", { timeout: 10000 });
    assert.equal(await page.textContent("#call-panel .offer-banner"), "Calling 013800000000…");
    assert.equal(await page.textContent("#call-state"), "Dialing");
    await page.waitForSelector("#call-panel[data-state=talking]", { timeout: 10000 });
    const callId = await page.getAttribute("#call-panel", "data-call");
    assert.equal(dialled.body.call_id, callId);
    assert.equal(await page.textContent("#call-caller"), NUMBER);
    assert.equal(await page.textContent("#call-shown"), "02150001234");
    assert.equal(await page.textContent("#call-direction"), "Outbound");
    const live = await desk.liveCall("02150001234", "talking");
    assert.deepEqual([live.call_id, live.direction, live.agent, live.dialled], [callId, "outbound", "1001", NUMBER]);
    await barState(page, "on_call");
    await page.fill("#transfer-to", "1002");
    assert.ok(await page.isEnabled("#btn-transfer"));  // to a person: the target takes the agent's leg
    assert.ok(await page.isEnabled("#btn-consult"));
    assert.ok(await page.isEnabled("#btn-conference"));
    await page.fill("#transfer-to", "queue:sales");  // a queue cannot take a call the agent placed
    await page.click("#btn-transfer");
    await page.waitForFunction(() => document.querySelector("#call-error")?.textContent ===
      "A call you placed cannot go to a queue: transfer it to an extension or a number.");
    await page.fill("#transfer-to", "");
    assert.ok(await page.isEnabled("#btn-hold"));
    await shot("desktop-outbound-en");
    await page.click("#lang");
    assert.equal(await page.textContent("#call-direction"), "呼出");
    await shot("desktop-outbound-zh");
    await page.click("#lang");

    await page.click("#btn-hangup");
    await page.waitForSelector(`#wrap-up[data-call="${callId}"]`, { timeout: 10000 });
    assert.match(await page.textContent("#wrap-up h2"), /013800000000/);
    await desk.finished(customerPhone);
    await desk.finished(phone);
    await page.selectOption("#wrap-up select[name=disposition]", "resolved");
    await page.click("#wrap-up button[type=submit]");
    await page.locator("#wrap-up").waitFor({ state: "detached", timeout: 5000 });
    await barState(page, "ready");
    const cdr = await eventually(async () => {
      const { body } = await server.rest("GET", `/api/v1/cdrs?number=${NUMBER}`, undefined, admin);
      const found = body.items.find((item) => item.call_id === callId);
      assert.ok(found && found.ended_at > 0 && found.disposition_code, JSON.stringify(body.items));
      return found;
    }, 10);
    assert.deepEqual(
      { direction: cdr.direction, agent: cdr.agent, caller: cdr.caller, dialled: cdr.dialled, disposition: cdr.disposition,
        customer_id: cdr.customer_id, disposition_code: cdr.disposition_code },
      { direction: "outbound", agent: "1001", caller: "02150001234", dialled: NUMBER, disposition: "answered",
        customer_id: desk.customerId, disposition_code: "resolved" });

    // A busy customer: the call ends with the reason, and the agent wraps it up.
    const phoneAgain = await desk.phone("1001");
    const busy = (await server.sip("customer", { busy: true })).handle;
    await page.fill("#dial-to", NUMBER);
    await page.click("#btn-dial");
    await page.waitForSelector("#wrap-up #wrap-up-reason", { timeout: 15000 });
    assert.equal(await page.textContent("#wrap-up-reason"), " · busy");
    // The customer's history has the first call, as an outbound one.
    await page.waitForSelector(`#contact-history tr[data-call="${callId}"]`);
    assert.match(await page.textContent(`#contact-history tr[data-call="${callId}"]`), /Outbound\s*1001\s*—\s*Resolved/);
    await page.click("#lang");
    assert.equal(await page.textContent("#wrap-up-reason"), " · 忙");
    await shot("desktop-outbound-busy-zh");
    await page.click("#lang");
    await desk.finished(busy);
    await desk.finished(phoneAgain);
    await page.selectOption("#wrap-up select[name=disposition]", "callback");
    await page.click("#wrap-up button[type=submit]");
    await page.locator("#wrap-up").waitFor({ state: "detached", timeout: 5000 });
    await barState(page, "ready");
  });

  test("desktop: an unknown caller pops an empty record with the number, saved as a new customer", async () => {
    const phone = await desk.phone("1001", { ring_only: true });  // rings until the caller gives up
    const caller = await server.sip("caller", { caller: "13900001111", did: DID });
    assert.ok(caller.ok, caller.explain);
    await page.waitForSelector("#customer-panel[data-state=unknown]", { timeout: 15000 });
    assert.equal(await page.getAttribute("#call-panel", "data-state"), "offered");
    assert.equal(await page.inputValue('#customer-form input[name=phones]'), "13900001111");
    await page.fill("#customer-form input[name=name]", "李四");
    await page.fill("#customer-form input[name=tags]", "new, web");
    await shot("desktop-unknown-en");
    await page.click("#btn-save-customer");
    await page.waitForFunction(() => document.querySelector("#customer-name")?.textContent === "李四");
    const found = await server.rest("GET", "/api/v1/customers?phone=13900001111", undefined, admin);
    assert.deepEqual(found.body.items.map((c) => [c.name, c.phones, c.tags]), [["李四", ["13900001111"], ["new", "web"]]]);
    await page.click("#lang");
    assert.equal(await page.textContent("#call-state"), "振铃中");
    await shot("desktop-customer-zh");
    await page.click("#lang");
    // Rung but never answered (the caller hung up): nothing to wrap up.
    const gone = await server.sip("hang_up", { handle: caller.handle });
    assert.ok(gone.ok, gone.explain);
    await desk.finished(phone);  // its ringing was cancelled
    await page.waitForSelector("#call-panel[data-state=idle]");
    assert.equal(await page.locator("#wrap-up").count(), 0);
    await eventually(async () => assert.equal((await agentState("1001")).state, "ready"));
    await barState(page, "ready");
  });

  test("desktop: a command unanswered on the stream times out; a dropped stream is shown, commands go over HTTP meanwhile, what it missed is reloaded", async () => {
    // The server cannot be asked to drop one stream: the test passes the page's
    // stream through (routeWebSocket) and cuts it, as a network would; it can also
    // swallow the page's requests (a server that does not answer).
    const link = { sockets: [], down: false, swallow: false, sent: [] };
    await page.routeWebSocket(/\/api\/v1\/events/, (ws) => {
      if (link.down) return ws.close({ code: 1006, reason: "network down" });
      const upstream = ws.connectToServer();
      ws.onMessage((message) => {
        link.sent.push(JSON.parse(String(message)));
        if (!link.swallow) upstream.send(message);
      });
      link.sockets.push(ws);
    });
    await page.reload();
    await barState(page, "ready");
    await page.waitForSelector("#connection[data-state=live]");
    assert.equal(link.sockets.length, 1);
    const stateRequests = () => link.sent.filter((f) => f.type === "request" && f.path === "/api/v1/agents/1001/state");
    const statePosts = () => desk.sent.http.filter((r) => r === "POST /api/v1/agents/1001/state").length;

    // No answer within 5 s: the command fails, said in the agent's words; nothing changed.
    link.swallow = true;
    const posts = statePosts();
    await page.keyboard.press("Alt+N");
    await page.click('#reason-menu [data-reason="lunch"]');
    await page.waitForFunction(() => document.querySelector("#state-error")?.textContent === "the server did not answer in time",
      null, { timeout: 8000 });
    assert.equal(stateRequests().length, 1);  // it was sent on the stream
    await shot("desktop-timeout-en");
    assert.equal(statePosts(), posts);  // and not over HTTP
    assert.equal(await page.getAttribute("#state-bar", "data-state"), "ready");
    assert.equal((await agentState("1001")).state, "ready");
    link.swallow = false;

    link.down = true;
    link.sockets[0].close({ code: 1011, reason: "test" });
    await page.waitForSelector("#connection[data-state=retry]", { timeout: 3000 });
    // The agent's command while the stream is down goes over HTTP, and works.
    await page.keyboard.press("Alt+N");
    await page.click('#reason-menu [data-reason="break"]');
    await barState(page, "not_ready");
    assert.equal(await page.textContent("#agent-reason"), "Break");
    assert.equal(await page.locator("#state-error").count(), 0);
    assert.deepEqual([(await agentState("1001")).state, (await agentState("1001")).reason], ["not_ready", "break"]);
    assert.equal(statePosts(), posts + 1);
    assert.equal(stateRequests().length, 1);
    // Missed while down: a supervisor logs the agent out of the queues.
    await setState("1001", { state: "logged_out" });
    assert.equal(await page.getAttribute("#state-bar", "data-state"), "not_ready");
    link.down = false;
    await page.waitForSelector("#connection[data-state=live]", { timeout: 15000 });
    await barState(page, "logged_out");
    await page.unrouteAll({ behavior: "ignoreErrors" });
    await page.click("#logout");
    await page.waitForSelector("#login");
  });
});
