// Administration › Health, Trunks and Extensions, and the CSV import and export of
// extensions and agents (issue 18), in a real browser against a real server
// (harness.mjs: serve.py's `unicc serve --demo`): the health figures are the REST
// answer's (a SIPp phone that registers is counted and shown with its address and
// user agent); the trunks with their registration; an extension created from the page
// (a weak password refused at its field) and its password reset; a CSV whose dry run
// refuses a line changes nothing, a good one applies; the exports download CSV files
// that parse back to what REST has. Run by ctest as web_system; screenshots in English
// and Chinese go to UNICC_SCREENSHOT_DIR.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { browserTests, eventually, signedInPage } from "./harness.mjs";

const shots = process.env.UNICC_SCREENSHOT_DIR || join(tmpdir(), "unicc-web-screenshots");
mkdirSync(shots, { recursive: true });

const run = browserTests(async ({ server, admin }) => {
  for (const skill of ["english", "sales"]) {
    const saved = await server.rest("PUT", `/api/v1/skills/${skill}`, { description: skill }, admin);
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
  }
});

const signIn = () => signedInPage(run.browser, run.server.base, "admin", "unicc-demo", run.pageErrors,
  { acceptDownloads: true });
const get = async (path) => {
  const { status, body } = await run.server.rest("GET", path, undefined, run.admin);
  assert.equal(status, 200, `${path}: ${JSON.stringify(body)}`);
  return body;
};
const text = async (page, selector) => (await page.textContent(selector)).trim();
const shot = (page, name) => page.screenshot({ path: join(shots, `${name}.png`) });

async function inChinese(page, name) {
  await page.click("#lang");
  await page.waitForFunction(() => document.documentElement.lang === "zh-CN");
  await shot(page, `${name}-zh-CN`);
  await page.click("#lang");
  await page.waitForFunction(() => document.documentElement.lang === "en");
}

async function tab(page, id, ready) {
  await page.goto(`${run.server.base}/#/admin?tab=${id}`);
  await page.waitForSelector(ready);
}

