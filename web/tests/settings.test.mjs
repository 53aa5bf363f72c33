// Administration › Settings in a real browser against a real server (serve.py's
// `unicc serve --demo`): an admin sees the file's value of the recording retention,
// enters 40000 and is told at that row why it is refused (nothing changes), enters 30
// and saves from the keyboard (the API says 30, changed by admin; the row says so);
// switches the log level to debug; resets the retention to the file's value; the
// trail shows the change and the reset. A supervisor has no Settings tab and the API
// refuses them. Run by ctest as web_settings; screenshots in English and Chinese go to
// UNICC_SCREENSHOT_DIR.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addUser, browserTests, eventually, signedInPage } from "./harness.mjs";

const shots = process.env.UNICC_SCREENSHOT_DIR || join(tmpdir(), "unicc-web-screenshots");
mkdirSync(shots, { recursive: true });

const run = browserTests();
const signIn = (username, password = "unicc-demo") => signedInPage(run.browser, run.server.base, username, password, run.pageErrors);
const RETENTION = "media.recording_retention_days";
const row = (name) => `.setting-row[data-setting="${name}"]`;

async function setting(name) {
  const { status, body } = await run.server.rest("GET", "/api/v1/settings", undefined, run.admin);
  assert.equal(status, 200, JSON.stringify(body));
  const found = body.items.find((item) => item.name === name);
  assert.ok(found, `${name} is listed`);
  return found;
}

