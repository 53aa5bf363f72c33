// Administration › Numbers (issue 18) in a real browser against a real server
// (harness.mjs: serve.py's `unicc serve --demo`, whose flow desk-support claims 4090,
// whose file has the [[did]] range 4000-4099 and the queues sales and support): an
// admin points a new number at the sales queue from the pickers and sees it listed
// with its source; a number a flow claims is refused at the number's field, and opens
// read-only with a link to its flow; the trail shows the change; a supervisor reads
// but cannot add. Also a queue's music on hold, picked from the prompt library (an
// upload) and played in the form. Run by ctest as web_numbers; screenshots in English
// and Chinese go to UNICC_SCREENSHOT_DIR.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addUser, browserTests, eventually, signedInPage, toneWav } from "./harness.mjs";

const shots = process.env.UNICC_SCREENSHOT_DIR || join(tmpdir(), "unicc-web-screenshots");
mkdirSync(shots, { recursive: true });

const run = browserTests();
const signIn = (username, password = "unicc-demo") => signedInPage(run.browser, run.server.base, username, password, run.pageErrors);
const row = (number) => `#number-list tr[data-key="${number}"]`;

async function openNumbers(page) {
  await page.click("#nav-admin");
  await page.click("#tab-numbers");
  await page.waitForSelector("#number-list");
}

test("numbers: an admin points a number at a queue and sees it listed with its source", async () => {
  const page = await signIn("admin");
  await openNumbers(page);
  // The flow's number and the file's range are listed with their sources.
  await page.waitForSelector(row("4090"));
  assert.match(await page.textContent(`${row("4090")} td:nth-child(3)`), /Flow/);
  assert.match(await page.textContent(row("4000-4099")), /Extension\s*1001.*Configuration file/);

  await page.click("#number-list-new");
  await page.waitForSelector("#number-form");
  // A number a flow answers: refused at the number's field, naming the flow.
  await page.fill("#number-number", "4090");
  await page.selectOption("#number-kind", "queue");
  await page.selectOption("#number-target", "sales");
  await page.click("#number-form-save");
  await page.waitForSelector('[data-field="number"].invalid');
  assert.match(await page.textContent('[data-field="number"] .field-problem'), /4090 is answered by the flow desk-support/);
  await page.screenshot({ path: join(shots, "console-numbers-error-en.png") });

  await page.fill("#number-number", "6100");
  await page.fill("#number-description", "Sales hotline");
  await page.click("#number-form-save");
  await page.waitForSelector("#record-title:has-text('6100')");
  const { body } = await run.server.rest("GET", "/api/v1/numbers", undefined, run.admin);
  const added = body.items.find((n) => n.number === "6100");
  assert.deepEqual([added.target, added.source, added.description], ["queue:sales", "database", "Sales hotline"]);
  await eventually(async () => assert.ok(await page.locator('#audit-trail li[data-action="number.update"]').count() > 0));
  assert.match(await page.textContent("#audit-trail"), /queue:sales/);
  await page.screenshot({ path: join(shots, "console-number-en.png"), fullPage: true });

  await page.click("#record-back");
  await page.fill("#number-list-search", "hotline");
  await page.waitForSelector(row("6100"));
  assert.equal(await page.locator("#number-list tbody tr").count(), 1);
  assert.match(await page.textContent(row("6100")), /Queue\s*sales.*Console.*Sales hotline/);
  await page.fill("#number-list-search", "");
  await page.screenshot({ path: join(shots, "console-numbers-en.png"), fullPage: true });

  // A flow's number opens read-only, with the way to its flow.
  await page.click(`${row("4090")} button[data-open]`);
  await page.waitForSelector("#number-owned");
  assert.equal(await page.locator("#number-form").count(), 0);
  assert.equal(await page.getAttribute("#number-flow-link", "href"), "#/flows?name=desk-support");

  await page.click("#lang");
  await page.waitForSelector("#tab-numbers:has-text('号码')");
  assert.match(await page.textContent("#number-facts"), /流程设计器/);
  await page.click("#record-back");
  await page.waitForSelector(row("6100"));
  assert.match(await page.textContent(row("6100")), /队列\s*sales.*控制台/);
  await page.screenshot({ path: join(shots, "console-numbers-zh.png"), fullPage: true });
  await page.click(`${row("6100")} button[data-open]`);
  await page.waitForSelector("#number-form");
  await page.screenshot({ path: join(shots, "console-number-zh.png"), fullPage: true });
  await page.click("#lang");
  await page.context().close();
});

