// The Staffing page (issue 19) in a real browser against a real server (harness.mjs:
// serve.py's `unicc serve --demo`): a supervisor fills the Erlang calculator with a
// published Erlang C example and sees the server's answer, the trade-off around it,
// Erlang A with its service-level basis, and a refused field pointed at; the coming
// week's forecast and plan from three weeks of queue calls written into the server's
// database (chart, table, accuracy, CSV), and "not enough history" for a queue
// without; an agent does not get the page. Run by ctest as web_staffing; screenshots in both languages go
// to UNICC_SCREENSHOT_DIR.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addUser, browserTests, signedInPage } from "./harness.mjs";

const shots = process.env.UNICC_SCREENSHOT_DIR || join(tmpdir(), "unicc-web-screenshots");
mkdirSync(shots, { recursive: true });

const run = browserTests(({ server, admin }) =>
  addUser(server, admin, { username: "sue", password: "plans-the-week-7", role: "supervisor", display_name: "Sue" }));

const signIn = (username, password) => signedInPage(run.browser, run.server.base, username, password, run.pageErrors);

async function fill(page, values) {
  for (const [name, value] of Object.entries(values)) {
    const input = page.locator(`#staffing-form [name=${name}]`);
    if (await input.evaluate((element) => element.tagName === "SELECT")) await input.selectOption(value);
    else await input.fill(value);
  }
}

/** The figures the page shows, as text. */
async function shown(page) {
  const text = (selector) => page.textContent(selector).then((value) => value.trim());
  return {
    agents: await text("#staffing-agents"),
    scheduled: await text("#staffing-scheduled"),
    model: await text("[data-field=model]"),
    serviceLevel: await text("[data-field=service_level]"),
    asa: await text("[data-field=asa]"),
    occupancy: await text("[data-field=occupancy]"),
    abandonment: await text("[data-field=abandonment]"),
    rows: await page.$$eval("#staffing-around tbody tr", (rows) =>
      rows.map((row) => [row.dataset.agents, row.className, ...[...row.cells].map((cell) => cell.textContent)])),
  };
}

const percent = (fraction) => `${(fraction * 100).toFixed(1)}%`;

