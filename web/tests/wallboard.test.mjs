// The supervisors' wallboard (issue 17) in a real browser against a real server
// (serve.py: `unicc serve --demo`, SIPp and scripted trunk callers): the figures move
// with the calls without a reload, and a state forced from its grid reaches the
// agent's desktop within a second. Run by ctest as web_wallboard.
import { after, afterEach, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TestServer, eventually, framesOf, launchBrowser, recordTraffic } from "./harness.mjs";

const shots = process.env.UNICC_SCREENSHOT_DIR || join(tmpdir(), "unicc-web-screenshots");
mkdirSync(shots, { recursive: true });
const DID = "4090"; // serve.py's flow: the support queue

let server;
let browser;
let admin;
const traffic = [];
const pageErrors = [];

async function open(username, password = "unicc-demo") {
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 }, locale: "en-US" });
  const page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(String(error)));
  recordTraffic(page, traffic);
  const frames = framesOf(page);
  await page.goto(server.base + "/");
  await page.fill("#username", username);
  await page.fill("#password", password);
  await page.click("button[type=submit]");
  await page.waitForSelector("#connection[data-state=live]");
  return { context, page, frames };
}

async function setState(extension, body) {
  const answer = await server.rest("POST", `/api/v1/agents/${extension}/state`, body, admin);
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
}

const tile = (page, queue) => page.locator(`.wb-tile[data-queue="${queue}"]`);
const waiting = async (page, queue) => Number(await tile(page, queue).locator("[data-field=waiting] b").textContent());