/** RFC 4180 as a spreadsheet writes it: quoted fields with "" and line breaks. */
function parseCsv(textIn) {
  const rows = [];
  let row = [], field = "", quoted = false;
  const input = textIn.replace(/^\uFEFF/, "");
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (quoted) {
      if (c === '"' && input[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") { row.push(field); field = ""; } else if (c === "\r") continue;
    else if (c === "\n") { row.push(field); rows.push(row); row = []; field = ""; } else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}

async function download(page, button) {
  const [file] = await Promise.all([page.waitForEvent("download"), page.click(button)]);
  return { name: file.suggestedFilename(), rows: parseCsv(readFileSync(await file.path(), "utf8")) };
}

async function upload(page, kind, name, csv) {
  await page.setInputFiles(`#${kind}-import-file`, { name, mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.waitForSelector(`#${kind}-import-report #import-lines`);
}

const figure = (page, id) => text(page, `[data-figure="${id}"] .health-value`);

test("health: the figures are the server's, a phone that registers is counted; trunks with their registration", async () => {
  const page = await signIn();
  await page.click("#nav-admin");
  await page.click("#tab-health");
  await page.waitForSelector('[data-figure="version"]');
  const health = await get("/api/v1/health/details");
  assert.equal(await figure(page, "version"), health.version);
  assert.equal(await figure(page, "status"), "OK");
  assert.equal(await figure(page, "database"), "OK");
  assert.match(await figure(page, "uptime"), /\d+ (sec|min|hr|day)/);
  const disk = health.metrics.unicc_recordings_disk_free_bytes;
  assert.match(await figure(page, "disk"), disk >= 0 ? /^\d+(\.\d)? (byte|kB|MB|GB|TB)$/ : /^Unknown$/);

  const phone = await run.server.sip("phone", { extension: "1003", ring_only: true });
  assert.ok(phone.ok, phone.explain);
  // Counted on the SIP thread every 5 s, shown by a page that asks every 5 s.
  await eventually(async () => {
    const now = await get("/api/v1/health/details");
    assert.ok(now.metrics.unicc_sip_registrations >= 1, JSON.stringify(now.metrics));
    assert.equal(await figure(page, "registrations"), String(now.metrics.unicc_sip_registrations));
    assert.equal(await figure(page, "calls"), String(now.metrics.unicc_calls_live));
    assert.equal(await figure(page, "write-queue"), String(now.metrics.unicc_store_write_queue));
  }, 20);
  const queues = await get("/api/v1/queues");
  assert.deepEqual(await page.$$eval("#health-queues tbody tr", (rows) => rows.map((row) => row.dataset.queue)),
    queues.items.map((queue) => queue.name));
  await shot(page, "admin-health-en");
  await inChinese(page, "admin-health");

  await page.click("#tab-trunks");
  await page.waitForSelector("#trunks");
  const trunks = await get("/api/v1/trunks");
  assert.deepEqual(await page.$$eval("#trunks tbody tr", (rows) => rows.map((row) => [row.dataset.trunk, row.dataset.state])),
    trunks.items.map((trunk) => [trunk.name, trunk.registration?.state ?? "none"]));
  assert.match(await text(page, '#trunks tr[data-trunk="carrier"]'), /UDP 127\.0\.0\.1:\d+/);
  await shot(page, "admin-trunks-en");
  await inChinese(page, "admin-trunks");

  // The registered phone in the extensions list: its address and user agent.
  await page.click("#tab-extensions");
  await page.waitForSelector("#extension-list");
  const listed = (await get("/api/v1/extensions")).items.find((item) => item.extension === "1003");
  assert.ok(listed.registered, JSON.stringify(listed));
  const row = await text(page, '#extension-list tr[data-key="1003"]');
  assert.ok(row.includes(listed.registrations[0].address), row);
  assert.ok(row.includes("Registered"), row);
  await page.close();
});

test("extensions: created from the page (a weak password refused at its field), password reset, disabled", async () => {
  const page = await signIn();
  await tab(page, "extensions", "#extension-list");
  await page.click("#extension-list-new");
  await page.fill("#extension-extension", "2001");
  await page.fill("#extension-display_name", "前台 王芳");
  await page.fill("#extension-password", "password123");
  await page.click("#extension-form-save");
  await page.waitForSelector('[data-field="password"].invalid');
  assert.equal(await page.getAttribute("#extension-password", "aria-invalid"), "true");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "extension-password", "the refused field has the focus");
  assert.equal((await get("/api/v1/extensions")).items.some((item) => item.extension === "2001"), false);

  await page.fill("#extension-password", "Blue-Heron-4821");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelector("#record-title")?.textContent === "2001");
  const created = (await get("/api/v1/extensions")).items.find((item) => item.extension === "2001");
  assert.deepEqual([created.display_name, created.enabled], ["前台 王芳", true]);

  await page.fill("#extension-new-password", "2001200120");
  await page.click("#extension-password-form-save");
  await page.waitForSelector("#extension-password-form .field.invalid");
  await page.fill("#extension-new-password", "Green-Finch-7730");
  await page.click("#extension-password-form-save");
  await page.waitForSelector("#extension-password-form-notice");
  await eventually(async () => assert.ok(await page.locator('#audit-trail li[data-action="extension.update"]').count() > 0));
  const trail = await get("/api/v1/audit?target=extension:2001");
  assert.deepEqual(trail.items.map((entry) => entry.action), ["extension.update", "extension.create"]);
  assert.equal(JSON.parse(trail.items[0].detail).password, "reset");
  await shot(page, "admin-extension-en");
  await inChinese(page, "admin-extension");

  await page.click("#extension-disable");
  await page.waitForSelector("#extension-enable");
  assert.equal((await get("/api/v1/extensions")).items.find((item) => item.extension === "2001").enabled, false);
  await page.close();
});

test("extensions CSV: a dry run with a refused line changes nothing; a good file applies; the export parses back", async () => {
  const page = await signIn();
  await tab(page, "extensions", "#extension-list");
  const before = await get("/api/v1/extensions");

  await upload(page, "extensions", "bad.csv",
    "extension,display_name,password\r\n2101,\"Li, Na\",Red-Kite-5512\r\n2102,Spare,password123\r\n");
  assert.deepEqual(await page.$$eval("#import-lines tbody tr", (rows) => rows.map((row) => [row.dataset.line, row.dataset.action])),
    [["2", "create"], ["3", "refused"]]);
  const refused = await text(page, '#import-lines tr[data-line="3"]');
  assert.ok(refused.includes("password") && refused.includes("guessing list"), refused);
  assert.ok(await page.isDisabled("#extensions-import-apply"), "a file with a refused line cannot be applied");
  await shot(page, "admin-extensions-dry-run-en");
  await inChinese(page, "admin-extensions-dry-run");
  assert.deepEqual(await get("/api/v1/extensions"), before, "the dry run changed nothing");
  await page.click("#extensions-import-cancel");

  await upload(page, "extensions", "good.csv",
    "extension,display_name,password,enabled\r\n2101,\"Li, Na\",Red-Kite-5512,\r\n2102,\"张伟 \"\"Wei\"\"\",Grey-Owl-6624,false\r\n");
  assert.match(await text(page, "#import-summary"), /^2 to create, 0 to change/);
  await page.click("#extensions-import-apply");
  await page.waitForSelector("#extensions-import-done");
  const after = (await get("/api/v1/extensions")).items;
  assert.deepEqual(after.filter((item) => item.extension >= "2101").map((item) => [item.extension, item.display_name, item.enabled]),
    [["2101", "Li, Na"], ["2102", '张伟 "Wei"']].map(([extension, name], i) => [extension, name, i === 0]));
  await page.waitForSelector('#extension-list tr[data-key="2102"]');

  const exported = await download(page, "#extensions-export");
  assert.equal(exported.name, "extensions.csv");
  assert.deepEqual(exported.rows[0], ["extension", "display_name", "enabled", "password"]);
  assert.deepEqual(exported.rows.slice(1).map((row) => row.slice(0, 3)),
    after.map((item) => [item.extension, item.display_name, String(item.enabled)]));
  assert.ok(exported.rows.slice(1).every((row) => row[3] === ""), "passwords are never exported");
  await page.close();
});

test("agents CSV: an unknown skill is refused in the dry run; a good file sets skills and groups; the export parses back", async () => {
  const page = await signIn();
  await tab(page, "agents", "#agent-list");
  await upload(page, "agents", "agents.csv", "extension,name,skills,groups\n2101,李娜,english:7;cooking:3,vip\n");
  const refused = await text(page, '#import-lines tr[data-line="2"]');
  assert.ok(refused.includes("cooking"), refused);
  await page.click("#agents-import-cancel");
  const missing = await run.server.rest("GET", "/api/v1/agents/2101", undefined, run.admin);
  assert.equal(missing.status, 404, "the refused file changed nothing");

  await upload(page, "agents", "agents.csv", "extension,name,skills,groups\n2101,李娜,english:7;sales:3,vip;night\n");
  await page.click("#agents-import-apply");
  await page.waitForSelector("#agents-import-done");
  const agent = await get("/api/v1/agents/2101");
  assert.deepEqual([agent.name, agent.skills, agent.groups],
    ["李娜", [{ skill: "english", level: 7 }, { skill: "sales", level: 3 }], ["vip", "night"]]);
  await page.waitForSelector('#agent-list tr[data-key="2101"]');
  await shot(page, "admin-agents-import-en");
  await inChinese(page, "admin-agents-import");

  const exported = await download(page, "#agents-export");
  assert.deepEqual(exported.rows[0], ["extension", "name", "skills", "groups"]);
  assert.deepEqual(exported.rows.find((row) => row[0] === "2101"), ["2101", "李娜", "english:7;sales:3", "vip;night"]);
  await page.close();
});
