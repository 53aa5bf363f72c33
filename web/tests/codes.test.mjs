// Administration › Codes (issue 18) in a real browser against a real server
// (harness.mjs: serve.py's `unicc serve --demo`, whose file configures the reasons
// break, lunch and coaching): an admin adds the not-ready reason "training" / "培训",
// moves it up from the keyboard and saves; an agent desktop open meanwhile offers it
// in its Not ready menu without a reload (the "cti_codes" event); a bad code is
// refused at its field; the trail shows the change; a supervisor reads the lists and
// cannot change them. Run by ctest as web_codes; screenshots in English and Chinese
// go to UNICC_SCREENSHOT_DIR.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { browserTests, eventually, signedInPage } from "./harness.mjs";

const shots = process.env.UNICC_SCREENSHOT_DIR || join(tmpdir(), "unicc-web-screenshots");
mkdirSync(shots, { recursive: true });

const run = browserTests();
const signIn = (username, password = "unicc-demo") => signedInPage(run.browser, run.server.base, username, password, run.pageErrors);
const reasons = '[data-rows="not_ready_reasons"] li';
const menu = async (page) => page.locator("#reason-menu button").allTextContents();

async function openCodes(page) {
  await page.click("#nav-admin");
  await page.click("#tab-codes");
  await page.waitForSelector("#codes-form");
}

test("codes: an admin adds a reason; an open desktop offers it at once; a bad code is refused at its field", async () => {
  const agent = await signIn("agent1001");
  await agent.waitForSelector("#desktop #state-bar");
  await agent.waitForSelector("#connection[data-state=live]");
  await agent.click("#btn-ready");
  await agent.waitForSelector("#state-bar[data-state=ready]");
  await agent.click("#btn-not-ready");
  assert.deepEqual(await menu(agent), ["Break", "Lunch", "Coaching"]);
  await agent.keyboard.press("Escape");

  const page = await signIn("admin");
  await openCodes(page);
  assert.deepEqual(await page.locator(`${reasons} .code-code`).evaluateAll((inputs) => inputs.map((i) => i.value)),
    ["break", "lunch", "coaching"]);
  await page.click("#not_ready_reasons-add");
  // The new row's code has the focus.
  await page.keyboard.type("Training!");
  await page.fill(`${reasons}:last-child .code-en`, "Training");
  await page.fill(`${reasons}:last-child .code-zh`, "培训");
  await page.click("#codes-form-save");
  await page.waitForSelector('[data-field="not_ready_reasons[3].code"].invalid');
  assert.match(await page.textContent('[data-field="not_ready_reasons[3].code"] .field-problem'), /1–32 of a–z/);
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains("code-code")), true);
  await page.screenshot({ path: join(shots, "console-codes-error-en.png") });
  await page.keyboard.press("Control+A");
  await page.keyboard.type("training");
  // Up from the keyboard: Tab to the row's ↑ (past the labels), Enter twice; the focus stays on it.
  await page.focus(`${reasons}:last-child .code-up`);
  await page.keyboard.press("Enter");
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => document.activeElement?.closest("li")?.dataset.code), "training");
  await page.keyboard.press("Enter");  // now first: ↑ is disabled, the focus goes to ↓
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains("code-down")), true);
  await page.click("#codes-form-save");
  await page.waitForSelector("#codes-form-notice");

  const { body } = await run.server.rest("GET", "/api/v1/cti/codes", undefined, run.admin);
  assert.deepEqual(body.not_ready_reasons.map((c) => c.code), ["training", "break", "lunch", "coaching"]);
  assert.deepEqual(body.not_ready_reasons[0].label, { en: "Training", "zh-CN": "培训" });
  await eventually(async () => assert.ok(await page.locator('#audit-trail li[data-action="cti_codes.update"]').count() > 0));
  assert.match(await page.textContent("#audit-trail"), /Reasons added: training/);
  await page.screenshot({ path: join(shots, "console-codes-en.png"), fullPage: true });

  // The desktop was not reloaded: its menu has the new list.
  await eventually(async () => {
    await agent.click("#btn-not-ready");
    try {
      assert.deepEqual(await menu(agent), ["Training", "Break", "Lunch", "Coaching"]);
    } finally {
      await agent.keyboard.press("Escape");
    }
  });
  await agent.click("#btn-not-ready");
  await agent.click('#reason-menu [data-reason="training"]');
  await agent.waitForSelector("#state-bar[data-state=not_ready]");
  assert.equal(await agent.textContent("#agent-reason"), "Training");
  await agent.click("#lang");
  assert.equal(await agent.textContent("#agent-reason"), "培训");
  await agent.click("#btn-not-ready");
  assert.deepEqual(await menu(agent), ["培训", "休息", "午餐", "辅导"]);
  await agent.screenshot({ path: join(shots, "desktop-codes-zh.png") });

  await page.click("#lang");
  await page.waitForSelector("#tab-codes:has-text('代码表')");
  assert.match(await page.textContent("#audit-trail"), /新增原因: training/);
  await page.screenshot({ path: join(shots, "console-codes-zh.png"), fullPage: true });
  await page.click("#lang");
  await agent.context().close();
  await page.context().close();
});

test("codes: a supervisor reads the lists and cannot change them", async () => {
  const supervisor = { username: "sam", password: "reads-the-codes-7", role: "supervisor", display_name: "Sam" };
  const created = await run.server.rest("POST", "/api/v1/users", supervisor, run.admin);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const page = await signIn(supervisor.username, supervisor.password);
  await openCodes(page);
  assert.equal(await page.locator(`${reasons} .code-code`).first().inputValue(), "training");
  assert.equal(await page.locator("#codes-form fieldset").evaluate((f) => f.disabled), true);
  assert.equal(await page.locator("#codes-form-save, #not_ready_reasons-add, .code-up").count(), 0);
  await page.context().close();
});
