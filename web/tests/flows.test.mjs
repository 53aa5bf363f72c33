// The IVR flow designer (issue 18) in a real browser against a real server
// (harness.mjs: serve.py's `unicc serve --demo`): an admin draws a flow — play → menu
// with two keys → queue and voicemail —, sees the check's problems pinned to the menu
// and its key until they are fixed, saves and publishes; the published flow, fetched
// over REST, is exactly what the JSON view shows, validates, and passes `unicc
// check-flow`. The JSON view round-trips a pasted document (key order, unknown text
// kept as typed), versions are compared and rolled back. Run by ctest as web_flows;
// screenshots in both languages go to UNICC_SCREENSHOT_DIR.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { browserTests, eventually, signedInPage } from "./harness.mjs";

const shots = process.env.UNICC_SCREENSHOT_DIR || join(tmpdir(), "unicc-web-screenshots");
mkdirSync(shots, { recursive: true });
const FLOW = "hotline-test";

const run = browserTests();

async function open(username, password = "unicc-demo") {
  const page = await signedInPage(run.browser, run.server.base, username, password, run.pageErrors);
  page.on("dialog", (dialog) => void dialog.accept());
  await page.waitForSelector("#nav-flows");
  await page.click("#nav-flows");
  await page.waitForSelector("#flow-filter");
  return page;
}

const card = (id) => `.flow-card[data-node="${id}"]`;
const port = (id, exit) => `${card(id)} [data-exit="${exit}"] .flow-port`;

async function checkState(page) {
  return (await page.textContent("#flow-check")).trim();
}

async function waitChecked(page, expected) {
  await eventually(async () => assert.equal(await checkState(page), expected), 10);
}