test("staffing: the calculator shows the server's Erlang C and Erlang A answers and the trade-off; a bad field is named", async () => {
  const page = await signIn("sue", "plans-the-week-7");
  await page.click("#nav-staffing");
  await page.waitForSelector("#staffing-form");

  // Call Centre Helper's worked example (see tests/unit/wfm/staffing_test.cpp):
  // 100 calls in 30 min, 180 s, 80 % in 20 s, 30 % shrinkage → 14 agents, 20 to schedule.
  await fill(page, { calls: "100", interval: "1800", aht: "180", sl: "80", threshold: "20", shrinkage: "30", asa: "",
    patience: "" });
  await page.click("#staffing-calculate");
  await page.waitForSelector("#staffing-around");
  const erlangC = await run.server.rest("POST", "/api/v1/staffing/erlang",
    { calls: 100, interval_s: 1800, aht_s: 180, target_sl: 0.8, threshold_s: 20, shrinkage: 0.3 }, run.admin);
  assert.equal(erlangC.status, 200, JSON.stringify(erlangC.body));
  assert.equal(erlangC.body.agents, 14);
  let figures = await shown(page);
  assert.equal(figures.agents, "14");
  assert.equal(figures.scheduled, "20");
  assert.equal(figures.model, "Erlang C (no abandonment)");
  assert.match(figures.serviceLevel, /^88\.8% · answered within 20 s ÷ offered/);
  assert.equal(figures.serviceLevel.slice(0, 5), percent(erlangC.body.service_level));
  assert.equal(figures.asa, "7.8s");
  assert.equal(figures.occupancy, "71.4%");
  assert.equal(figures.abandonment, "— (Erlang C)");
  // 12..17 agents, the answer marked; 13 agents miss 80 % (79.6 %).
  assert.deepEqual(figures.rows.map((row) => row[0]), ["12", "13", "14", "15", "16", "17"]);
  assert.deepEqual(figures.rows.map((row) => row[1]), ["", "", "chosen", "", "", ""]);
  assert.deepEqual(figures.rows[1].slice(2), ["13", "19", "79.6%", "17.1s", "76.9%"]);
  for (const [index, row] of erlangC.body.around.entries()) {
    assert.equal(figures.rows[index][4], percent(row.service_level), `SL with ${row.agents} agents`);
  }
  await page.screenshot({ path: join(shots, "staffing-erlang-c-en.png"), fullPage: true });

  // Erlang A: with a patience of 60 s, on the "answered" basis, as the server answers it.
  await fill(page, { patience: "60", sl: "90" });
  await fill(page, { basis: "answered" });
  await page.click("#staffing-calculate");
  await page.waitForFunction(() => document.querySelector("[data-field=model]")?.textContent.includes("Erlang A"));
  const erlangA = await run.server.rest("POST", "/api/v1/staffing/erlang", { calls: 100, interval_s: 1800, aht_s: 180,
    target_sl: 0.9, threshold_s: 20, shrinkage: 0.3, patience_s: 60, service_level_basis: "answered" }, run.admin);
  assert.equal(erlangA.status, 200, JSON.stringify(erlangA.body));
  figures = await shown(page);
  assert.equal(figures.agents, String(erlangA.body.agents));
  assert.equal(figures.scheduled, String(erlangA.body.scheduled_agents));
  assert.match(figures.serviceLevel, /answered within 20 s ÷ answered \(abandons left out\)/);
  assert.equal(figures.abandonment, percent(erlangA.body.abandonment));
  assert.equal(figures.rows.length, 6);
  assert.equal(figures.rows[2][7], percent(erlangA.body.around[2].abandonment));
  await page.screenshot({ path: join(shots, "staffing-erlang-a-en.png"), fullPage: true });

  // In Chinese: labels and numbers in the user's language, the same figures.
  await page.click("#lang");
  await page.waitForFunction(() => document.querySelector("#nav-staffing")?.textContent === "排班测算");
  assert.match(await page.textContent("[data-field=model]"), /Erlang A（含放弃）/);
  assert.match(await page.textContent("#staffing-definition"), /20 秒内接听 ÷ 接听/);
  assert.equal((await page.textContent("#staffing-agents")).trim(), String(erlangA.body.agents));
  await page.screenshot({ path: join(shots, "staffing-erlang-a-zh.png"), fullPage: true });

  // A shrinkage of 100 % can never be scheduled: the server names the field, the page
  // points at the input and drops the stale answer.
  await fill(page, { shrinkage: "100" });
  await page.click("#staffing-calculate");
  await page.waitForSelector("#staffing-error");
  assert.match(await page.textContent("#staffing-error"), /请检查“缩减率”：field 'shrinkage' must be between 0 and 0\.95 （服务器以小数表示百分比：0\.95 = 95%）/);
  assert.equal(await page.getAttribute("#staffing-form [name=shrinkage]", "aria-invalid"), "true");
  assert.equal(await page.$("#staffing-around"), null);
  await page.screenshot({ path: join(shots, "staffing-error-zh.png"), fullPage: true });
  await page.click("#lang");
  await fill(page, { shrinkage: "30" });
  await page.click("#staffing-calculate");
  await page.waitForSelector("#staffing-around");
  assert.equal(await page.$("#staffing-error"), null);
  assert.equal(await page.getAttribute("#staffing-form [name=shrinkage]", "aria-invalid"), null);
  await page.context().close();
});

// Three weeks of support calls in the server's database as the ACD writes them
// (queue_calls), in the server's local calendar: a day shape from 08:00 to 18:00,
// quieter at weekends, growing 10 % a week; one call four weeks ago starts the record.
const HISTORY = `
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], timeout=10)
lt = time.localtime()
def midnight(days):
    return int(time.mktime((lt.tm_year, lt.tm_mon, lt.tm_mday + days, 0, 0, 0, 0, 0, -1))) * 1000
shape = [20, 45, 80, 100, 90, 70, 60, 65, 75, 85, 70, 50, 40, 35, 30, 25, 20, 15, 10, 5]
rows = [("support", midnight(-22) + 23 * 3600000, 0)]
for week, scale in ((3, 0.9), (2, 1.0), (1, 1.1)):
    for day in range(7):
        start = midnight(-7 * week + day)
        weekend = time.localtime(start / 1000 + 43200).tm_wday >= 5
        for slot, calls in enumerate(shape):
            n = round(calls * scale * (0.4 if weekend else 1.0))
            for i in range(n):
                rows.append(("support", start + (8 * 3600 + slot * 1800) * 1000 + i * 1800000 // n, 10000))
with db:
    db.executemany("INSERT INTO queue_calls (queue, event, call_id, agent, waited_ms, at) VALUES (?, 'answered', 0, '', ?, ?)",
                   [(queue, waited, arrived + waited) for queue, arrived, waited in rows])
`;

