// Recordings and the typical-case library in a real browser against a real server
// (serve.py: `unicc serve --demo`, a SIPp call 1001 → 1002 recorded by the server):
// the search finds the call, its recording plays (the element's time advances, the
// waveform is drawn), the speed switch, seeking, the download, a case marked by the
// admin, played by an agent and edited by the admin, and the audit of each. Run by ctest as web_recordings;
// screenshots in English and Chinese go to UNICC_SCREENSHOT_DIR.
import { after, afterEach, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TestServer, eventually, launchBrowser, recordTraffic, signedInPage } from "./harness.mjs";

const shots = process.env.UNICC_SCREENSHOT_DIR || join(tmpdir(), "unicc-web-screenshots");
mkdirSync(shots, { recursive: true });

let server;
let browser;
let admin; // a REST token
const pageErrors = [];
const traffic = [];

async function signedIn(username, password = "unicc-demo") {
  const page = await signedInPage(browser, server.base, username, password, pageErrors, { acceptDownloads: true });
  recordTraffic(page, traffic);
  return page;
}

const shot = (page, name) => page.screenshot({ path: join(shots, `${name}.png`) });

/** The player's element: where it is, how fast, and whether the waveform has ink. */
const playerState = (page) => page.evaluate(() => {
  const audio = document.querySelector("#player-audio");
  const canvas = document.querySelector("#waveform");
  let inked = 0;
  if (canvas && canvas.width > 0) {
    const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) inked++;
  }
  return { time: audio?.currentTime ?? -1, rate: audio?.playbackRate ?? 0, duration: audio?.duration ?? 0, inked };
});

async function audited(action) {
  const { body } = await server.rest("GET", `/api/v1/audit?action=${action}`, undefined, admin);
  return body.items;
}

