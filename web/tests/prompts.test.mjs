// The prompt library and what the flow designer asks of real calls (issue 18), in a
// real browser against a real server (harness.mjs: serve.py's `unicc serve --demo`):
// an admin uploads an MP3 made with lame from a generated tone and sees it listed at
// its length, plays it, is told inline that a text file is not audio, previews a text
// read by the TTS, deletes an upload; a supervisor only lists and plays. In the
// designer a file prompt offers and plays the uploaded file, a text prompt is heard
// with ▶; a SIPp caller presses 1 in a published flow and the drawing then shows 1 on
// that exit; the test call is refused for an extension without a phone and rings a
// registered one. Run by ctest as web_prompts; screenshots in both languages go to
// UNICC_SCREENSHOT_DIR.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addUser, browserTests, eventually, signedInPage, toneWav } from "./harness.mjs";

const shots = process.env.UNICC_SCREENSHOT_DIR || join(tmpdir(), "unicc-web-screenshots");
mkdirSync(shots, { recursive: true });

const run = browserTests(({ server, admin }) =>
  addUser(server, admin, { username: "sue", password: "plans-the-week-7", role: "supervisor", display_name: "Sue" }));

const work = mkdtempSync(join(tmpdir(), "unicc-prompts-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));

async function open(username, password = "unicc-demo", nav = "#nav-prompts") {
  const page = await signedInPage(run.browser, run.server.base, username, password, run.pageErrors);
  page.on("dialog", (dialog) => void dialog.accept());
  await page.waitForSelector(nav);
  await page.click(nav);
  return page;
}

/** Waits until the <audio> element has loaded something that lasts. */
async function audioLoaded(page, selector) {
  await page.waitForSelector(selector);
  await page.waitForFunction((s) => { const a = document.querySelector(s); return a && a.duration > 0 && a.src.startsWith("blob:"); },
    selector, { timeout: 20_000 });
  return page.$eval(selector, (a) => a.duration);
}

const SECONDS = 2.0;

test("prompts: an admin uploads an MP3 (listed at its length, plays), a text file is refused inline, a TTS preview plays, an upload is deleted", async () => {
  const wav = join(work, "tone.wav");
  const mp3 = join(work, "Tone sample.mp3");
  toneWav(wav, SECONDS);
  const lame = spawnSync("lame", ["--quiet", "-b", "64", wav, mp3]);
  assert.equal(lame.status, 0, String(lame.stderr));

  const page = await open("admin");
  await page.waitForSelector("#prompt-list, .prompts-list .empty");
  assert.match(await page.textContent("#prompts-help"), /music on hold/i);
  assert.match(await page.textContent("#prompts-help"), /hold\.wav/);

  // The name follows the file's; a name the server would refuse is said at once.
  await page.setInputFiles("#prompt-file", mp3);
  assert.equal(await page.inputValue("#prompt-name"), "Tone_sample");
  await page.fill("#prompt-name", "bad name!");
  assert.match(await page.textContent("#prompt-name-help"), /1–64 letters/);
  await page.click("#prompt-send");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "prompt-name");
  await page.fill("#prompt-name", "tone-mp3");
  assert.match(await page.textContent("#prompt-name-help"), /tone-mp3\.wav/);
  await page.click("#prompt-send");
  const row = '#prompt-list tr[data-prompt="tone-mp3"]';
  await page.waitForSelector(row);
  assert.match(await page.textContent("#prompts-notice"), /tone-mp3\.wav/);
  const ms = Number(await page.getAttribute(`${row} [data-duration-ms]`, "data-duration-ms"));
  assert.ok(Math.abs(ms - SECONDS * 1000) < 150, `listed at ${ms} ms, the source lasts ${SECONDS} s`);
  assert.match(await page.textContent(row), /tone-mp3\.wav/);
  assert.match(await page.textContent(row), /Uploaded/);
  assert.match(await page.textContent(`${row} td:nth-child(4)`), /^2(\.\d)?\s?s$/);
  const listed = await run.server.rest("GET", "/api/v1/prompts", null, run.admin);
  const item = listed.body.items.find((p) => p.name === "tone-mp3");
  assert.equal(item.source, "uploaded");
  assert.equal(item.file, "tone-mp3.wav");

  // Played from the library: the <audio> element has the converted file.
  await page.click('[data-play="tone-mp3"]');
  const played = await audioLoaded(page, "#prompt-player");
  assert.ok(Math.abs(played - SECONDS) < 0.2, `the player holds ${played} s`);

  // Not audio: refused, with the server's reason, under the form.
  await page.setInputFiles("#prompt-file", { name: "notes.wav", mimeType: "audio/wav", buffer: Buffer.from("this is not a sound at all\n".repeat(40)) });
  await page.fill("#prompt-name", "notes");
  await page.click("#prompt-send");
  await page.waitForSelector("#prompt-upload-problem");
  assert.match(await page.textContent("#prompt-upload-problem"), /not usable audio \(.+\)/);
  assert.equal(await page.getAttribute("#prompt-file", "aria-invalid"), "true");
  assert.equal(await page.locator('#prompt-list tr[data-prompt="notes"]').count(), 0);

  // The TTS preview: Chinese by default, answered as audio/wav and played.
  await page.fill("#speak-text", "您好，欢迎致电。");
  const [spoken] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/api/v1/prompts/speak")),
    page.click("#speak-play"),
  ]);
  assert.equal(spoken.status(), 200);
  assert.match(spoken.headers()["content-type"], /audio\/wav/);
  assert.equal(JSON.parse(spoken.request().postData()).language, "zh");
  assert.ok(await audioLoaded(page, "#speak-player") > 0.3);
  await page.click("#speak-lang-en");
  await page.fill("#speak-text", "Hello, and welcome.");
  const firstSrc = await page.getAttribute("#speak-player", "src");
  const [english] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/api/v1/prompts/speak")),
    page.click("#speak-play"),
  ]);
  assert.deepEqual(JSON.parse(english.request().postData()), { text: "Hello, and welcome.", language: "en", voice: "en" });
  await page.waitForFunction((first) => document.querySelector("#speak-player")?.getAttribute("src") !== first, firstSrc);
  assert.ok(await audioLoaded(page, "#speak-player") > 0.3);

  // A second upload (the WAV itself), then deleted after asking in place.
  await page.setInputFiles("#prompt-file", wav);
  await page.fill("#prompt-name", "second");
  await page.click("#prompt-send");
  await page.waitForSelector('#prompt-list tr[data-prompt="second"]');
  // Uploading under a taken name asks before replacing.
  await page.setInputFiles("#prompt-file", wav);
  await page.fill("#prompt-name", "second");
  await page.click("#prompt-send");
  await page.waitForSelector("#prompt-replace");
  await page.click("#prompt-replace-confirm");
  await eventually(async () => assert.match(await page.textContent("#prompts-notice"), /second replaced/));
  await page.click("#delete-second");
  await page.click("#delete-second-confirm");
  await eventually(async () => assert.equal(await page.locator('#prompt-list tr[data-prompt="second"]').count(), 0));
  assert.equal(await page.textContent("#prompts-notice"), "second deleted.×");
  // Shipped sounds have no Delete.
  for (const shipped of await page.$$('#prompt-list tr[data-source="shipped"]')) {
    assert.equal(await shipped.$$eval("button.danger-quiet", (b) => b.length), 0);
  }
  await page.fill("#speak-text", "");
  await page.screenshot({ path: join(shots, "prompts-en.png") });
  await page.click("#lang");
  await page.waitForSelector("#prompt-list th");
  assert.equal((await page.textContent("#nav-prompts")).trim(), "提示音");
  assert.match(await page.textContent(row), /已上传/);
  assert.match(await page.textContent("#prompts-help"), /等待音乐/);
  await page.screenshot({ path: join(shots, "prompts-zh.png") });
  await page.click("#lang");
  await page.context().close();
});