describe("wallboard", { timeout: 200_000 }, () => {
  before(async () => {
    server = await TestServer.start();
    browser = await launchBrowser();
    admin = await server.login();
  });

  afterEach(() => assert.deepEqual(pageErrors.splice(0), [], "uncaught errors in the page"));

  after(async () => {
    writeFileSync(join(shots, "wallboard-traffic.log"), traffic.join("\n") + "\n");
    await browser?.close();
    server?.stop();
  });

  test("the waiting count rises when a call queues and falls when it is answered, without a reload", async () => {
    // Support: 1001 logged in but not ready, so the call waits; nobody else serves it.
    for (const extension of ["1003", "1004"]) await setState(extension, { state: "logged_out" });
    await setState("1001", { state: "not_ready", reason: "break" });
    const patched = await server.rest("PATCH", "/api/v1/queues/support", { alert_wait_s: 2 }, admin);
    assert.equal(patched.status, 200, JSON.stringify(patched.body));

    const { page, frames } = await open("admin");
    await page.click("#nav-wallboard");
    await page.waitForSelector('.wb-tile[data-queue="support"]');
    assert.equal(await waiting(page, "support"), 0);
    await page.evaluate(() => { window.notReloaded = true; });

    const caller = await server.sip("caller", { caller: "13900001111", did: DID });
    assert.ok(caller.ok, caller.explain);
    await eventually(async () => assert.equal(await waiting(page, "support"), 1), 15);
    // Past the queue's 2 s threshold the tile turns red, with no event needed.
    await page.waitForSelector('.wb-tile.alerting[data-queue="support"]', { timeout: 5000 });
    assert.match(await tile(page, "support").getAttribute("data-alerting"), /longest_wait/);
    await page.screenshot({ path: join(shots, "wallboard-waiting-en.png") });

    // 1001 takes it: their phone answers, the count falls, the grid shows the call.
    const phone = await server.sip("phone", { extension: "1001" });
    assert.ok(phone.ok, phone.explain);
    await setState("1001", { state: "ready" });
    await eventually(async () => assert.equal(await waiting(page, "support"), 0), 15);
    const row = page.locator('#wallboard-agents tr[data-extension="1001"]');
    await eventually(async () => assert.equal(await row.getAttribute("data-state"), "on_call"), 10);
    await eventually(async () => assert.match(await row.locator("[data-field=call]").textContent(), /13900001111/), 5);
    assert.equal(await row.locator("[data-field=handled]").textContent(), "1");
    const support = tile(page, "support");
    assert.equal(await support.locator("[data-field=answered] b").textContent(), "1");
    // The admin has no extension: monitoring is offered, but disabled with the reason.
    const listen = row.locator("[data-monitor=listen]");
    assert.ok(await listen.isDisabled());
    assert.match(await listen.getAttribute("title"), /need an extension/);
    assert.equal(await page.evaluate(() => window.notReloaded), true, "the page was reloaded");
    // A supervisor with an extension may listen; with no phone registered there, the
    // server's refusal shows in the row, in the user's words.
    const created = await server.rest("POST", "/api/v1/users", {
      username: "sue", password: "wallboard-Sup-7341", role: "supervisor", display_name: "Sue", extension: "1009",
    }, admin);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const supervisor = await open("sue", "wallboard-Sup-7341");
    await supervisor.page.click("#nav-wallboard");
    const theirRow = supervisor.page.locator('#wallboard-agents tr[data-extension="1001"]');
    await theirRow.locator("[data-monitor=listen]").click();
    await supervisor.page.waitForSelector('[data-error-for="1001"]');
    assert.match(await supervisor.page.textContent('[data-error-for="1001"]'), /1001: your phone cannot be reached/);
    await supervisor.context.close();
    // The figures came by coalesced "wallboard" events, not one per call event.
    const pushed = frames.filter((f) => f.type === "wallboard");
    assert.ok(pushed.length > 0 && pushed.length < 40, `${pushed.length} wallboard events`);
    await page.screenshot({ path: join(shots, "wallboard-en.png") });
    await page.click("#lang");
    await page.waitForFunction(() => document.querySelector(".wallboard-page h1")?.textContent === "监控大屏");
    await page.screenshot({ path: join(shots, "wallboard-zh.png") });
    await page.click("#lang");

    const gone = await server.sip("hang_up", { handle: caller.handle });
    assert.ok(gone.ok, gone.explain);
    const ended = await server.sip("wait", { handle: phone.handle });
    assert.ok(ended.ok, ended.explain);
    await eventually(async () => assert.equal(await row.getAttribute("data-state"), "wrap_up"), 10);
    await page.context().close();
  });

  test("a state forced from the grid shows on the agent's desktop within 1 s", async () => {
    await setState("1002", { state: "ready" });
    const agent = await open("agent1002");
    await agent.page.waitForSelector("#state-bar[data-state=ready]");
    // The agent's strip: the queue they serve.
    await agent.page.waitForSelector('#desk-queues [data-queue="sales"]');
    assert.equal(await agent.page.locator("#desk-queues [data-queue]").count(), 1);

    const { page } = await open("admin");
    await page.goto(server.base + "/#/wallboard");
    const row = page.locator('#wallboard-agents tr[data-extension="1002"]');
    await eventually(async () => assert.equal(await row.getAttribute("data-state"), "ready"));
    await row.locator("[data-action=not_ready]").click();
    await row.locator('[data-reason="lunch"]').waitFor();
    const clicked = Date.now();
    await row.locator('[data-reason="lunch"]').click();
    await agent.page.waitForSelector("#state-bar[data-state=not_ready]", { timeout: 1000 });
    const shown = Date.now() - clicked;
    assert.equal(await agent.page.textContent("#agent-reason"), "Lunch");
    assert.ok(shown < 1000, `the desktop showed it ${shown} ms after the click`);
    await eventually(async () => assert.equal(await row.getAttribute("data-state"), "not_ready"));

    // Log out from the grid, then ready again.
    await row.locator("[data-action=logged_out]").click();
    await agent.page.waitForSelector("#state-bar[data-state=logged_out]", { timeout: 1000 });
    await row.locator("[data-action=ready]").click();
    await agent.page.waitForSelector("#state-bar[data-state=ready]", { timeout: 1000 });
    const audit = await server.rest("GET", "/api/v1/audit?action=agent.state", undefined, admin);
    assert.ok(audit.body.items.some((entry) => entry.target === "agent:1002"), JSON.stringify(audit.body));
    await agent.page.screenshot({ path: join(shots, "wallboard-desktop-strip-en.png") });
    await page.click("#lang");
    await page.screenshot({ path: join(shots, "wallboard-grid-zh.png") });
    await page.context().close();
    await agent.context.close();
  });
});
