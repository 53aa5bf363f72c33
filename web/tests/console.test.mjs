// The administration console (issue 18) in a real browser against a real server
// (harness.mjs: serve.py's `unicc serve --demo`): an admin creates a skill, a queue
// that needs it (an out-of-range value is refused at its field first), an agent with
// the skill and a user for that agent; REST has them with the fields typed; each
// record's audit trail shows its creation; a supervisor reads the pages and cannot
// change them. Run by ctest as web_console; screenshots of every page in English and
// Chinese go to UNICC_SCREENSHOT_DIR.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { browserTests, eventually, signedInPage } from "./harness.mjs";

const shots = process.env.UNICC_SCREENSHOT_DIR || join(tmpdir(), "unicc-web-screenshots");
mkdirSync(shots, { recursive: true });

const run = browserTests(async ({ server, admin }) => {
  const created = await server.rest("POST", "/api/v1/users",
    { username: "sue", password: "reads-the-setup-7", role: "supervisor", display_name: "Sue" }, admin);
  assert.equal(created.status, 201, JSON.stringify(created.body));
});

const signIn = (username, password = "unicc-demo") =>
  signedInPage(run.browser, run.server.base, username, password, run.pageErrors);
const get = async (path) => {
  const { status, body } = await run.server.rest("GET", path, undefined, run.admin);
  assert.equal(status, 200, `${path}: ${JSON.stringify(body)}`);
  return body;
};
const text = async (page, selector) => (await page.textContent(selector)).trim();

async function tab(page, id) {
  await page.click("#nav-admin");
  await page.click(`#tab-${id}`);
  await page.waitForSelector(`#${id === "agents" ? "agent" : id.replace(/s$/, "")}-list-search`);
}

/** The trail of the open record lists `action` (newest first). */
async function trailShows(page, action) {
  await eventually(async () => assert.ok(await page.locator(`#audit-trail li[data-action="${action}"]`).count() > 0,
    `${action} in the audit trail`));
}

async function shot(page, name) {
  await page.screenshot({ path: join(shots, `${name}.png`) });
}

test("console: an admin creates a skill; its trail shows the creation; a bad name is refused at the field", async () => {
  const page = await signIn("admin");
  await tab(page, "skills");
  await page.click("#skill-list-new");
  await page.fill("#skill-name", "bad name");
  await page.fill("#skill-description", "Speaks Cantonese");
  await page.press("#skill-description", "Enter");
  await page.waitForSelector('[data-field="name"].invalid');
  assert.match(await text(page, '[data-field="name"] .field-problem'), /not a valid name/);
  assert.equal(await page.evaluate(() => document.activeElement?.id), "skill-name");
  await page.fill("#skill-name", "cantonese");
  await page.press("#skill-name", "Enter");
  await page.waitForSelector("#skill-form-notice");
  await eventually(async () => assert.equal(await text(page, "#record-title"), "cantonese"));
  await trailShows(page, "skill.saved");
  assert.match(await text(page, "#audit-trail"), /Skill saved/);
  const skills = await get("/api/v1/skills");
  assert.deepEqual(skills.items.find((s) => s.name === "cantonese"), { name: "cantonese", description: "Speaks Cantonese" });
  await shot(page, "console-skill-en");
  await page.click("#record-back");
  // From the search box, Tab reaches New, then the first record; Enter opens it.
  await page.focus("#skill-list-search");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "skill-list-new");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("data-open")), "cantonese");
  await page.keyboard.press("Enter");
  await page.waitForSelector("#skill-form");
  await page.click("#record-back");
  await page.fill("#skill-list-search", "canton");
  assert.equal(await page.locator("#skill-list tbody tr").count(), 1);
  await shot(page, "console-skills-en");
  await page.click("#lang");
  await page.fill("#skill-list-search", "");
  await shot(page, "console-skills-zh");
  await page.click('[data-open="cantonese"]');
  await page.waitForSelector("#skill-form");
  await shot(page, "console-skill-zh");
  await page.context().close();
});

