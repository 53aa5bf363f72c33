// The Reports page (issue 19) in a real browser against a real server (harness.mjs:
// serve.py's `unicc serve --demo`, SIPp and scripted trunk callers). Two real calls into
// the support queue make the report facts: one caller hangs up after 6 s of waiting
// (abandoned), the next is answered by 1001's phone and hung up, 1001 leaves wrap-up.
// A supervisor then opens Reports: the table's figures are the API's JSON and what the
// calls did, the chart has the bars of the hours with calls, the filters live in the
// hash (a reload keeps them), the agents report charts 1001's handle time, the CSV and
// XLSX downloads hold the same figures (the XLSX unzipped, its sheet's cells numbers),
// the groups, agent-state, abandon-curve and IVR-flow reports and their charts,
// the headers turn Chinese, the print style hides the filters and nav, and a reversed
// custom range is refused in words. Run by ctest as web_reports; screenshots in both
// languages go to UNICC_SCREENSHOT_DIR.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addUser, browserTests, eventually, signedInPage } from "./harness.mjs";

const shots = process.env.UNICC_SCREENSHOT_DIR || join(tmpdir(), "unicc-web-screenshots");
mkdirSync(shots, { recursive: true });
const DID = "4090"; // serve.py's flow: the support queue

const run = browserTests(({ server, admin }) =>
  addUser(server, admin, { username: "sue", password: "reads-reports-7", role: "supervisor", display_name: "Sue" }));

const signIn = (options = {}) =>
  signedInPage(run.browser, run.server.base, "sue", "reads-reports-7", run.pageErrors, { acceptDownloads: true, ...options });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function setState(extension, body) {
  const answer = await run.server.rest("POST", `/api/v1/agents/${extension}/state`, body, run.admin);
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
}
async function agentState(extension) {
  const { body } = await run.server.rest("GET", "/api/v1/agents", undefined, run.admin);
  return body.items.find((agent) => agent.extension === extension)?.state;
}

// Today in the server's zone: serve.py sets no reports.time_zone, so the server counts
// in its local zone, which is this process's (and the browser's).
const midnight = new Date(new Date().setHours(0, 0, 0, 0));
const today = { from: midnight.getTime(), to: new Date(midnight.getFullYear(), midnight.getMonth(), midnight.getDate() + 1).getTime() };
const report = async (kind, params) => {
  const search = new URLSearchParams({ from: String(today.from), to: String(today.to), ...params });
  const answer = await run.server.rest("GET", `/api/v1/reports/${kind}?${search}`, undefined, run.admin);
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body;
};
const sumOf = (rows, column) => rows.reduce((total, row) => total + (row[column] ?? 0), 0);

/** The figures of the table's body rows and of its totals row, as data-value attributes. */
const tableValues = (page) => page.$$eval("#report-table tbody tr", (rows) => rows.map((row) =>
  Object.fromEntries([...row.cells].map((cell) => [cell.dataset.column, cell.dataset.value]))));

/** A report's file as the page downloads it: the click, the download, its bytes. */
async function download(page, button) {
  const waiting = page.waitForEvent("download");
  await page.click(button);
  const file = await waiting;
  return { name: file.suggestedFilename(), bytes: readFileSync(await file.path()) };
}

/** The first sheet of an XLSX file (unzipped by Python's zipfile) as rows of cells:
 *  numbers as numbers, shared strings as text. */
