// The Quality page (issue 17) in a real browser against a real server (harness.mjs:
// serve.py's `unicc serve --demo` with SIPp calls): a recorded queue call is scored
// with the demo form while its recording plays, the score is found in the search and
// the CSV export, and the agent who took the call sees it and acknowledges it. Run by
// ctest as web_quality; screenshots in both languages go to UNICC_SCREENSHOT_DIR.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { browserTests, eventually, signedInPage } from "./harness.mjs";

const shots = process.env.UNICC_SCREENSHOT_DIR || join(tmpdir(), "unicc-web-screenshots");
mkdirSync(shots, { recursive: true });
const DID = "4090"; // serve.py's flow: the support queue, which agent 1001 takes

const run = browserTests();

async function open(username, password = "unicc-demo") {
  const page = await signedInPage(run.browser, run.server.base, username, password, run.pageErrors);
  await page.waitForSelector("#nav-quality");
  await page.click("#nav-quality");
  await page.waitForSelector("#qa-evaluations");
  return page;
}

async function sipOk(op, fields) {
  const result = await run.server.sip(op, fields);
  assert.ok(result.ok, result.explain);
  return result.handle;
}

/** A customer's call through the support queue, answered by agent 1001's phone, a few
 *  seconds of audio, hung up by the server: its CDR, recorded. */
async function recordedCall() {
  const phone = await sipOk("phone", { extension: "1001" });
  const ready = await run.server.rest("POST", "/api/v1/agents/1001/state", { state: "ready" }, run.admin);
  assert.equal(ready.status, 200, JSON.stringify(ready.body));
  const caller = await sipOk("trunk_call", { caller: "13800000000", did: DID });
  const live = await eventually(async () => {
    const { body } = await run.server.rest("GET", "/api/v1/calls", undefined, run.admin);
    const found = body.items.find((call) => call.caller === "13800000000" && call.state === "talking");
    assert.ok(found, JSON.stringify(body.items));
    return found;
  }, 20);
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const hangup = await run.server.rest("POST", `/api/v1/calls/${encodeURIComponent(live.call_id)}/hangup`, {}, run.admin);
  assert.equal(hangup.status, 200, JSON.stringify(hangup.body));
  await sipOk("wait", { handle: caller });
  await sipOk("wait", { handle: phone });
  return eventually(async () => {
    const { body } = await run.server.rest("GET", "/api/v1/cdrs?agent=1001&disposition=answered", undefined, run.admin);
    const cdr = body.items.find((item) => item.call_id === live.call_id);
    assert.ok(cdr?.recording_path, JSON.stringify(body.items));
    return cdr;
  }, 10);
}