test("settings: a refused value is shown at its row, a change is saved, shown and reset, the trail has it", async () => {
  const before = await setting(RETENTION);
  assert.equal(before.changed, false);
  const fileDays = before.file_value;
  const page = await signIn("admin");
  await page.click("#nav-admin");
  await page.click("#tab-settings");
  await page.waitForSelector(row(RETENTION));
  // Every section, titled; the file's value beside the retention.
  assert.deepEqual(await page.locator(".settings-page .form-section h3").allTextContents(),
    ["Logging", "Recording", "Calls", "Outbound calls and toll-fraud limits", "Sign-in", "Reports"]);
  assert.equal(await page.locator(".setting-row").count(), 15);
  assert.match(await page.textContent(`${row(RETENTION)} .setting-file`), new RegExp(`^File: ${fileDays}\\b`));
  assert.equal(await page.inputValue(`${row(RETENTION)} input`), String(fileDays));
  assert.equal(await page.locator(`${row(RETENTION)} .setting-reset`).count(), 0);

  // 40000 days: refused by the server, shown under the field, nothing stored.
  await page.fill(`${row(RETENTION)} input`, "40000");
  await page.waitForSelector(`${row(RETENTION)}.edited .pill.dirty`);
  await page.click("#settings-recording-save");
  await page.waitForSelector(`[data-field="${RETENTION}"].invalid`);
  assert.equal(await page.textContent(`[data-field="${RETENTION}"] .field-problem`), "Must be a whole number from 0 to 36500.");
  assert.equal(await page.evaluate(() => document.activeElement?.closest(".setting-row")?.dataset.setting), RETENTION);
  let now = await setting(RETENTION);
  assert.deepEqual([now.value, now.changed], [fileDays, false]);
  await page.screenshot({ path: join(shots, "console-settings-error-en.png") });

  // 30, saved with Enter in the field.
  await page.fill(`${row(RETENTION)} input`, "30");
  await page.press(`${row(RETENTION)} input`, "Enter");
  await page.waitForSelector("#settings-recording-notice");
  now = await setting(RETENTION);
  assert.deepEqual([now.value, now.changed, now.changed_by], [30, true, "admin"]);
  await page.waitForSelector(`${row(RETENTION)}:not(.edited) .setting-changed`);
  assert.match(await page.textContent(`${row(RETENTION)} .setting-changed`), /^Changed by admin, \d\d\/\d\d\/\d{4}, \d\d:\d\d:\d\d$/);
  assert.equal(await page.locator(`[data-field="${RETENTION}"].invalid`).count(), 0);
  await eventually(async () => assert.equal(await page.locator('#audit-trail li[data-action="setting.change"]').count(), 1));
  assert.equal(await page.textContent("#audit-subject"), "Keep recordings for");
  assert.equal(await page.textContent('#audit-trail li[data-action="setting.change"] .audit-detail'), `Value: 30 · Before: ${fileDays}`);

  // The log level: a select of levels by name.
  await page.selectOption(`${row("log.level")} select`, "debug");
  await page.click("#settings-logging-save");
  await page.waitForSelector("#settings-logging-notice");
  assert.equal((await setting("log.level")).value, "debug");
  await eventually(async () => assert.equal(await page.textContent("#audit-subject"), "Log level"));
  await eventually(async () => assert.match(await page.textContent("#audit-trail"), /Value: debug · Before: info/));
  await page.screenshot({ path: join(shots, "console-settings-en.png"), fullPage: true });

  // Reset the retention: back to the file's value; the trail has both entries.
  await page.click(`${row(RETENTION)} .setting-reset`);
  await page.waitForSelector(`${row(RETENTION)}:not(:has(.setting-changed))`);
  now = await setting(RETENTION);
  assert.deepEqual([now.value, now.changed, now.changed_by], [fileDays, false, ""]);
  assert.equal(await page.inputValue(`${row(RETENTION)} input`), String(fileDays));
  await eventually(async () => assert.deepEqual(
    await page.locator("#audit-trail li").evaluateAll((items) => items.map((li) => li.dataset.action)),
    ["setting.reset", "setting.change"]));
  const { body: trail } = await run.server.rest("GET", `/api/v1/audit?target=setting:${RETENTION}`, undefined, run.admin);
  assert.deepEqual(trail.items.map((entry) => entry.action), ["setting.reset", "setting.change"]);

  // A change made elsewhere (another admin, over REST) shows at once, and its reset.
  const RING = "sip.ring_timeout_s";
  const fileRing = (await setting(RING)).file_value;
  const { status: putStatus } = await run.server.rest("PUT", `/api/v1/settings/${RING}`, { value: 45 }, run.admin);
  assert.equal(putStatus, 200);
  await eventually(async () => assert.equal(await page.inputValue(`${row(RING)} input`), "45"));
  await page.waitForSelector(`${row(RING)} .setting-changed`);
  await run.server.rest("DELETE", `/api/v1/settings/${RING}`, undefined, run.admin);
  await eventually(async () => assert.equal(await page.inputValue(`${row(RING)} input`), String(fileRing)));
  assert.equal(await page.locator(`${row(RING)} .setting-changed`).count(), 0);

  // In Chinese: the same page, the file's value and who changed the log level.
  await page.click("#lang");
  await page.waitForSelector("#tab-settings:has-text('系统设置')");
  assert.equal(await page.textContent("#tab-health"), "系统状态");
  assert.match(await page.textContent(`${row(RETENTION)} .setting-file`), new RegExp(`^配置文件：${fileDays}`));
  assert.match(await page.textContent(`${row("log.level")} .setting-changed`), /^admin 于 \d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d 修改$/);
  assert.equal(await page.textContent(`${row("log.level")} option[value="debug"]`), "调试");
  await page.focus(`${row("log.level")} select`);
  await eventually(async () => assert.match(await page.textContent("#audit-trail"), /修改设置/));
  await page.screenshot({ path: join(shots, "console-settings-zh.png"), fullPage: true });
  await page.click("#lang");
  await page.context().close();
});

test("settings: a supervisor has no Settings tab and the API refuses them", async () => {
  const supervisor = { username: "sue", password: "reads-no-settings-7", role: "supervisor", display_name: "Sue" };
  await addUser(run.server, run.admin, supervisor);
  const page = await signIn(supervisor.username, supervisor.password);
  await page.click("#nav-admin");
  await page.waitForSelector("#tab-users");
  assert.equal(await page.locator("#tab-settings").count(), 0);
  // Asked for by its address, the console opens its first tab instead.
  await page.evaluate(() => { location.hash = "#/admin?tab=settings"; });
  await page.waitForSelector("#tab-users.active");
  assert.equal(await page.locator(".settings-page").count(), 0);
  const token = await run.server.login(supervisor.username, supervisor.password);
  const { status } = await run.server.rest("GET", "/api/v1/settings", undefined, token);
  assert.equal(status, 403);
  await page.context().close();
});