test("staffing: the coming week's forecast and plan from the calls on record, with its accuracy, chart, table and CSV", async () => {
  execFileSync("python3", ["-c", HISTORY, join(run.server.dir, "unicc.db")]);
  const page = await signIn("sue", "plans-the-week-7");
  await page.click("#nav-staffing");
  await page.waitForSelector("#forecast-form");

  // A queue with no calls on record: said so, no numbers.
  await page.fill("#forecast-form [name=queue]", "billing");
  await page.click("#forecast-run");
  await page.waitForSelector("#forecast-summary");
  assert.match(await page.textContent("#forecast-summary"), /Not enough history: there is no full week of calls on record yet/);
  assert.match(await page.textContent("#forecast-accuracy"), /Accuracy: not enough history/);
  assert.equal(await page.$("#forecast-table"), null);

  // Support, planned with the calculator's defaults (100 calls, 180 s, 80 % in 20 s, 30 % shrinkage).
  await page.fill("#forecast-form [name=queue]", "support");
  await page.click("#forecast-run");
  await page.waitForSelector("#forecast-table");
  const rest = await run.server.rest("GET", "/api/v1/staffing/forecast?queue=support&interval=1800&weeks=4&aht_s=180" +
    "&target_sl=0.8&threshold_s=20&shrinkage=0.3", undefined, run.admin);
  assert.equal(rest.status, 200, JSON.stringify(rest.body));
  const forecast = rest.body;
  assert.equal(forecast.weeks_used, 3);
  assert.equal(forecast.accuracy.weeks_used, 2);
  assert.ok(forecast.accuracy.mape !== null && forecast.accuracy.mape < 0.1, JSON.stringify(forecast.accuracy));
  assert.match(await page.textContent("#forecast-summary"), /same-weekday average of 3 weeks.*trend ×1\.[12]/);
  assert.match(await page.textContent("#forecast-accuracy"),
    new RegExp(`MAPE ${(forecast.accuracy.mape * 100).toFixed(1).replace(".", "\\.")}% on the held-back week`));
  // The week's peak (09:30 on a weekday): the table's cell is the server's forecast and plan.
  const peak = forecast.intervals.reduce((most, interval) => (interval.calls > most.calls ? interval : most));
  assert.ok(peak.calls > 100 && peak.scheduled_agents > 14, JSON.stringify(peak));
  const cell = (await page.textContent(`#forecast-table td[data-start="${peak.start}"]`)).trim();
  assert.equal(cell, `${Math.round(peak.calls * 10) / 10}${peak.scheduled_agents}`);
  assert.equal(await page.locator("#forecast-chart rect.bar").count(), forecast.intervals.length);
  assert.equal(await page.locator("#forecast-chart polyline.agents-line").count(), 1);
  // The night is left out of the table: 08:00 to 17:30 only.
  assert.equal(await page.locator("#forecast-table tbody tr").count(), 20);

  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#forecast-csv")]);
  const lines = readFileSync(await download.path(), "utf8").trim().split("\r\n");
  assert.equal(lines.length, 1 + forecast.intervals.length);
  assert.match(lines[0], /^start_ms,start,calls,agents,scheduled_agents,service_level/);
  const row = lines.find((line) => line.startsWith(`${peak.start},`)).split(",");
  assert.deepEqual([Number(row[3]), Number(row[4]), Number(row[5])], [peak.calls, peak.agents, peak.scheduled_agents]);
  await page.screenshot({ path: join(shots, "staffing-forecast-en.png"), fullPage: true });
  await page.click("#lang");
  await page.waitForFunction(() => document.querySelector("#forecast-summary")?.textContent.includes("周同星期平均"));
  assert.match(await page.textContent("#forecast-accuracy"), /准确度：留作检验的一周/);
  await page.screenshot({ path: join(shots, "staffing-forecast-zh.png"), fullPage: true });
  await page.context().close();
});

test("staffing: agents have no Staffing page and the API refuses them", async () => {
  const page = await signIn("agent1001", "unicc-demo");
  await page.waitForSelector("#nav-quality");
  assert.equal(await page.$("#nav-staffing"), null);
  await page.goto(run.server.base + "/#/staffing");
  await page.waitForSelector("#nav-quality");
  assert.equal(await page.$("#staffing-form"), null);
  const token = await run.server.login("agent1001", "unicc-demo");
  const refused = await run.server.rest("POST", "/api/v1/staffing/erlang", { calls: 100, aht_s: 180, target_sl: 0.8 }, token);
  assert.equal(refused.status, 403);
  await page.context().close();
});