test("quality: a recording plays while the call is scored; the score is in the search and the CSV; the agent acknowledges it", async () => {
  const cdr = await recordedCall();
  const page = await open("admin");

  // The week's sample offers the call; evaluating it plays its recording.
  await page.click(`#qa-sample-calls [data-evaluate="${cdr.id}"]`);
  await page.waitForSelector("#qa-audio[src^=blob]");
  await page.evaluate(() => document.querySelector("#qa-audio").play());
  await page.waitForFunction(() => document.querySelector("#qa-audio").currentTime > 0.5, null, { timeout: 10000 });

  // The demo form, prefilled at full marks; two points off greeting, six off the solution.
  await page.waitForSelector("#qa-scorer [name=greeting-score]");
  assert.equal(await page.getAttribute("#qa-live-total", "data-total"), "100");
  await page.fill("#qa-scorer [name=greeting-score]", "8");
  await page.fill("#qa-scorer [name=solution-score]", "24");
  await page.waitForSelector("#qa-live-total[data-total='92.7']");
  await page.check("#qa-scorer [data-item=verify] input[type=radio] >> nth=1");  // a critical item failed
  await page.waitForSelector("#qa-live-total[data-total='0']");
  await page.check("#qa-scorer [data-item=verify] input[type=radio] >> nth=0");
  await page.check("#qa-scorer [data-item=hold] input[type=checkbox]");  // not applicable: 97 of 105
  await page.waitForSelector("#qa-live-total[data-total='92.4']");
  await page.fill("#qa-mark-text", "没有报公司名称");
  await page.click("#qa-add-mark");
  await page.waitForSelector("#qa-marks li");
  await page.selectOption("#qa-scorer select[name=qa_type]", "sample");
  await page.fill("#qa-scorer [name=business_type]", "账单查询");
  await page.fill("#qa-scorer textarea[name=comment]", "Friendly; name the company when greeting.");
  await page.screenshot({ path: join(shots, "quality-scoring-en.png"), fullPage: true });
  await page.click("#qa-save");
  await page.waitForSelector("#qa-saved");
  const saved = await run.server.rest("GET", `/api/v1/qa/evaluations?cdr=${cdr.id}`, undefined, run.admin);
  assert.equal(saved.body.total, 1);
  const evaluation = saved.body.items[0];
  assert.deepEqual(
    [evaluation.agent, evaluation.inspector, evaluation.total, evaluation.grade, evaluation.qa_type, evaluation.business_type,
      evaluation.status, evaluation.call_id, evaluation.marks.length],
    ["1001", "admin", 92.4, "A", "sample", "账单查询", "pending", cdr.call_id, 1]);
  assert.ok(evaluation.marks[0].at_ms > 0, "the comment is pinned where the recording was");
  assert.match(await page.textContent("#qa-saved"), new RegExp(evaluation.serial));

  // The search finds it by agent and grade, and not by another grade.
  const row = page.locator(`#qa-results tr[data-serial="${evaluation.serial}"]`);
  await row.waitFor();
  assert.match(await row.textContent(), /1001.*admin.*Weekly sample.*账单查询.*92\.4.*A.*Awaiting agent/);
  await page.fill("#qa-search [name=agent]", "1001");
  await page.fill("#qa-search [name=grade]", "D");
  await page.click("#qa-search button[type=submit]");
  await page.waitForSelector("#qa-evaluations .empty");
  await page.fill("#qa-search [name=grade]", "A");
  await page.fill("#qa-search [name=min_total]", "93");
  await page.click("#qa-search button[type=submit]");
  await page.waitForSelector("#qa-evaluations .empty");
  await page.fill("#qa-search [name=min_total]", "92");
  await page.fill("#qa-search [name=serial_from]", evaluation.serial.toLowerCase());
  await page.fill("#qa-search [name=serial_to]", evaluation.serial);
  await page.selectOption("#qa-search select[name=qa_type]", "sample");
  await page.click("#qa-search button[type=submit]");
  await row.waitFor();
  const download = page.waitForEvent("download");
  await page.click("#qa-csv");
  const csv = await (await download).createReadStream();
  let text = "";
  for await (const chunk of csv) text += chunk;
  assert.ok(text.startsWith("\uFEFFserial,"), text.slice(0, 40));
  assert.match(text, new RegExp(`${evaluation.serial},[^\\n]*,admin,1001,sample,账单查询,standard,1,92\\.4,A,no,pending`));

  // The detail: items by their labels; in Chinese.
  await row.click();
  await page.waitForSelector(".qa-detail");
  assert.match(await page.textContent(".qa-detail"), /Standard greeting with name and company.*8 \/ 10/);
  await page.click("#qa-calibrate");
  await page.waitForSelector("#qa-calibration");
  assert.match(await page.textContent("#qa-calibration"), /Inspectors: 1 · mean 92\.4 · spread 0.*admin92\.4A/);
  await page.click("#lang");
  await page.waitForFunction(() => document.querySelector(".qa-detail")?.textContent.includes("规范问候，报工号和公司"));
  assert.match(await page.textContent("#qa-saved"), /已保存 QA-/);
  await page.screenshot({ path: join(shots, "quality-search-zh.png"), fullPage: true });
  await page.click("#lang");
  await page.screenshot({ path: join(shots, "quality-search-en.png"), fullPage: true });

  // The form edited as JSON: a broken draft is saved but not published, with the field
  // named; fixed, it is published as version 2.
  await page.click('#qa-forms [data-edit="standard"]');
  const form = JSON.parse(await page.inputValue("#qa-form-json"));
  form.sections[0].items[0].max = 0;
  await page.fill("#qa-form-json", JSON.stringify(form));
  await page.click("#qa-form-publish");
  await page.waitForSelector("#qa-form-message.form-error");
  assert.match(await page.textContent("#qa-form-message"), /sections\[0\]\.items\[0\]\.max/);
  await page.locator("#qa-forms").screenshot({ path: join(shots, "quality-forms-en.png") });
  form.sections[0].items[0].max = 15;
  await page.fill("#qa-form-json", JSON.stringify(form));
  await page.click("#qa-form-publish");
  await page.waitForFunction(() => document.querySelector("#qa-form-message")?.textContent === "standard published as version 2.");
  await page.waitForSelector('#qa-forms tr[data-form="standard"] >> text=v2');

  // The agent sees their evaluation read-only and acknowledges it.
  const agent = await open("agent1001");
  assert.equal(await agent.locator("#qa-sample").count(), 0, "agents are offered no calls to evaluate");
  const mine = agent.locator(`#qa-results tr[data-serial="${evaluation.serial}"]`);
  await mine.click();
  await agent.click("#lang");
  await agent.waitForSelector("#qa-acknowledge");
  assert.equal(await agent.textContent("#qa-acknowledge"), "确认");
  await agent.screenshot({ path: join(shots, "quality-agent-zh.png"), fullPage: true });
  await agent.click("#qa-acknowledge");
  await agent.waitForSelector(`#qa-results tr[data-serial="${evaluation.serial}"] [data-status=acknowledged]`);
  const answered = await run.server.rest("GET", `/api/v1/qa/evaluations/${evaluation.id}`, undefined, run.admin);
  assert.equal(answered.body.status, "acknowledged");
  await agent.context().close();
  await page.context().close();
});