test("console: an admin creates a queue that needs the skill; an out-of-range level is refused at its field, then fixed", async () => {
  const page = await signIn("admin");
  await tab(page, "queues");
  await shot(page, "console-queues-en");
  await page.click("#queue-list-new");
  await page.fill("#queue-name", "cantonese-line");
  await page.selectOption("#queue-strategy", "best_skill");
  await page.click("#skills-add");
  await page.selectOption('[data-field="skills[0].skill"] select', "cantonese");
  await page.fill('[data-field="skills[0].min_level"] input', "11");
  await page.fill("#queue-ring_timeout_s", "25");
  await page.fill("#queue-max_wait_s", "120");
  await page.selectOption("#queue-overflow-kind", "queue");
  await page.fill("#queue-overflow-target", "support");
  await page.click("#tier-add");
  await page.fill('[data-field="overflow_tiers[0].after_s"] input', "45");
  await page.fill('[data-field="overflow_tiers[0].queue"] input', "sales");
  await page.fill("#queue-callback_key", "9");
  await page.fill("#queue-alert_wait_s", "90");
  await page.press("#queue-alert_wait_s", "Enter");
  // The server's 400 names skills[0].min_level: shown there, the input focused and marked.
  await page.waitForSelector('[data-field="skills[0].min_level"].invalid');
  assert.equal(await text(page, '[data-field="skills[0].min_level"] .field-problem'), "Must be a whole number from 1 to 10.");
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("aria-invalid")), "true");
  assert.equal((await run.server.rest("GET", "/api/v1/queues/cantonese-line", undefined, run.admin)).status, 404);
  await shot(page, "console-queue-error-en");
  await page.fill('[data-field="skills[0].min_level"] input', "6");
  await page.click("#queue-form-save");
  await eventually(async () => assert.equal(await text(page, "#record-title"), "cantonese-line"));
  await page.waitForSelector("#queue-form-notice");
  assert.equal(await page.locator(".field.invalid").count(), 0);
  const queue = await get("/api/v1/queues/cantonese-line");
  assert.equal(queue.strategy, "best_skill");
  assert.deepEqual(queue.skills, [{ skill: "cantonese", min_level: 6 }]);
  assert.equal(queue.ring_timeout_s, 25);
  assert.equal(queue.max_wait_s, 120);
  assert.deepEqual(queue.overflow, { queue: "support" });
  assert.deepEqual(queue.overflow_tiers, [{ after_s: 45, queue: "sales" }]);
  assert.equal(queue.callback_key, "9");
  assert.equal(queue.alert_wait_s, 90);
  assert.equal(queue.wrap_up_s, 0, "a field left alone keeps its default");
  await trailShows(page, "queue.saved");
  assert.match(await text(page, "#queue-status"), /Waiting/);
  await shot(page, "console-queue-en");
  await page.click("#lang");
  await shot(page, "console-queue-zh");
  await page.click("#record-back");
  await shot(page, "console-queues-zh");
  await page.context().close();
});

test("console: an admin makes 1005 an agent with the skill; it serves the queue now", async () => {
  const page = await signIn("admin");
  await tab(page, "agents");
  await shot(page, "console-agents-en");
  await page.click("#agent-list-new");
  await page.fill("#agent-extension", "1005");
  await page.fill("#agent-name", "Lin Mei");
  await page.fill("#agent-groups", "hk, walk-in");
  await page.click("#skills-add");
  await page.selectOption('[data-field="skills[0].skill"] select', "cantonese");
  await page.fill('[data-field="skills[0].level"] input', "7");
  await page.check("#agent-newly_trained");
  await page.press("#agent-name", "Enter");
  await eventually(async () => assert.equal(await text(page, "#record-title"), "1005 Lin Mei"));
  const agent = await get("/api/v1/agents/1005");
  assert.equal(agent.name, "Lin Mei");
  assert.deepEqual(agent.skills, [{ skill: "cantonese", level: 7 }]);
  assert.deepEqual(agent.groups, ["hk", "walk-in"]);
  assert.equal(agent.newly_trained, true);
  assert.equal(agent.auto_answer, false);
  assert.ok(agent.queues.includes("cantonese-line"), JSON.stringify(agent.queues));
  await eventually(async () => assert.match(await text(page, "#agent-queues"), /cantonese-line/));
  await trailShows(page, "agent_config.saved");
  await shot(page, "console-agent-en");
  await page.click("#lang");
  await shot(page, "console-agent-zh");
  await page.click("#record-back");
  // The list has each agent's skills and groups too.
  await eventually(async () => assert.match(await text(page, '#agent-list tr[data-key="1005"]'), /cantonese 7.*hk, walk-in.*cantonese-line/));
  await shot(page, "console-agents-zh");
  await page.click("#lang");
  // The queue lists who serves it now.
  await page.click("#tab-queues");
  await page.click('[data-open="cantonese-line"]');
  await eventually(async () => assert.match(await text(page, "#queue-status"), /1005 Lin Mei/));
  await page.screenshot({ path: join(shots, "console-queue-full-en.png"), fullPage: true });
  await page.click("#lang");
  await page.screenshot({ path: join(shots, "console-queue-full-zh.png"), fullPage: true });
  await page.click("#lang");
  // The skill is in use: deleting it is refused, naming who has it.
  await page.click("#tab-skills");
  await page.click('[data-open="cantonese"]');
  await page.click("#skill-delete");
  await page.click("#skill-delete-confirm");
  await page.waitForSelector("#skill-form-error");
  assert.deepEqual(await page.locator("#skill-form-error li").allTextContents(),
    ["Queue cantonese-line needs it.", "Agent 1005 has it."]);
  assert.ok((await get("/api/v1/skills")).items.some((s) => s.name === "cantonese"));
  await shot(page, "console-skill-in-use-en");
  await page.click("#lang");
  assert.deepEqual(await page.locator("#skill-form-error li").allTextContents(),
    ["队列 cantonese-line 需要此技能。", "坐席 1005 拥有此技能。"]);
  await shot(page, "console-skill-in-use-zh");
  await page.click("#lang");
  await page.context().close();
});

