// Issue 18 end to end, in a real browser against a real server (harness.mjs): an
// administrator uploads an MP3 prompt, creates a skill, a queue that needs it and an
// agent with the skill in the administration console, then draws a flow for a new
// number (play the MP3 → menu with two keys → the queue and voicemail), sees a problem
// pinned to the menu until it is fixed, and publishes; the JSON view passes `unicc
// check-flow`; a SIPp caller to the number presses 1 and reaches the queue; the
// designer then shows 1 call on that exit. Run by ctest as web_center; screenshots in
// both languages go to UNICC_SCREENSHOT_DIR. (That the MP3's audio reaches the caller
// with energy is checked on the wire by sip_ivr.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { browserTests, eventually, signedInPage, toneWav } from "./harness.mjs";

const shots = process.env.UNICC_SCREENSHOT_DIR || join(tmpdir(), "unicc-web-screenshots");
mkdirSync(shots, { recursive: true });
const work = mkdtempSync(join(tmpdir(), "unicc-center-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));

const run = browserTests();
const DID = "4333";
const card = (id) => `.flow-card[data-node="${id}"]`;
const port = (id, exit) => `${card(id)} [data-exit="${exit}"] .flow-port`;
const shot = (page, name) => page.screenshot({ path: join(shots, `${name}.png`) });

async function consoleTab(page, id, list) {
  await page.click("#nav-admin");
  await page.click(`#tab-${id}`);
  await page.waitForSelector(`#${list}-list-search`);
}

test("issue 18: skill, queue and agent in the console, an MP3 prompt, a flow drawn and published; a call pressing 1 reaches the queue and is counted on that exit", async () => {
  const page = await signedInPage(run.browser, run.server.base, "admin", "unicc-demo", run.pageErrors);
  page.on("dialog", (dialog) => void dialog.accept());

  // The welcome prompt: an MP3 uploaded on the Prompts page.
  const wav = join(work, "welcome.wav");
  const mp3 = join(work, "welcome.mp3");
  toneWav(wav, 1.0, 523);
  assert.equal(spawnSync("lame", ["--quiet", wav, mp3]).status, 0);
  await page.click("#nav-prompts");
  await page.setInputFiles("#prompt-file", mp3);
  await page.click("#prompt-send");
  await page.waitForSelector('#prompt-list tr[data-prompt="welcome"]');

  // The console: a skill, a queue that needs it (callers wait 4 s at most), an agent with it.
  await consoleTab(page, "skills", "skill");
  await page.click("#skill-list-new");
  await page.fill("#skill-name", "mandarin");
  await page.press("#skill-name", "Enter");
  await eventually(async () => assert.equal((await page.textContent("#record-title")).trim(), "mandarin"));
  await consoleTab(page, "queues", "queue");
  await page.click("#queue-list-new");
  await page.fill("#queue-name", "mandarin-line");
  await page.click("#skills-add");
  await page.selectOption('[data-field="skills[0].skill"] select', "mandarin");
  await page.fill('[data-field="skills[0].min_level"] input', "5");
  await page.fill("#queue-max_wait_s", "4");
  await page.click("#queue-form-save");
  await eventually(async () => assert.equal((await page.textContent("#record-title")).trim(), "mandarin-line"));
  await consoleTab(page, "agents", "agent");
  await page.click("#agent-list-new");
  await page.fill("#agent-extension", "1006");
  await page.fill("#agent-name", "Zhou Min");
  await page.click("#skills-add");
  await page.selectOption('[data-field="skills[0].skill"] select', "mandarin");
  await page.fill('[data-field="skills[0].level"] input', "8");
  await page.press("#agent-name", "Enter");
  await eventually(async () => assert.equal((await page.textContent("#record-title")).trim(), "1006 Zhou Min"));
  const agent = await run.server.rest("GET", "/api/v1/agents/1006", undefined, run.admin);
  assert.ok(agent.body.queues.includes("mandarin-line"), JSON.stringify(agent.body));

  // The designer: a new flow for the number.
  await page.click("#nav-flows");
  await page.fill("#flow-new-name", "center");
  await page.click("#flow-new");
  await page.waitForSelector("#flow-canvas");
  await page.fill('#flow-form [data-field="dids"] input', DID);
  await page.selectOption("#add-node", "play");
  await page.waitForSelector(`${card("play")}.selected`);
  await page.click('#node-form [data-field="prompt"] button:has-text("Add sound file")');
  const file = '#node-form [data-field="prompt"] input.prompt-file';
  await eventually(async () => assert.ok((await page.$$eval(`datalist[id="${await page.getAttribute(file, "list")}"] option`,
    (o) => o.map((x) => x.value))).includes("welcome.wav")));
  await page.fill(file, "welcome.wav");
  await page.click("#flow-fit");
  await page.click(port("play", "next"));
  await page.selectOption("#add-node", "menu");
  await page.waitForSelector(`${card("menu")}.selected`);
  await page.fill('#node-form [data-field="prompt"] textarea[data-lang="zh"]', "普通话服务请按1，留言请按2。");
  await page.fill('#node-form [data-field="prompt"] textarea[data-lang="en"]', "For Mandarin press 1, to leave a message press 2.");
  await page.click("#add-option");
  await page.click("#flow-fit");
  await page.click(port("menu", "options.1"));
  await page.selectOption("#add-node", "queue");
  await page.waitForSelector(`${card("queue")}.selected`);
  await page.fill('#node-form [data-field="queue"] input', "mandarin-line");
  await page.selectOption("#add-node", "voicemail");
  await page.waitForSelector(`${card("voicemail")}.selected`);
  // Key 2 and the menu's failure exit are not connected: pinned to the menu card.
  await eventually(async () => assert.ok(await page.locator(`${card("menu")}.has-problem`).count(), "the menu card is marked"), 10);
  assert.ok(await page.locator(`${card("menu")} [data-exit="options.2"].broken`).count());
  assert.equal(await page.isDisabled("#flow-publish"), true);
  await shot(page, "center-designer-problem-en");
  await page.click('#flow-problems .flow-problem[data-node="menu"][data-field="options.2"]');
  await page.selectOption('#node-form [data-option="2"] select:not(.key-select)', "voicemail");
  await page.click("#flow-fit");
  await page.click(port("menu", "on_failure"));
  await page.click(card("voicemail"));
  await eventually(async () => assert.equal((await page.textContent("#flow-check")).trim(), "No problems"), 10);
  assert.equal(await page.locator(".flow-card.has-problem").count(), 0);
  await page.click("#flow-publish");
  await eventually(async () => assert.match(await page.textContent("#flow-message"), /Published as version 1/));

  // The JSON view passes check-flow.
  await page.click("#view-json");
  const shown = await page.inputValue("#flow-json");
  writeFileSync(join(work, "center.json"), shown);
  const checked = spawnSync(process.env.UNICC_BIN, ["check-flow", join(work, "center.json")], { encoding: "utf8" });
  assert.equal(checked.status, 0, checked.stdout + checked.stderr);
  assert.deepEqual(JSON.parse(shown).nodes.play.prompt, [{ file: "welcome.wav" }]);
  await page.click("#view-drawing");

  // A caller to the number hears the MP3, presses 1 and reaches the queue, where 1006 is
  // logged in but not ready: after 4 s the call is hung up.
  const state = await run.server.rest("POST", "/api/v1/agents/1006/state", { state: "not_ready", reason: "break" }, run.admin);
  assert.equal(state.status, 200, JSON.stringify(state.body));
  const caller = await run.server.sip("ivr_call", { caller: "13600000000", did: DID });
  assert.ok(caller.ok, caller.explain);
  const done = await run.server.sip("wait", { handle: caller.handle });
  assert.ok(done.ok, done.explain);
  const cdrs = await run.server.rest("GET", `/api/v1/cdrs?number=${DID}`, undefined, run.admin);
  const cdr = cdrs.body.items[0];
  assert.deepEqual(cdr.ivr.steps.map((s) => [s.node, s.exit]), [["play", "next"], ["menu", "options.1"], ["queue", ""]]);
  const queued = cdr.ivr.steps[2];
  assert.ok(cdr.ivr.ended_at - queued.entered_at >= 3500, `waited in mandarin-line: ${JSON.stringify(cdr)}`);

  // The designer shows the call on key 1.
  await page.selectOption("#flow-period", "today");
  await eventually(async () => {
    await page.click("#flow-counts-refresh");
    assert.equal(await page.getAttribute('g[data-edge="menu/options.1"]', "data-count"), "1");
  }, 15);
  assert.equal(await page.getAttribute('g[data-edge="menu/options.2"]', "data-count"), "0");
  assert.equal(await page.getAttribute(`${card("queue")} [data-entered]`, "data-entered"), "1");
  await page.click("#flow-fit");
  await shot(page, "center-designer-counts-en");
  await page.click("#lang");
  await shot(page, "center-designer-counts-zh");
  await page.click("#lang");
  await page.context().close();
});