test("prompts: a supervisor lists and plays, with no upload or delete", async () => {
  const page = await open("sue", "plans-the-week-7");
  await page.waitForSelector('#prompt-list tr[data-prompt="tone-mp3"]');
  assert.equal(await page.locator("#prompt-upload").count(), 0);
  assert.match(await page.textContent("#prompts-readonly"), /only an administrator/);
  assert.equal(await page.locator("#prompt-list button.danger-quiet").count(), 0);
  await page.click('[data-play="tone-mp3"]');
  assert.ok(await audioLoaded(page, "#prompt-player") > 1);
  await page.context().close();
});

// Published over REST: the menu's key 1 plays the uploaded MP3 and hangs up.
const COUNTED = {
  name: "counted", dids: ["4321"], start: "menu",
  nodes: {
    menu: { type: "menu", prompt: [{ text: "请按1。", voice: "cmn", language: "zh" }, { text: "Press 1.", voice: "en", language: "en" }],
      options: { 1: "thanks", 2: "bye" }, on_failure: "bye" },
    thanks: { type: "play", prompt: { file: "tone-mp3.wav" }, next: "bye" },
    bye: { type: "hangup" },
  },
};

test("designer: a file prompt picks and plays the uploaded file, a text prompt is heard; a call pressing 1 is counted on that arrow", async () => {
  for (const [method, path, body] of [["POST", "/api/v1/flows", COUNTED], ["POST", "/api/v1/flows/counted/publish", {}]]) {
    const answer = await run.server.rest(method, path, body, run.admin);
    assert.ok(answer.status === 200 || answer.status === 201, JSON.stringify(answer.body));
  }
  // A caller from the trunk presses 1; unicc plays the tone and hangs up.
  const caller = await run.server.sip("ivr_call", { caller: "13700000000", did: "4321" });
  assert.ok(caller.ok, caller.explain);
  const done = await run.server.sip("wait", { handle: caller.handle });
  assert.ok(done.ok, done.explain);

  const page = await open("admin", "unicc-demo", "#nav-flows");
  await page.waitForSelector('#flow-list tr[data-flow="counted"]');
  await page.click('[data-open="counted"]');
  await page.waitForSelector('.flow-card[data-node="thanks"]');
  await page.click("#flow-fit");

  // The file prompt: the library's files are offered, and ▶ plays the one named.
  await page.click('.flow-card[data-node="thanks"]');
  const file = '#node-form [data-field="prompt"] input.prompt-file';
  assert.equal(await page.inputValue(file), "tone-mp3.wav");
  const listId = await page.getAttribute(file, "list");
  await eventually(async () => assert.ok((await page.$$eval(`datalist[id="${listId}"] option`, (o) => o.map((x) => x.value))).includes("tone-mp3.wav")));
  await page.click('#node-form [data-field="prompt"] [data-preview="file0"]');
  assert.ok(await audioLoaded(page, '#node-form [data-field="prompt"] audio[data-key="file0"]') > 1.5);
  // A text prompt: ▶ reads it (Chinese and English side by side).
  await page.click('.flow-card[data-node="menu"]');
  await page.waitForSelector('#node-form[data-node="menu"]');
  const [spoken] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/api/v1/prompts/speak")),
    page.click('#node-form [data-field="prompt"] [data-preview="zh"]'),
  ]);
  assert.deepEqual(JSON.parse(spoken.request().postData()), { text: "请按1。", language: "zh", voice: "cmn" });
  assert.ok(await audioLoaded(page, '#node-form [data-field="prompt"] audio[data-key="zh"]') > 0.2);
  assert.equal(await page.inputValue('#node-form [data-field="prompt"] textarea[data-lang="en"]'), "Press 1.");

  // Path counts: today, the call took key 1.
  await page.selectOption("#flow-period", "today");
  const edge = (exit) => `g[data-edge="menu/${exit}"]`;
  await eventually(async () => {
    await page.click("#flow-counts-refresh");
    assert.equal(await page.getAttribute(edge("options.1"), "data-count"), "1");
  }, 15);
  assert.equal((await page.textContent(`${edge("options.1")} text`)).trim(), "1 · 1");
  assert.equal(await page.getAttribute(edge("options.2"), "data-count"), "0");
  assert.equal(await page.getAttribute('.flow-card[data-node="menu"] [data-entered]', "data-entered"), "1");
  assert.equal(await page.getAttribute('.flow-card[data-node="thanks"] [data-entered]', "data-entered"), "1");
  assert.equal(await page.getAttribute('.flow-card[data-node="menu"] [data-hung-up]', "data-hung-up"), "0");
  assert.match(await page.textContent("#flow-counts-summary"), /1 call/);
  const rest = await run.server.rest("GET", "/api/v1/flows/counted/paths", null, run.admin);
  assert.equal(rest.body.nodes.menu.exits["options.1"], 1);
  await page.click('.flow-card[data-node="menu"]');
  await page.screenshot({ path: join(shots, "flows-counts-en.png") });
  await page.click("#lang");
  await page.waitForFunction(() => document.querySelector("#flow-period option:checked")?.textContent === "今天的通话");
  assert.match(await page.textContent("#flow-counts-summary"), /^1 通/);
  await page.screenshot({ path: join(shots, "flows-counts-zh.png") });
  await page.click("#lang");

  // Off: the arrows are plain again.
  await page.selectOption("#flow-period", "off");
  assert.equal(await page.getAttribute(edge("options.1"), "data-count"), null);
  await page.context().close();
});