function xlsxRows(path) {
  const read = (member) => execFileSync("python3", ["-c",
    "import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())", path, member]).toString();
  const shared = [...read("xl/sharedStrings.xml").matchAll(/<si>.*?<t[^>]*>([^<]*)<\/t>.*?<\/si>/gs)].map((m) => m[1]);
  const rows = [];
  for (const row of read("xl/worksheets/sheet1.xml").matchAll(/<row [^>]*>(.*?)<\/row>/gs)) {
    const cells = [];
    for (const cell of row[1].matchAll(/<c r="([A-Z]+)\d+"([^>]*?)(?:\/>|>(?:<v>([^<]*)<\/v>)?<\/c>)/g)) {
      const column = [...cell[1]].reduce((n, letter) => n * 26 + letter.charCodeAt(0) - 64, 0) - 1;
      const value = cell[3] === undefined ? null : /t="s"/.test(cell[2]) ? shared[Number(cell[3])] : Number(cell[3]);
      cells[column] = value;
    }
    rows.push(cells);
  }
  return rows;
}

test("reports: two real queue calls in the table, the chart, the CSV and the XLSX, in both languages", async () => {
  // Support: nobody ready, so the first caller waits and gives up after 6 s (more than
  // the 5 s short-abandon threshold).
  for (const extension of ["1003", "1004"]) await setState(extension, { state: "logged_out" });
  await setState("1001", { state: "not_ready", reason: "break" });
  const first = await run.server.sip("caller", { caller: "13900001111", did: DID });
  assert.ok(first.ok, first.explain);
  await sleep(6500);
  const gone = await run.server.sip("hang_up", { handle: first.handle });
  assert.ok(gone.ok, gone.explain);

  // The second is answered by 1001's phone, talks 2 s and hangs up; 1001 leaves wrap-up.
  const phone = await run.server.sip("phone", { extension: "1001" });
  assert.ok(phone.ok, phone.explain);
  await setState("1001", { state: "ready" });
  const second = await run.server.sip("caller", { caller: "13900002222", did: DID });
  assert.ok(second.ok, second.explain);
  await eventually(async () => assert.equal(await agentState("1001"), "on_call"), 20);
  await sleep(2000);
  const hungUp = await run.server.sip("hang_up", { handle: second.handle });
  assert.ok(hungUp.ok, hungUp.explain);
  const ended = await run.server.sip("wait", { handle: phone.handle });
  assert.ok(ended.ok, ended.explain);
  await eventually(async () => assert.equal(await agentState("1001"), "wrap_up"), 10);
  await sleep(1000);
  await setState("1001", { state: "not_ready", reason: "break" });

  // The facts are written when the visits end: the API counts both calls.
  const hourly = await eventually(async () => {
    const answer = await report("intervals", { interval: "60m" });
    assert.equal(sumOf(answer.rows, "offered"), 2, JSON.stringify(answer.rows));
    assert.equal(sumOf(answer.rows, "answered"), 1);
    assert.equal(sumOf(answer.rows, "abandoned"), 1);
    return answer;
  }, 15);
  const withCalls = hourly.rows.filter((row) => row.offered > 0);

  // The page: calls by hour today (the defaults), the same figures as the API's.
  const page = await signIn();
  await page.click("#nav-reports");
  await page.waitForSelector("#report-table");
  assert.match(page.url(), /#\/reports\?kind=intervals&preset=today&interval=60m/);
  assert.equal(await page.inputValue("[name=kind]"), "intervals");
  const rows = await tableValues(page);
  assert.equal(rows.length, hourly.rows.length);
  hourly.rows.forEach((expected, i) => {
    for (const column of hourly.columns.filter((c) => c !== "start")) {
      assert.equal(rows[i][column], expected[column] === null ? "" : String(expected[column]), `${column} of row ${i}`);
    }
  });
  // The totals row: what the calls did; one answered of two, the wait of the abandon
  // past the threshold counts against the service level (answered 1 s in, within 20 s).
  const total = await page.$$eval("#report-total td", (cells) =>
    Object.fromEntries(cells.map((cell) => [cell.dataset.column, [cell.dataset.value, cell.textContent]])));
  assert.deepEqual(total.offered, ["2", "2"]);
  assert.deepEqual(total.answered, ["1", "1"]);
  assert.deepEqual(total.abandoned, ["1", "1"]);
  assert.equal(total.answer_rate[1], "50.0%");
  assert.equal(total.period[1], "Total");
  // The page works the totals' rates out from the sums: they are the server's for the
  // whole day (the same report without an interval).
  const day = (await report("intervals", {})).rows[0];
  for (const column of ["service_level", "answer_rate", "abandon_rate", "answered_in_sl", "handled", "talk_s"]) {
    assert.equal(Number(total[column][0]), day[column], `total ${column}`);
  }
  for (const column of ["asa_s", "avg_wait_s", "max_wait_s", "aht_s", "avg_talk_s"]) {
    assert.ok(Math.abs(Number(total[column][0]) - day[column]) < 0.002, `total ${column} ${total[column][0]} ≠ ${day[column]}`);
  }
  // The formatted cells: a percentage and a duration in the user's locale.
  const firstRow = page.locator(`#report-table tbody tr[data-start="${withCalls[0].start}"]`);
  const slText = await firstRow.locator("[data-column=service_level]").textContent();
  if (withCalls[0].service_level !== null) assert.equal(slText, `${(withCalls[0].service_level * 100).toFixed(1)}%`);
  assert.match(await firstRow.locator("[data-column=max_wait_s]").textContent(), /^0:0[5-9]$/);

  // The chart: a period per row with the offered, answered and abandoned bars of the
  // hours with calls, and the service-level line's points.
  // Every hour of the day is on the chart's axis, those without calls empty.
  assert.equal(await page.locator("#calls-chart g.period").count(), Math.round((today.to - today.from) / 3600000));
  for (const row of withCalls) {
    const period = page.locator(`#calls-chart g.period[data-start="${row.start}"]`);
    for (const series of ["offered", "answered", "abandoned"]) {
      assert.equal(await period.locator(`rect.bar.${series}`).getAttribute("data-value"), String(row[series]));
    }
    assert.ok(Number(await period.locator("rect.bar.offered").getAttribute("height")) > 0);
  }
  assert.ok(await page.locator("#calls-chart .sl-point").count() >= 1);
  assert.match(await page.textContent("#report-notes"), /service level: answered within the threshold \/ \(answered \+ abandoned after the threshold\)/);
  await page.screenshot({ path: join(shots, "reports-intervals-en.png"), fullPage: true });

  // Sorting: by offered, descending puts the hour with the calls first.
  await page.click("#report-table th[data-column=offered] button");
  await page.click("#report-table th[data-column=offered] button");
  assert.equal(await page.getAttribute("#report-table th[data-column=offered]", "aria-sort"), "descending");
  assert.equal((await tableValues(page))[0].offered, String(Math.max(...hourly.rows.map((r) => r.offered))));

  // CSV: the same query as a file, BOM, the API's column names and figures.
  const csv = await download(page, "#report-csv");
  assert.equal(csv.name, `report-intervals-${midnight.getFullYear()}-${String(midnight.getMonth() + 1).padStart(2, "0")}-${
    String(midnight.getDate()).padStart(2, "0")}.csv`);
  const text = csv.bytes.toString("utf8");
  assert.equal(text.charCodeAt(0), 0xfeff);
  const lines = text.slice(1).trim().split(/\r?\n/).map((line) => line.split(","));
  assert.deepEqual(lines[0], hourly.columns);
  assert.equal(lines.length - 1, hourly.rows.length);
  const at = (name) => hourly.columns.indexOf(name);
  for (const [i, expected] of hourly.rows.entries()) {
    for (const column of ["start", "offered", "answered", "abandoned", "answered_in_sl", "handled"]) {
      assert.equal(Number(lines[i + 1][at(column)]), expected[column], `CSV ${column} of row ${i}`);
    }
  }

  // XLSX: unzipped, sheet1.xml has the header and the same figures as numbers.
  const xlsx = await download(page, "#report-xlsx");
  assert.match(xlsx.name, /^report-intervals-.*\.xlsx$/);
  assert.equal(xlsx.bytes.subarray(0, 2).toString(), "PK");
  const saved = join(shots, "reports-download.xlsx");
  writeFileSync(saved, xlsx.bytes);
  const sheet = xlsxRows(saved);
  assert.deepEqual(sheet[0], hourly.columns);
  assert.equal(sheet.length - 1, hourly.rows.length);
  for (const [i, expected] of hourly.rows.entries()) {
    for (const column of ["start", "offered", "answered", "abandoned", "max_wait_s"]) {
      assert.equal(typeof sheet[i + 1][at(column)], "number", `XLSX ${column} of row ${i} is a number`);
      assert.equal(sheet[i + 1][at(column)], expected[column], `XLSX ${column} of row ${i}`);
    }
  }

  // The queues report by day, from the filters: the hash keeps them across a reload.
  await page.selectOption("[name=kind]", "queues");
  await page.selectOption("[name=interval]", "day");
  await page.waitForSelector('#report[data-report=queues] #report-table tbody tr[data-name="support"]');
  assert.match(page.url(), /kind=queues/);
  assert.match(page.url(), /interval=day/);
  await page.reload();
  await page.waitForSelector('#report[data-report=queues] #report-table tbody tr[data-name="support"]');
  assert.equal(await page.inputValue("[name=kind]"), "queues");
  assert.equal(await page.inputValue("[name=interval]"), "day");
  const support = page.locator('#report-table tbody tr[data-name="support"]');
  assert.equal(await support.locator("[data-column=offered]").textContent(), "2");
  assert.equal(await support.locator("[data-column=abandoned]").textContent(), "1");
  assert.equal(await page.locator("#calls-chart g.period").count(), 1);

  // The agents report: 1001's one contact and a handle-time bar with its talk.
  await page.selectOption("[name=kind]", "agents");
  await page.selectOption("[name=interval]", "");
  await page.waitForSelector('#report[data-report=agents] #report-table tbody tr[data-name="1001"]');
  const agents = await report("agents", {});
  const mine = agents.rows.find((row) => row.agent === "1001");
  assert.equal(mine.contacts, 1);
  const agentRow = page.locator('#report-table tbody tr[data-name="1001"]');
  assert.equal(await agentRow.locator("[data-column=contacts]").textContent(), "1");
  assert.equal(await agentRow.locator("[data-column=handle_s]").getAttribute("data-value"), String(mine.handle_s));
  const bar = page.locator('#handle-chart g.agent-bar[data-agent="1001"]');
  assert.equal(await bar.locator("rect.talk_s").getAttribute("data-value"), String(mine.talk_s));
  assert.ok(mine.talk_s >= 1, `talk ${mine.talk_s} s`);
  assert.ok(Number(await bar.locator("rect.talk_s").getAttribute("width")) > 0);
  await page.screenshot({ path: join(shots, "reports-agents-en.png"), fullPage: true });

  // 1001 is in the east group (now): the groups report is theirs, offered by the group filter.
  const grouped = await run.server.rest("PATCH", "/api/v1/agents/1001", { groups: ["east"] }, run.admin);
  assert.equal(grouped.status, 200, JSON.stringify(grouped.body));
  await page.reload();
  await page.selectOption("[name=kind]", "groups");
  await page.waitForSelector('#report[data-report=groups] #report-table tbody tr[data-name="east"]');
  const east = (await report("groups", {})).rows.find((row) => row.group === "east");
  assert.equal(east.contacts, 1);
  const eastRow = page.locator('#report-table tbody tr[data-name="east"]');
  assert.equal(await eastRow.locator("[data-column=contacts]").textContent(), "1");
  assert.equal(await eastRow.locator("[data-column=occupancy]").getAttribute("data-value"), String(east.occupancy ?? ""));
  assert.ok((await page.$$eval("[name=group] option", (options) => options.map((o) => o.value))).includes("east"));

  // The agent state breakdown: 1001's bar per state is the API's time per state.
  await page.selectOption("[name=kind]", "agent-states");
  await page.waitForSelector('#report[data-report=agent-states] #state-chart g.agent-bar[data-agent="1001"]');
  const stateRows = (await report("agent-states", { by: "agent" })).rows.filter((row) => row.agent === "1001");
  const onCall = stateRows.filter((row) => row.state === "on_call").reduce((total, row) => total + row.time_s, 0);
  assert.ok(onCall >= 1, `on call ${onCall} s`);
  const stateBar = page.locator('#state-chart g.agent-bar[data-agent="1001"]');
  assert.ok(Math.abs(Number(await stateBar.locator("rect.state-on_call").getAttribute("data-value")) - onCall) < 1e-6);
  assert.ok(Number(await stateBar.locator("rect.state-not_ready").getAttribute("data-value")) >= 6);
  assert.equal(await page.locator('#report-table tbody tr[data-name="1001"]').count(), stateRows.length);
  await page.screenshot({ path: join(shots, "reports-agent-states-en.png"), fullPage: true });

  // The abandon curve: the abandon after 6.5 s in 5-10 s, the answer after the phone's
  // 1.5 s ring in 0-5 s; every abandon had happened within 10 s.
  await page.selectOption("[name=kind]", "waits");
  await page.waitForSelector("#report[data-report=waits] #abandon-chart");
  const bucket = (name) => page.locator(`#abandon-chart g.bucket[data-bucket="${name}"]`);
  assert.equal(await bucket("5-10").locator("rect.abandoned").getAttribute("data-value"), "1");
  assert.equal(await bucket("0-5").locator("rect.answered").getAttribute("data-value"), "1");
  assert.equal(await page.locator("#abandon-chart g.bucket").count(), 10);
  const waits = (await report("waits", {})).rows;
  assert.deepEqual(await page.$$eval("#report-table tbody [data-column=abandoned]", (cells) => cells.map((c) => Number(c.dataset.value))),
    waits.map((row) => row.abandoned));
  // No service level in this report, so the notes name none.
  assert.doesNotMatch(await page.textContent("#report-notes"), /service level|undefined/);
  await page.screenshot({ path: join(shots, "reports-waits-en.png"), fullPage: true });

  // The IVR flow both calls ran (serve.py's desk-support: a variable, then the queue).
  await page.selectOption("[name=kind]", "flows");
  await page.waitForSelector('#report[data-report=flows] #report-table tbody tr[data-name="desk-support"]');
  const flow = (await report("flows", {})).rows.find((row) => row.flow === "desk-support");
  assert.equal(flow.entered, 2);
  const flowRow = page.locator('#report-table tbody tr[data-name="desk-support"]');
  for (const column of ["entered", "queued", "to_agent", "contained"]) {
    assert.equal(await flowRow.locator(`[data-column=${column}]`).textContent(), String(flow[column]), column);
  }
  assert.match(await page.getAttribute("#report-table th[data-column=abandoned]", "title"), /in the flow/);

  // First-contact resolution per queue: the figures of GET /reports/fcr?by=queue, the rate worked out again.
  await page.selectOption("[name=kind]", "fcr");
  await page.waitForSelector("#report[data-report=fcr] #report-total");
  const fcr = await report("fcr", { by: "queue" });
  assert.ok(fcr.rows.length > 0 && fcr.rows.some((row) => row.handled > 0), JSON.stringify(fcr.rows));
  for (const row of fcr.rows) {
    const shown = page.locator(`#report-table tbody tr[data-name="${row.queue}"]`);
    for (const column of ["handled", "repeated", "resolved"]) {
      assert.equal(await shown.locator(`[data-column=${column}]`).textContent(), String(row[column]), column);
    }
  }
  const handled = fcr.rows.reduce((n, row) => n + row.handled, 0), resolved = fcr.rows.reduce((n, row) => n + row.resolved, 0);
  assert.equal(await page.textContent("#report-total [data-column=fcr_rate]"), `${(100 * resolved / handled).toFixed(1)}%`);
  assert.match(await page.getAttribute("#report-table th[data-column=fcr_rate]", "title"), /Resolved \/ handled/);
  await page.screenshot({ path: join(shots, "reports-fcr-en.png"), fullPage: true });

  // Chinese: the headers, the kind and the totals row in Chinese.
  await page.selectOption("[name=kind]", "intervals");
  await page.selectOption("[name=interval]", "60m");
  await page.waitForSelector("#report[data-report=intervals] #report-total");
  await page.click("#lang");
  await page.waitForFunction(() => document.querySelector(".reports-page h1")?.textContent === "报表");
  assert.equal((await page.textContent("#report-table th[data-column=offered]")).trim(), "呼入量");
  assert.equal((await page.textContent("#report-table th[data-column=service_level]")).trim(), "服务水平");
  assert.match(await page.getAttribute("#report-table th[data-column=answer_rate]", "title"), /接听量 \/ 呼入量/);
  assert.equal(await page.textContent("#report-total [data-column=period]"), "合计");
  assert.match(await page.textContent("#report-heading"), /分时段话务/);
  await page.screenshot({ path: join(shots, "reports-intervals-zh.png"), fullPage: true });
  await page.selectOption("[name=kind]", "agent-states");
  await page.waitForSelector("#report[data-report=agent-states] #state-chart");
  assert.match(await page.textContent("#state-chart figcaption"), /通话中/);
  await page.screenshot({ path: join(shots, "reports-agent-states-zh.png"), fullPage: true });
  await page.selectOption("[name=kind]", "waits");
  await page.waitForSelector("#report[data-report=waits] #abandon-chart");
  assert.equal(await page.textContent('#report-table tbody tr[data-name="5-10"] [data-column=bucket]'), "5-10 秒");
  await page.screenshot({ path: join(shots, "reports-waits-zh.png"), fullPage: true });
  await page.selectOption("[name=kind]", "intervals");
  await page.waitForSelector("#report[data-report=intervals] #calls-chart");

  // Print: no nav, no filters, the heading with the report and the day.
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.isVisible(".sidenav"), false);
  assert.equal(await page.isVisible("#report-filters"), false);
  assert.equal(await page.isVisible("#report-csv"), false);
  assert.ok(await page.isVisible("#report-heading"));
  assert.ok(await page.isVisible("#calls-chart"));
  await page.screenshot({ path: join(shots, "reports-print-zh.png"), fullPage: true });
  await page.emulateMedia({ media: "screen" });
  await page.click("#lang");
  await page.context().close();
});

test("reports: a reversed custom range is refused in words; an agent has no Reports page and the API refuses them", async () => {
  const page = await signIn();
  await page.goto(run.server.base + "/#/reports?kind=queues&preset=custom&from=2026-03-10&to=2026-03-01&interval=day");
  await page.reload();
  await page.waitForSelector("#report-error");
  assert.match(await page.textContent("#report-error"), /the end may not be before the start/);
  assert.equal(await page.inputValue("[name=from]"), "2026-03-10");
  // Set right, a range with no calls: the empty state.
  await page.fill("[name=to]", "2026-03-12");
  await page.waitForSelector("#report .empty");
  assert.match(await page.textContent("#report .empty"), /No calls in this range/);
  assert.equal(await page.isVisible("#report-error"), false);
  await page.context().close();

  const agent = await signedInPage(run.browser, run.server.base, "agent1002", "unicc-demo", run.pageErrors);
  assert.equal(await agent.$("#nav-reports"), null);
  const token = await run.server.login("agent1002", "unicc-demo");
  const refused = await run.server.rest("GET", `/api/v1/reports/queues?from=${today.from}&to=${today.to}`, undefined, token);
  assert.equal(refused.status, 403);
  await agent.context().close();
});
