// Administration › Calendars (issue 18) in a real browser against a real server
// (harness.mjs: serve.py's `unicc serve --demo`): an admin makes the calendar
// "support" — time zone, a week of hours with two ranges on Monday copied to the other
// weekdays, a named holiday picked on the month view — is refused at the field a
// wrong range names (hours.mon[1].to), saves, sees whether it is open now and the
// trail; the flow designer's schedule node offers the calendar by name and drops its
// own hours when it is chosen. Run by ctest as web_calendars; screenshots in English
// and Chinese go to UNICC_SCREENSHOT_DIR.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { browserTests, eventually, signedInPage } from "./harness.mjs";

const shots = process.env.UNICC_SCREENSHOT_DIR || join(tmpdir(), "unicc-web-screenshots");
mkdirSync(shots, { recursive: true });

const run = browserTests();
const signIn = (username, password = "unicc-demo") =>
  signedInPage(run.browser, run.server.base, username, password, run.pageErrors);
const range = (day, i, end) => `[data-field="hours.${day}[${i}].${end}"] input`;

test("calendars: an admin makes a calendar, is refused at the field, saves; the designer offers it", async () => {
  const page = await signIn("admin");
  await page.click("#nav-admin");
  await page.click("#tab-calendars");
  await page.waitForSelector("#calendar-list-new");
  await page.click("#calendar-list-new");
  await page.waitForSelector("#calendar-form");
  await page.fill("#calendar-name", "support");
  await page.fill("#calendar-zone", "Asia/Shanghai");
  await page.fill("#calendar-description", "Support line");
  // A new calendar starts Monday to Friday 09:00-18:00; Monday gets a lunch break,
  // its second range typed wrong first.
  assert.equal(await page.inputValue(range("fri", 0, "to")), "18:00");
  assert.equal(await page.locator('[data-day="sat"] .cal-range').count(), 0);
  await page.fill(range("mon", 0, "to"), "12:00");
  await page.click('[data-day="mon"] .cal-add');
  await page.fill(range("mon", 1, "from"), "13:00");
  await page.fill(range("mon", 1, "to"), "11:00");
  await page.click("#calendar-form-save");
  await page.waitForSelector('[data-field="hours.mon[1].to"].invalid');
  assert.match(await page.textContent('[data-field="hours.mon[1].to"] .field-problem'), /cannot cross midnight/);
  assert.equal(await page.evaluate(() => document.activeElement?.closest("[data-field]")?.dataset.field), "hours.mon[1].to");
  await page.screenshot({ path: join(shots, "console-calendars-error-en.png"), fullPage: true });
  await page.keyboard.press("Control+A");
  await page.keyboard.type("18:00");
  await page.click("#calendar-copy-monday");
  assert.equal(await page.inputValue(range("thu", 1, "from")), "13:00");
  // The month view: the 15th of the month shown becomes a named holiday, the 16th one
  // and then not (a second click).
  const month = await page.textContent("#calendar-month-title");
  const fifteenth = page.locator("#calendar-month .cal-cell").nth(14);
  const date = await fifteenth.getAttribute("data-date");
  await fifteenth.click();
  assert.equal(await fifteenth.getAttribute("aria-pressed"), "true");
  const sixteenth = page.locator("#calendar-month .cal-cell").nth(15);
  await sixteenth.click();
  await sixteenth.click();
  assert.equal(await page.locator("#calendar-holiday-list .cal-holiday").count(), 1);
  await page.fill(`#calendar-holiday-list [data-date="${date}"] .cal-holiday-name`, "Staff day");
  assert.equal(await page.textContent("#calendar-month-title"), month);
  await page.click("#calendar-form-save");
  await page.waitForSelector("#calendar-status");

  const { body } = await run.server.rest("GET", "/api/v1/calendars/support", undefined, run.admin);
  assert.equal(body.time_zone, "Asia/Shanghai");
  assert.deepEqual(body.hours.mon, [{ from: "09:00", to: "12:00" }, { from: "13:00", to: "18:00" }]);
  assert.deepEqual(body.hours.fri, body.hours.mon);
  assert.deepEqual(body.hours.sat, []);
  assert.deepEqual(body.holidays, [{ date, name: "Staff day", hours: [] }]);
  // The aside says what the server says of now.
  const state = { open: "Open now", closed: "Closed now", holiday: "Holiday (closed)" }[body.status.state];
  assert.match(await page.textContent("#calendar-status"), new RegExp(state.replace(/[()]/g, "\\$&")));
  await eventually(async () => assert.ok(await page.locator('#audit-trail li[data-action="calendar.created"]').count() > 0));
  await page.screenshot({ path: join(shots, "console-calendars-en.png"), fullPage: true });

  await page.click("#lang");
  await page.waitForSelector("#tab-calendars:has-text('日历')");
  assert.match(await page.textContent("#calendar-week"), /每周营业时间/);
  await page.screenshot({ path: join(shots, "console-calendars-zh.png"), fullPage: true });
  await page.click("#lang");
  await page.click("#record-back");
  await page.waitForSelector('#calendar-list [data-key="support"]');
  assert.match(await page.textContent('#calendar-list [data-key="support"]'), /Asia\/Shanghai/);
  await page.screenshot({ path: join(shots, "console-calendars-list-en.png") });

  // The designer: a schedule node offers the calendar; choosing it drops the node's
  // own time zone and hours.
  const flow = {
    name: "cal-designer", start: "hours",
    nodes: {
      hours: { type: "schedule", time_zone: "Asia/Shanghai", hours: { mon: ["09:00-18:00"] }, open: "bye", closed: "bye" },
      bye: { type: "hangup" },
    },
  };
  const saved = await run.server.rest("POST", "/api/v1/flows", flow, run.admin);
  assert.equal(saved.status, 201, JSON.stringify(saved.body));
  await page.click("#nav-flows");
  await page.click('[data-open="cal-designer"]');
  await page.waitForSelector("#flow-canvas");
  await page.click('.flow-card[data-node="hours"]');
  await page.waitForSelector('#node-form[data-node="hours"]');
  await eventually(async () => assert.deepEqual(
    await page.$$eval("#node-calendar option", (options) => options.map((o) => o.value)), ["", "support"]));
  assert.equal(await page.locator('#node-form [data-field="time_zone"]').count(), 1);
  await page.selectOption("#node-calendar", "support");
  assert.equal(await page.locator('#node-form [data-field="time_zone"], #node-form [data-field="hours"]').count(), 0);
  await page.screenshot({ path: join(shots, "flows-calendar-en.png") });
  await page.click("#lang");
  await page.waitForSelector('#node-form [data-field="calendar"]:has-text("日历")');
  await page.screenshot({ path: join(shots, "flows-calendar-zh.png") });
  await page.click("#lang");
  await page.context().close();
});

test("calendars: a supervisor reads a calendar and cannot change it", async () => {
  const supervisor = { username: "sam", password: "reads-the-hours-7", role: "supervisor", display_name: "Sam" };
  const created = await run.server.rest("POST", "/api/v1/users", supervisor, run.admin);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const page = await signIn(supervisor.username, supervisor.password);
  await page.click("#nav-admin");
  await page.click("#tab-calendars");
  assert.equal(await page.locator("#calendar-list-new").count(), 0);
  await page.click('#calendar-list [data-open="support"]');
  await page.waitForSelector("#calendar-form");
  assert.equal(await page.locator("#calendar-form fieldset").evaluate((f) => f.disabled), true);
  assert.equal(await page.locator("#calendar-form-save, #calendar-copy-monday, .cal-add").count(), 0);
  await page.context().close();
});