describe("recordings and typical cases", { timeout: 200_000 }, () => {
  let cdr;
  let typical;

  before(async () => {
    server = await TestServer.start();
    browser = await launchBrowser();
    admin = await server.login();
    const call = await server.sip("answered_call", { caller: "1001", callee: "1002" });
    assert.ok(call.ok, call.explain);
    cdr = await eventually(async () => {
      const { body } = await server.rest("GET", "/api/v1/cdrs?number=1002&has_recording=true", undefined, admin);
      assert.equal(body.items.length, 1, JSON.stringify(body));
      return body.items[0];
    }, 10);
    assert.equal(cdr.recording, "available");
  });

  afterEach(() => assert.deepEqual(pageErrors.splice(0), [], "uncaught errors in the page"));

  after(async () => {
    writeFileSync(join(shots, "recordings-traffic.log"), traffic.join("\n") + "\n");
    await browser?.close();
    server?.stop();
  });

  test("an admin finds the call, plays it with its waveform at another speed, downloads it and marks it as a case", async () => {
    const page = await signedIn("admin");
    await page.click("#nav-recordings");
    await page.waitForSelector("#rec-search");
    // The agents and queues are offered as the filters' suggestions.
    await page.waitForFunction(() => [...document.querySelectorAll("#rec-agents option")].some((o) => o.value === "1001"));
    await page.waitForFunction(() => [...document.querySelectorAll("#rec-queues option")].some((o) => o.value === "support"));
    await page.fill("#rec-search input[name=number]", "1002");
    await page.fill("#rec-search input[name=min]", "1");
    await page.fill("#rec-search input[name=max]", "60");
    await page.click("#rec-search button[type=submit]");
    const found = page.locator(`#recordings tbody tr[data-cdr="${cdr.id}"]`);
    await found.waitFor();
    assert.equal(await page.locator("#recordings tbody tr").count(), 1);
    assert.match(await found.textContent(), /1001.*Answered.*Available/);

    // Too short a maximum finds nothing.
    await page.fill("#rec-search input[name=max]", "0");
    await page.click("#rec-search button[type=submit]");
    await page.waitForSelector(".rec-results .empty");
    await page.fill("#rec-search input[name=max]", "60");
    await page.click("#rec-search button[type=submit]");
    await found.waitFor();

    await found.click();
    await page.waitForSelector("#rec-player[data-ready=true]");
    await page.waitForFunction(() => document.querySelector("#player-audio")?.duration > 1);
    assert.ok((await playerState(page)).inked > 500, "the waveform is drawn");
    await page.click("#player-toggle");
    await page.waitForFunction(() => document.querySelector("#player-audio")?.currentTime > 0.3, null, { timeout: 5000 });
    await page.click('#player-speed button[data-speed="2"]');
    // The player sets the rate after it renders the click (an effect), not within it.
    await page.waitForFunction(() => document.querySelector("#player-audio")?.playbackRate === 2, null, { timeout: 5000 });
    assert.equal((await playerState(page)).rate, 2);
    await page.selectOption("#player-channel", "agent");
    await shot(page, "recordings-en");

    // Clicking the middle of the waveform seeks there; the arrow keys jump 5 s.
    await page.evaluate(() => document.querySelector("#player-audio").pause());
    const box = await page.locator("#waveform").boundingBox();
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    const seeked = await playerState(page);
    assert.ok(Math.abs(seeked.time - seeked.duration / 2) < 0.3, JSON.stringify(seeked));
    await page.focus("#waveform");
    await page.keyboard.press("ArrowLeft");
    assert.equal((await playerState(page)).time, 0);

    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#player-download")]);
    assert.equal(download.suggestedFilename(), `call-${cdr.id}.wav`);

    await page.click("#lang");
    await page.waitForFunction(() => document.querySelector("#nav-recordings")?.textContent === "录音");
    await shot(page, "recordings-zh-CN");
    await page.click("#lang");

    await page.click("#btn-mark-case");
    await page.check('#case-form input[name=kind][value=bad]');
    await page.fill("#case-form input[name=title]", "Greeting missing");
    await page.fill("#case-form input[name=category]", "opening");
    await page.fill("#case-form textarea[name=notes]", "The agent starts without a greeting.");
    await shot(page, "recordings-mark-case-en");
    await page.click("#case-form button[type=submit]");
    await page.waitForSelector("#case-saved");
    const { body } = await server.rest("GET", "/api/v1/cases?category=opening", undefined, admin);
    assert.equal(body.total, 1);
    typical = body.items[0];
    assert.deepEqual([typical.kind, typical.title, typical.cdr_id, typical.created_by], ["bad", "Greeting missing", cdr.id, "admin"]);
    await page.context().close();
  });

  test("an agent browses the cases and plays one, read-only", async () => {
    const page = await signedIn("agent1001");
    assert.equal(await page.locator("#nav-recordings").count(), 0);
    await page.click("#nav-cases");
    const listed = page.locator(`#cases tbody tr[data-case="${typical.id}"]`);
    await listed.waitFor();
    assert.match(await listed.textContent(), /Bad example.*Greeting missing.*opening/);
    await listed.click();
    await page.waitForSelector("#case-side #rec-player[data-ready=true]");
    assert.equal(await page.textContent("#case-notes"), "The agent starts without a greeting.");
    assert.equal(await page.locator("#player-download").count(), 0);
    assert.equal(await page.locator("#btn-delete-case").count(), 0);
    assert.equal(await page.locator("#btn-edit-case").count(), 0);
    await page.click("#player-toggle");
    await page.waitForFunction(() => document.querySelector("#player-audio")?.currentTime > 0.2, null, { timeout: 5000 });
    assert.ok((await playerState(page)).inked > 500);
    await shot(page, "cases-agent-en");
    await page.click("#lang");
    await page.waitForFunction(() => document.querySelector("#nav-cases")?.textContent === "典型案例");
    assert.match(await listed.textContent(), /反面案例/);
    await shot(page, "cases-agent-zh-CN");
    await page.click("#lang");
    await page.context().close();
  });

  test("an admin edits the case in the library", async () => {
    const page = await signedIn("admin");
    await page.click("#nav-cases");
    await page.click(`#cases tbody tr[data-case="${typical.id}"]`);
    await page.click("#btn-edit-case");
    assert.equal(await page.inputValue("#case-form input[name=title]"), "Greeting missing");
    await page.check('#case-form input[name=kind][value=good]');
    await page.fill("#case-form input[name=title]", "Greeting added later");
    await page.click("#case-form button[type=submit]");
    await page.waitForFunction(() => document.querySelector("#case-title")?.textContent === "Greeting added later");
    await page.locator(`#cases tbody tr[data-case="${typical.id}"] [data-kind=good]`).waitFor();
    const { body } = await server.rest("GET", `/api/v1/cases/${typical.id}`, undefined, admin);
    assert.deepEqual([body.kind, body.title, body.category], ["good", "Greeting added later", "opening"]);
    await page.context().close();
  });

  test("QA searches and plays recordings but is offered no download", async () => {
    const created = await server.rest("POST", "/api/v1/users",
      { username: "quinn", password: "tea-at-five-42", role: "qa", display_name: "Quinn" }, admin);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const page = await signedIn("quinn", "tea-at-five-42");
    assert.deepEqual(await page.locator(".sidenav a").allTextContents(), ["Quality", "Recordings", "Typical cases"]);
    await page.click("#nav-recordings");
    await page.click(`#recordings tbody tr[data-cdr="${cdr.id}"]`);
    await page.waitForSelector("#rec-player[data-ready=true]");
    assert.equal(await page.locator("#player-download").count(), 0);
    assert.equal(await page.locator("#btn-mark-case").count(), 1);
    await page.context().close();
  });

  test("the audit log has each playback, the download and the case", async () => {
    const plays = await audited("recording.play");
    assert.ok(plays.some((entry) => entry.actor === "admin" && entry.target === `cdr:${cdr.id}`), JSON.stringify(plays));
    const downloads = await audited("recording.download");
    assert.deepEqual(downloads.map((entry) => entry.target), [`cdr:${cdr.id}`]);
    const casePlays = await audited("case.play");
    assert.ok(casePlays.some((entry) => entry.actor === "agent1001" && entry.target === `case:${typical.id}`),
      JSON.stringify(casePlays));
    assert.equal((await audited("case.create")).length, 1);
    assert.equal((await audited("case.update")).length, 1);
  });
});