test("flows: an admin draws play → menu → queue and voicemail, fixes the pinned problems, publishes; REST and check-flow agree with the JSON view", async () => {
  const page = await open("admin");
  // A name that is not a flow name is refused inline.
  await page.fill("#flow-new-name", "bad name!");
  await page.click("#flow-new");
  assert.match(await page.textContent("#flow-new-error"), /1–64 letters/);
  await page.fill("#flow-new-name", FLOW);
  await page.click("#flow-new");
  await page.waitForSelector("#flow-canvas");
  assert.equal(await page.textContent("#flow-state"), "New, not saved");

  // The flow's settings: its number.
  await page.fill('#flow-form [data-field="dids"] input', "4321");

  // play: the first node becomes the start; prompts side by side in both languages.
  await page.selectOption("#add-node", "play");
  await page.waitForSelector(`${card("play")}.selected`);
  assert.equal(await page.inputValue("#node-id"), "play");
  await page.fill('#node-form [data-field="prompt"] textarea[data-lang="zh"]', "您好，欢迎致电。");
  await page.fill('#node-form [data-field="prompt"] textarea[data-lang="en"]', "Hello, and welcome.");
  assert.match(await page.textContent(`${card("play")} .flow-card-summary`), /Hello, and welcome/);

  // menu, added on play's "next" exit: select the exit, then add the node.
  await page.click("#flow-fit");
  await page.click(port("play", "next"));
  await page.waitForSelector("#flow-connecting");
  await page.selectOption("#add-node", "menu");
  await page.waitForSelector(`${card("menu")}.selected`);
  assert.equal(await page.getAttribute(`${card("play")} [data-exit="next"]`, "data-exit"), "next");
  assert.equal((await page.textContent(`${card("play")} [data-exit="next"] .flow-exit-target`)).trim(), "menu");
  await page.fill('#node-form [data-field="prompt"] textarea[data-lang="zh"]', "咨询请按1，留言请按2。");
  await page.fill('#node-form [data-field="prompt"] textarea[data-lang="en"]', "For questions press 1, to leave a message press 2.");
  await page.click("#add-option");
  assert.equal(await page.locator(`${card("menu")} [data-exit^="options."]`).count(), 2);

  // queue on key 1; the node form names the queue (the server's queues are suggested).
  await page.click("#flow-fit");
  await page.click(port("menu", "options.1"));
  await page.selectOption("#add-node", "queue");
  await page.waitForSelector(`${card("queue")}.selected`);
  await page.fill('#node-form [data-field="queue"] input', "support");

  // voicemail, added on its own: unreachable, and key 2 of the menu is not connected.
  await page.selectOption("#add-node", "voicemail");
  await page.waitForSelector(`${card("voicemail")}.selected`);
  await page.fill('#node-form [data-field="prompt"] textarea[data-lang="en"]', "Please leave a message after the tone.");
  await waitChecked(page, "3 problem(s)");
  await page.click("#flow-fit");
  const menuProblems = await page.$$eval('#flow-problems .flow-problem[data-node="menu"]', (items) => items.map((i) => i.dataset.field));
  assert.deepEqual(menuProblems.sort(), ["on_failure", "options.2"]);
  assert.equal(await page.locator('#flow-problems .flow-problem[data-node="voicemail"]').count(), 1);
  assert.ok(await page.locator(`${card("menu")}.has-problem`).count(), "the menu card is marked");
  assert.equal((await page.textContent(`${card("menu")} .flow-card-problems`)).trim(), "2");
  assert.ok(await page.locator(`${card("voicemail")}.has-problem`).count());
  await page.screenshot({ path: join(shots, "flows-designer-problems-en.png") });
  assert.equal(await page.isDisabled("#flow-publish"), true, "a flow with problems cannot be published");

  // The problem in the list jumps to the node and its field: key 2's drop-down.
  await page.click('#flow-problems .flow-problem[data-node="menu"][data-field="options.2"]');
  await page.waitForSelector('#node-form[data-node="menu"]');
  assert.ok(await page.locator('#node-form [data-field="options"].has-problem').count(), "pinned to the field");
  const focused = await page.evaluate(() => document.activeElement?.closest("[data-option]")?.getAttribute("data-option"));
  assert.equal(focused, "2");
  // Connected from the form's drop-down of nodes…
  await page.selectOption('#node-form [data-option="2"] select:not(.key-select)', "voicemail");
  // …and the failure exit by clicking the target on the drawing.
  await page.click("#flow-fit");
  await page.click(port("menu", "on_failure"));
  await page.click(card("queue"));
  assert.equal((await page.textContent(`${card("menu")} [data-exit="on_failure"] .flow-exit-target`)).trim(), "queue");
  await waitChecked(page, "No problems");
  assert.equal(await page.locator(".flow-card.has-problem").count(), 0);
  assert.equal(await page.locator("#flow-problems .flow-problem").count(), 0);

  // Keyboard: a focused card is deleted with the Delete key; Undo brings it back.
  await page.selectOption("#add-node", "hangup");
  await page.waitForSelector(`${card("hangup")}.selected`);
  await page.focus(card("hangup"));
  await page.keyboard.press("Delete");
  await page.waitForSelector(card("hangup"), { state: "detached" });
  await page.click("#flow-undo");
  await page.waitForSelector(card("hangup"));
  await page.focus(card("hangup"));
  await page.keyboard.press("Delete");
  await page.waitForSelector(card("hangup"), { state: "detached" });
  await waitChecked(page, "No problems");

  // Save the draft, publish.
  await page.click("#flow-save");
  await eventually(async () => assert.equal(await page.textContent("#flow-state"), "Draft saved"));
  await page.click("#flow-publish");
  await eventually(async () => assert.match(await page.textContent("#flow-message"), /Published as version 1/));
  assert.equal(await page.textContent("#flow-state"), "Published v1");
  await page.click("#flow-fit");
  await page.screenshot({ path: join(shots, "flows-designer-en.png") });

  // What the JSON view shows is what the server published, byte for byte.
  await page.click("#view-json");
  const shown = await page.inputValue("#flow-json");
  const version = await run.server.rest("GET", `/api/v1/flows/${FLOW}/versions/1`, undefined, run.admin);
  assert.equal(version.status, 200);
  assert.equal(version.body.text, shown);
  assert.deepEqual(version.body.document, JSON.parse(shown));
  const document = JSON.parse(shown);
  assert.deepEqual(Object.keys(document.nodes), ["play", "menu", "queue", "voicemail"], "node order as drawn");
  assert.equal(document.start, "play");
  assert.deepEqual(document.dids, ["4321"]);
  assert.deepEqual(document.nodes.menu.options, { 1: "queue", 2: "voicemail" });
  assert.equal(document.nodes.menu.on_failure, "queue");
  assert.equal(document.nodes.queue.queue, "support");
  assert.deepEqual(document.nodes.play.prompt, [
    { text: "您好，欢迎致电。", voice: "cmn", language: "zh" }, { text: "Hello, and welcome.", voice: "en", language: "en" }]);
  const valid = await run.server.rest("POST", `/api/v1/flows/${FLOW}/validate`, document, run.admin);
  assert.equal(valid.status, 200, JSON.stringify(valid.body));
  const list = await run.server.rest("GET", "/api/v1/flows", undefined, run.admin);
  assert.deepEqual(list.body.items.find((f) => f.name === FLOW),
    { name: FLOW, dids: ["4321"], current_version: 1, latest_version: 1, has_draft: false });
  // `unicc check-flow` on the JSON view's text.
  const dir = mkdtempSync(join(tmpdir(), "unicc-flow-"));
  try {
    const file = join(dir, `${FLOW}.json`);
    writeFileSync(file, shown);
    const run = spawnSync(process.env.UNICC_BIN, ["check-flow", file], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stdout + run.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // Pasted JSON is drawn and shown back exactly as typed: "#" before "1", an extra
  // description, the author's spacing.
  const pasted = shown.replace('"options": {"1": "queue", "2": "voicemail"}', '"options": {"#": "play", "1": "queue", "2": "voicemail"}')
    .replace('"type": "queue",', '"type": "queue",   "description": "First-line support",');
  assert.notEqual(pasted, shown);
  await page.fill("#flow-json", "{ not json");
  await page.waitForSelector("#flow-json-error");
  assert.equal(await page.isDisabled("#view-drawing"), true, "the drawing waits for valid JSON");
  assert.equal(await page.isDisabled("#flow-save"), true);
  assert.equal(await page.isDisabled('#flow-form [data-field="name"] input'), true, "the form waits too");
  assert.equal(await page.textContent("#flow-state"), "Unsaved changes");
  await page.screenshot({ path: join(shots, "flows-json-error-en.png") });
  await page.fill("#flow-json", pasted);
  await page.waitForSelector("#flow-json-error", { state: "detached" });
  await page.click("#view-drawing");
  const exits = await page.$$eval(`${card("menu")} .flow-exit`, (rows) => rows.map((r) => r.dataset.exit));
  assert.deepEqual(exits, ["options.#", "options.1", "options.2", "on_failure"]);
  await page.click("#view-json");
  assert.equal(await page.inputValue("#flow-json"), pasted, "the JSON view keeps the pasted text");
  // An edit in the drawing prints the document again, keeping the order and the new field.
  await page.click("#view-drawing");
  await page.click("#flow-fit");
  await page.click(card("queue"));
  await page.fill('#node-form [data-field="description"] input', "Support");
  await page.click("#view-json");
  const edited = JSON.parse(await page.inputValue("#flow-json"));
  assert.equal(await page.evaluate(() => document.querySelector("#flow-json").value.indexOf('"#"') <
    document.querySelector("#flow-json").value.indexOf('"1": "queue"')), true, "'#' stays before '1'");
  assert.equal(edited.nodes.queue.description, "Support");
  await page.click("#flow-save");
  await eventually(async () => assert.equal(await page.textContent("#flow-state"), "Draft saved"));
  const draft = await run.server.rest("GET", `/api/v1/flows/${FLOW}`, undefined, run.admin);
  assert.equal(draft.body.draft.text, await page.inputValue("#flow-json"));

  // Versions: publish v2, compare v1 with it, roll back to v1.
  await page.click("#flow-publish");
  await eventually(async () => assert.match(await page.textContent("#flow-message"), /Published as version 2/));
  await page.click("#view-versions");
  await page.waitForSelector('#flow-versions tr[data-version="1"]');
  await page.selectOption("#diff-a", "1");
  await page.selectOption("#diff-b", "2");
  await eventually(async () => assert.match(await page.textContent("#diff-count"), /line\(s\) differ/));
  const added = await page.$$eval("#flow-diff .diff-added", (rows) => rows.map((r) => r.textContent));
  assert.ok(added.some((line) => line.includes('"#": "play"')), added.join("\n"));
  assert.ok(added.some((line) => line.includes('"description": "Support"')), added.join("\n"));
  await page.screenshot({ path: join(shots, "flows-versions-en.png") });
  await page.click('#flow-versions [data-rollback="1"]');
  await eventually(async () => assert.match(await page.textContent("#flow-message"), /Version 1 is current again/));
  const rolled = await run.server.rest("GET", `/api/v1/flows/${FLOW}`, undefined, run.admin);
  assert.equal(rolled.body.current_version, 1);
  // With no draft, the working copy is the current version again: v1, without "#".
  assert.equal(await page.textContent("#flow-state"), "Published v1");
  await page.click("#view-drawing");
  await page.click("#flow-fit");
  assert.deepEqual(await page.$$eval(`${card("menu")} .flow-exit`, (rows) => rows.map((r) => r.dataset.exit)),
    ["options.1", "options.2", "on_failure"]);

  // Chinese: the designer's labels and the list.
  await page.click("#lang");
  await page.click("#flow-fit");
  await page.click(card("menu"));
  await page.waitForSelector('#node-form[data-node="menu"]');
  assert.equal(await page.textContent("#view-drawing"), "流程图");
  assert.equal((await page.textContent(`${card("menu")} .flow-type`)).trim(), "菜单");
  assert.match(await page.textContent(`${card("menu")} .flow-card-summary`), /咨询请按1/);
  await page.screenshot({ path: join(shots, "flows-designer-zh.png") });
  await page.click("#flow-back");
  await page.waitForSelector(`#flow-list tr[data-flow="${FLOW}"]`);
  assert.match(await page.textContent(`#flow-list tr[data-flow="${FLOW}"]`), /4321/);
  await page.screenshot({ path: join(shots, "flows-list-zh.png") });
  await page.click("#lang");
  await page.screenshot({ path: join(shots, "flows-list-en.png") });
  await page.context().close();
});

test("flows: the demo hotline (every exit kind, a loop back to the menu) opens drawn without problems; its nodes are reached by keyboard", async () => {
  const text = readFileSync(join(process.env.UNICC_SOURCE_DIR, "etc", "flows", "demo-main.json"), "utf8")
    .replace('"name": "demo-main"', '"name": "demo-copy"').replace('"dids": ["4000"]', '"dids": ["4999"]');
  const saved = await fetch(`${run.server.base}/api/v1/flows`, {
    method: "POST", headers: { Authorization: `Bearer ${run.admin}`, "Content-Type": "application/json" }, body: text,
  });
  assert.equal(saved.status, 201);
  const page = await open("admin");
  // The search; a flow never published answers no number yet.
  await page.fill("#flow-filter", "copy");
  await eventually(async () => assert.deepEqual(await page.$$eval("#flow-list tbody tr", (rows) => rows.map((r) => r.dataset.flow)),
    ["demo-copy"]));
  assert.equal((await page.textContent('#flow-list tr[data-flow="demo-copy"] td:nth-child(2)')).trim(), "");
  await page.fill("#flow-filter", "4321");
  await eventually(async () => assert.deepEqual(await page.$$eval("#flow-list tbody tr", (rows) => rows.map((r) => r.dataset.flow)),
    [FLOW]));
  await page.fill("#flow-filter", "");
  await page.click('[data-open="demo-copy"]');
  await page.waitForSelector("#flow-canvas");
  await waitChecked(page, "No problems");
  const ids = await page.$$eval(".flow-card", (cards) => cards.map((c) => c.dataset.node));
  assert.deepEqual(ids, Object.keys(JSON.parse(text).nodes), "every node, in the document's order");
  // Every exit that names a node is an arrow: 14 in the demo.
  assert.equal(await page.locator(".flow-edge-group").count(), 14);
  // The JSON view is the draft's text as saved, untouched.
  await page.click("#view-json");
  assert.equal(await page.inputValue("#flow-json"), text);
  await page.click("#view-drawing");
  // Keyboard: Tab goes from a card through its exits' ports to the next card; Enter
  // on a port starts a connection, on a card selects it.
  await page.focus(card("hours"));
  await page.keyboard.press("Tab");
  assert.match(await page.evaluate(() => document.activeElement.getAttribute("aria-label")), /hours open/);
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.dataset.node), "welcome");
  // Arrows follow the drawing: right along the first exit, left back, down the column.
  const focusedNode = () => page.evaluate(() => document.activeElement.dataset.node);
  await page.keyboard.press("ArrowRight");
  assert.equal(await focusedNode(), "main");
  await page.keyboard.press("ArrowLeft");
  assert.equal(await focusedNode(), "welcome");
  await page.keyboard.press("ArrowDown");
  assert.equal(await focusedNode(), "closed");
  await page.keyboard.press("ArrowUp");
  assert.equal(await focusedNode(), "welcome");
  await page.keyboard.press("Enter");
  await page.waitForSelector('#node-form[data-node="welcome"]');
  assert.equal(await page.inputValue('#node-form [data-field="prompt"] textarea[data-lang="zh"]'), "您好，欢迎致电 unicc 演示热线。");
  assert.equal(await page.textContent("#flow-state"), "Draft saved");
  await page.screenshot({ path: join(shots, "flows-demo-en.png") });
  await page.click("#lang");
  await page.click(card("hours"));
  await page.waitForSelector('#node-form[data-node="hours"]');
  await page.screenshot({ path: join(shots, "flows-demo-zh.png") });
  await page.context().close();

  // A supervisor edits too, but may not save a flow with an HTTP lookup: told so, the
  // change is kept on screen.
  const created = await run.server.rest("POST", "/api/v1/users",
    { username: "sue", password: "sue-password", role: "supervisor" }, run.admin);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const supervisor = await open("sue", "sue-password");
  await supervisor.click('[data-open="demo-copy"]');
  await supervisor.waitForSelector("#flow-form");
  await supervisor.fill('#flow-form [data-field="description"] input', "Changed by a supervisor");
  assert.equal(await supervisor.textContent("#flow-state"), "Unsaved changes");
  await supervisor.click("#flow-save");
  await eventually(async () => assert.equal(await supervisor.textContent("#flow-message"),
    "Only an administrator may save or publish a flow with an HTTP lookup node.×"));
  assert.equal(await supervisor.textContent("#flow-state"), "Unsaved changes");
  assert.equal(await supervisor.inputValue('#flow-form [data-field="description"] input'), "Changed by a supervisor");
  const draft = await run.server.rest("GET", "/api/v1/flows/demo-copy", undefined, run.admin);
  assert.equal(draft.body.draft.text, text, "the draft is unchanged");
  // Another page and back: the list says the flow has unsaved changes, and they are there.
  await supervisor.click("#nav-agents");
  await supervisor.click("#nav-flows");
  await supervisor.waitForSelector('#flow-list tr[data-flow="demo-copy"]');
  assert.match(await supervisor.textContent('#flow-list tr[data-flow="demo-copy"]'), /Unsaved changes/);
  await supervisor.click('[data-open="demo-copy"]');
  await supervisor.waitForSelector("#flow-form");
  assert.equal(await supervisor.inputValue('#flow-form [data-field="description"] input'), "Changed by a supervisor");
  assert.match(await supervisor.textContent("#flow-message"), /unsaved changes to this flow were kept/);
  await supervisor.click("#flow-undo");
  assert.equal(await supervisor.inputValue('#flow-form [data-field="description"] input'), JSON.parse(text).description);
  assert.equal(await supervisor.textContent("#flow-state"), "Draft saved");
  await supervisor.context().close();
});