test("console: an admin creates the agent's user; a weak password is refused at the password field; a reset too", async () => {
  const page = await signIn("admin");
  await tab(page, "users");
  await page.click("#user-list-new");
  await page.fill("#user-username", "lin");
  await page.fill("#user-display_name", "林美");
  await page.selectOption("#user-role", "agent");
  await page.fill("#user-extension", "1005");
  await page.fill("#user-password", "1234567890");
  await page.press("#user-password", "Enter");
  await page.waitForSelector('#user-form [data-field="password"].invalid');
  assert.equal(await text(page, '#user-form [data-field="password"] .field-problem'), "Not a run of keys or letters (1234567890, qwertyuiop).");
  await shot(page, "console-user-error-en");
  await page.fill("#user-password", "tea-at-five-42");
  await page.press("#user-password", "Enter");
  await eventually(async () => assert.equal(await text(page, "#record-title"), "lin"));
  const users = await get("/api/v1/users?limit=1000");
  const lin = users.items.find((u) => u.username === "lin");
  assert.deepEqual({ display_name: lin.display_name, role: lin.role, extension: lin.extension, disabled: lin.disabled },
    { display_name: "林美", role: "agent", extension: "1005", disabled: false });
  await trailShows(page, "user.create");
  assert.match(await text(page, "#audit-trail"), /User created/);
  // A new password: refused while weak, at that form's field; then set, and it signs in.
  await page.fill("#user-new-password", "lin");
  await page.click("#user-password-form-save");
  await page.waitForSelector('#user-password-form [data-field="password"].invalid');
  assert.match(await text(page, '#user-password-form [data-field="password"] .field-problem'), /Too short/);
  await page.fill("#user-new-password", "jasmine-tea-at-nine");
  await page.click("#user-password-form-save");
  await page.waitForSelector("#user-password-form-notice");
  await run.server.login("lin", "jasmine-tea-at-nine");
  // Display name changed, then disabled: both in the trail.
  await page.fill("#user-display_name", "林美 (HK)");
  await page.click("#user-form-save");
  await page.waitForSelector("#user-form-notice");
  await page.click("#user-disable");
  await eventually(async () => assert.equal((await get(`/api/v1/users/${lin.id}`)).disabled, true));
  await trailShows(page, "user.update");
  await eventually(async () => assert.match(await text(page, "#audit-trail"), /Display name: 林美 \(HK\)/));
  assert.equal((await get(`/api/v1/users/${lin.id}`)).display_name, "林美 (HK)");
  await shot(page, "console-user-en");
  await page.click("#lang");
  await shot(page, "console-user-zh");
  await page.click("#record-back");
  await shot(page, "console-users-zh");
  await page.click("#lang");
  await shot(page, "console-users-en");
  await page.context().close();
});

test("console: a supervisor reads every tab and cannot change anything", async () => {
  const page = await signIn("sue", "reads-the-setup-7");
  await page.click("#nav-admin");
  assert.deepEqual(await page.locator(".tabs a").allTextContents(), ["Users", "Agents", "Queues", "Skills", "Calendars", "Extensions", "Trunks", "Numbers", "Health", "Codes"]);
  for (const [id, key] of [["users", null], ["agents", "1005"], ["queues", "cantonese-line"], ["skills", "cantonese"]]) {
    await tab(page, id);
    assert.equal(await page.locator(".record-list .toolbar button.primary").count(), 0, `no New on ${id}`);
    const open = key ? `[data-open="${key}"]` : "#user-list [data-open]";
    await page.click(open);
    await page.waitForSelector(".record-form fieldset[disabled]");
    assert.equal(await page.locator(".record-form button[type=submit]").count(), 0, `no Save on ${id}`);
    assert.match(await text(page, ".read-only-note"), /only administrators/);
    // The record's trail is theirs to read (the log at large is not).
    await page.waitForSelector(`#audit-trail ${id === "users" ? ".audit-list li, #audit-trail p.muted" : ".audit-list li"}`);
    assert.doesNotMatch(await text(page, "#audit-trail"), /Only administrators|forbidden|may not/i);
    await shot(page, `console-${id}-supervisor-en`);
  }
  await page.click("#lang");
  await shot(page, "console-skills-supervisor-zh");
  await page.context().close();
});