test("numbers: a supervisor reads the numbers and cannot change them", async () => {
  const supervisor = { username: "sal", password: "reads-the-numbers-7", role: "supervisor", display_name: "Sal" };
  await addUser(run.server, run.admin, supervisor);
  const page = await signIn(supervisor.username, supervisor.password);
  await openNumbers(page);
  await page.waitForSelector(row("6100"));
  assert.equal(await page.locator("#number-list-new").count(), 0);
  await page.click(`${row("6100")} button[data-open]`);
  await page.waitForSelector("#number-form");
  assert.equal(await page.locator("#number-form fieldset").evaluate((f) => f.disabled), true);
  assert.equal(await page.locator("#number-delete, #number-form-save").count(), 0);
  await page.context().close();
});

test("music on hold: a queue's music is picked from the prompt library and heard in the form", async () => {
  const wav = join(tmpdir(), `unicc-music-${process.pid}.wav`);
  toneWav(wav, 1.5, 523);
  const upload = await fetch(`${run.server.base}/api/v1/prompts/lobby-tune`,
    { method: "PUT", headers: { Authorization: `Bearer ${run.admin}` }, body: readFileSync(wav) });
  assert.ok([200, 201].includes(upload.status), await upload.text());
  const page = await signIn("admin");
  await page.click("#nav-admin");
  await page.click("#tab-queues");
  await page.click('#queue-list tr[data-key="sales"] button[data-open]');
  await page.waitForSelector("#queue-music option[value='lobby-tune.wav']", { state: "attached" });
  assert.equal(await page.inputValue("#queue-music"), "");
  assert.equal(await page.isDisabled("#queue-music-play"), true);
  await page.selectOption("#queue-music", "lobby-tune.wav");
  await page.click("#queue-music-play");
  await page.waitForSelector('#queue-music-player[data-key="music"]');
  await page.click("#queue-form-save");
  await page.waitForSelector("#queue-form-notice");
  const { body } = await run.server.rest("GET", "/api/v1/queues/sales", undefined, run.admin);
  assert.equal(body.music, "lobby-tune.wav");
  await page.locator('[data-field="music"]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, "console-queue-music-en.png") });
  await page.click("#lang");
  await page.waitForSelector("#tab-queues:has-text('队列')");
  assert.match(await page.textContent('[data-field="music"]'), /提示音库/);
  await page.screenshot({ path: join(shots, "console-queue-music-zh.png") });
  await page.click("#lang");
  await page.context().close();
});

test("prompts: an admin gets a code to record a prompt from their own phone", async () => {
  // The demo admin has no extension: told so. An admin with one gets the code to dial.
  const page = await signIn("admin");
  await page.click("#nav-prompts");
  await page.fill("#prompt-phone-name", "night-greeting");
  await page.click("#prompt-phone-ask");
  await page.waitForSelector("#prompt-phone-problem");
  assert.match(await page.textContent("#prompt-phone-problem"), /no extension/);
  await page.context().close();

  await addUser(run.server, run.admin,
    { username: "ros", password: "records-by-phone-7", role: "admin", display_name: "Ros", extension: "1006" });
  const ros = await signIn("ros", "records-by-phone-7");
  await ros.click("#nav-prompts");
  await ros.fill("#prompt-phone-name", "night-greeting");
  await ros.click("#prompt-phone-ask");
  await ros.waitForSelector("#prompt-phone-code");
  const dial = await ros.textContent("#prompt-phone-dial");
  assert.match(dial, /^\*77\d{6}#$/);
  assert.match(await ros.textContent("#prompt-phone-code"), /From your phone \(1006\), before .*night-greeting\.wav/);
  const { body } = await run.server.rest("GET", "/api/v1/audit?action=prompt.phone_code", undefined, run.admin);
  assert.equal(body.items[0].actor, "ros");
  await ros.screenshot({ path: join(shots, "prompts-by-phone-en.png") });
  await ros.click("#lang");
  await ros.waitForSelector("#prompt-phone-ask:has-text('获取录音码')");
  assert.match(await ros.textContent("#prompt-phone-code"), /请在 .* 之前用您的话机（1006）拨打/);
  await ros.screenshot({ path: join(shots, "prompts-by-phone-zh.png") });
  await ros.click("#lang");
  await ros.context().close();
});