test("designer: the test call is refused for an extension without a phone, and rings a registered one with the draft", async () => {
  const page = await open("admin", "unicc-demo", "#nav-flows");
  await page.click('[data-open="counted"]');
  await page.waitForSelector('.flow-card[data-node="menu"]');
  await page.click("#flow-test");
  await page.waitForSelector("#flow-test-panel");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "flow-test-extension");
  assert.equal(await page.inputValue("#flow-test-extension"), ""); // the demo admin has no extension
  await page.fill("#flow-test-extension", "1009");
  await page.click("#flow-test-call");
  await page.waitForSelector("#flow-test-result");
  assert.match(await page.textContent("#flow-test-result"), /^Extension 1009 cannot be rung: is its phone registered\?.*SIP \d+/);
  await page.screenshot({ path: join(shots, "flows-test-call-en.png") });

  // An unsaved change is saved as the draft first; a registered phone rings.
  const phone = await run.server.sip("phone", { extension: "1003" });
  assert.ok(phone.ok, phone.explain);
  await page.click('.flow-card[data-node="menu"]');
  await page.fill('#node-form [data-field="prompt"] textarea[data-lang="en"]', "Press 1, please.");
  await page.click("#flow-test");
  await page.waitForSelector("#flow-test-panel");
  assert.match(await page.textContent("#flow-test-panel"), /saved as the draft first/);
  await page.fill("#flow-test-extension", "1003");
  await page.click("#flow-test-call");
  await eventually(async () => assert.match(await page.textContent("#flow-test-result"), /Ringing 1003/), 10);
  assert.equal((await page.textContent("#flow-state")).trim(), "Draft saved");
  const flow = await run.server.rest("GET", "/api/v1/flows/counted", null, run.admin);
  assert.match(flow.body.draft.text, /Press 1, please\./);
  assert.equal(flow.body.current_version, 1, "the test call publishes nothing");
  await page.context().close();
});
