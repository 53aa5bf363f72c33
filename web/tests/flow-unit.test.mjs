// The designer's pure functions (web/src/flow: json.ts, graph.ts, layout.ts, diff.ts),
// bundled with esbuild (Vite's) and run under node's test runner: ordered JSON that
// round-trips, graph edits that keep what they do not touch, a layout without overlaps,
// a line diff. Run by ctest as web_flow_unit.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";

const source = process.env.UNICC_SOURCE_DIR ?? join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "unicc-flow-unit-"));
const outfile = join(dir, "flow.mjs");
await build({
  stdin: {
    contents: ["json", "graph", "layout", "diff"].map((m) => `export * from "./${m}";`).join("\n"),
    resolveDir: join(source, "web", "src", "flow"), loader: "ts",
  },
  bundle: true, format: "esm", outfile, logLevel: "warning",
});
const f = await import(outfile);
rmSync(dir, { recursive: true, force: true });

const demo = readFileSync(join(source, "etc", "flows", "demo-main.json"), "utf8");

test("json: parses into Maps in the author's order, prints and parses back to the same document", () => {
  const parsed = f.parseJson(demo);
  assert.equal(parsed.ok, true);
  assert.deepEqual(f.toPlain(parsed.value), JSON.parse(demo));
  const printed = f.printJson(parsed.value);
  assert.deepEqual(f.toPlain(f.parseJson(printed).value), JSON.parse(demo));
  assert.equal(f.printJson(f.parseJson(printed).value), printed, "printing is stable");
  const keys = f.parseJson('{"#": 1, "1": 2, "b": 3, "a": 4}').value;
  assert.deepEqual([...keys.keys()], ["#", "1", "b", "a"], "integer-like keys keep their place");
  assert.match(f.printJson(keys), /"#": 1.*"1": 2/s);
  const node = f.parseJson('{"type": "menu", "options": {}, "on_failure": "x"}').value;
  assert.deepEqual([...f.withKeyAfter(node, "prompt", "p", ["type", "description"]).keys()], ["type", "prompt", "options", "on_failure"]);
  assert.deepEqual([...f.withKeyAfter(node, "options", 1, ["type"]).keys()], ["type", "options", "on_failure"], "kept in its place");
});

test("json: errors carry line and column; duplicate keys and deep nesting are errors", () => {
  assert.deepEqual(f.parseJson('{\n  "a": [1,\n  2,]\n}'), { ok: false, message: "unexpected ']'", line: 3, column: 5 });
  const twice = f.parseJson('{"a": 1,\n "a": 2}');
  assert.equal(twice.ok, false);
  assert.equal(twice.message, "key 'a' given twice");
  assert.equal(twice.line, 2);
  assert.equal(f.parseJson("[".repeat(70) + "]".repeat(70)).ok, false);
  assert.equal(f.parseJson('"\\u00e9\\n"').value, "é\n");
  assert.equal(f.parseJson("{} x").ok, false);
});

test("graph: exits, connecting, renaming and deleting keep unknown fields and order", () => {
  const doc = f.parseJson(demo).value;
  const main = f.nodesOf(doc).get("main");
  assert.deepEqual(f.exitsOf(main).map((e) => `${e.path}=${e.target}`),
    ["options.1=sales", "options.2=support", "options.3=balance", "options.9=message", "on_failure=support"]);
  const renamed = f.renameNode(doc, "support", "help");
  assert.deepEqual([...f.nodesOf(renamed).keys()], [...f.nodesOf(doc).keys()].map((k) => (k === "support" ? "help" : k)));
  assert.equal(f.nodesOf(renamed).get("main").get("on_failure"), "help");
  assert.equal(f.nodesOf(renamed).get("main").get("options").get("2"), "help");
  const deleted = f.deleteNode(doc, "message");
  assert.equal(f.nodesOf(deleted).has("message"), false);
  assert.equal(f.nodesOf(deleted).get("main").get("options").get("9"), "", "an option keeps its key, unconnected");
  assert.equal(f.nodesOf(deleted).get("sales").has("on_failure"), false, "an optional exit is removed");
  const withExtra = f.setNode(doc, "sales", f.withKey(f.nodesOf(doc).get("sales"), "colour", "red"));
  const connected = f.setExit(withExtra, "sales", "on_failure", "support");
  assert.equal(f.nodesOf(connected).get("sales").get("colour"), "red");
  assert.deepEqual([...f.nodesOf(connected).get("sales").keys()], ["type", "queue", "on_failure", "colour"]);
  let built = f.addNode(new Map([["name", "x"], ["start", ""], ["nodes", new Map()]]), "play", f.template("play"));
  assert.equal(built.get("start"), "play", "the first node becomes the start");
  for (const type of f.NODE_TYPES) built = f.addNode(built, f.freshId(built, type), f.template(type));
  assert.equal(f.nodesOf(built).has("play-2"), true);
});

test("layout: columns from the start, loops do not push columns, no two cards overlap", () => {
  const doc = f.parseJson(demo).value;
  const nodes = [...f.nodesOf(doc)].map(([id, node]) => ({ id, height: 40 + 19 * f.exitsOf(node).length }));
  const edges = f.edgesOf(doc).map((e) => ({ from: e.from, to: e.to, port: 0 }));
  const placed = f.layout(nodes, doc.get("start"), edges, (p) => 50 + p * 19);
  const box = (id) => placed.boxes.get(id);
  assert.equal(box("hours").column, 0);
  assert.equal(box("welcome").column, 1);
  assert.equal(box("main").column, 2);
  assert.ok(box("say-balance").column > box("balance").column, "say-balance (which loops back to main) is right of balance");
  const all = [...placed.boxes.values()];
  for (const a of all) {
    assert.ok(a.x >= 0 && a.y >= 0 && a.x + a.w <= placed.width && a.y + a.h <= placed.height);
    for (const b of all) {
      if (a === b) continue;
      const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
      assert.ok(apart, `overlap ${JSON.stringify(a)} ${JSON.stringify(b)}`);
    }
  }
});

test("diff: lines added, removed and kept", () => {
  const lines = f.diffLines("a\nb\nc\n", "a\nx\nc\nd\n");
  assert.deepEqual(lines.map((l) => `${l.kind[0]}${l.text}`), ["sa", "rb", "ax", "sc", "ad"]);
  assert.ok(f.diffLines(demo, demo).every((l) => l.kind === "same"));
  assert.deepEqual(f.diffLines("", "q").map((l) => l.kind), ["removed", "added"]);
});
