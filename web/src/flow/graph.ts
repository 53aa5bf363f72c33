// A flow document (docs/ivr.md) as a graph: its nodes, in the document's order, and
// their exits (the fields that name the next node). Pure functions over the ordered
// JSON of json.ts; every edit returns a new document and keeps what it does not touch
// (unknown fields, key order).
import { isArray, isObject, type JObject, type JValue, printJson, renameKey, str, withKey, withoutKey } from "./json";

export const NODE_TYPES = [
  "play", "menu", "collect", "set", "condition", "schedule", "http", "queue", "transfer", "voicemail", "hangup",
] as const;
export type NodeType = (typeof NODE_TYPES)[number];
export const isNodeType = (type: string): type is NodeType => (NODE_TYPES as readonly string[]).includes(type);

export const MENU_KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "*", "#"] as const;

/** One exit of a node: `path` names the field ("next", "options.1", "rules[0].next"),
 *  `label` what it is called on the drawing, `target` the node it names ("" when unset). */
export type Exit = { path: string; label: string; target: string; required: boolean };

/** The plain exits of each type, in the order they are drawn. */
const SIMPLE_EXITS: Record<NodeType, readonly { field: string; required: boolean }[]> = {
  play: [{ field: "next", required: true }],
  menu: [{ field: "on_failure", required: true }],
  collect: [{ field: "next", required: true }, { field: "on_failure", required: true }],
  set: [{ field: "next", required: true }],
  condition: [{ field: "else", required: true }],
  schedule: [{ field: "open", required: true }, { field: "closed", required: true }, { field: "holiday", required: false }],
  http: [{ field: "next", required: true }, { field: "on_error", required: true }],
  queue: [{ field: "on_failure", required: false }],
  transfer: [{ field: "on_failure", required: false }],
  voicemail: [],
  hangup: [],
};

/** The text of a new flow: its name, no numbers, no nodes yet. */
export function emptyFlow(name: string): string {
  return printJson(new Map<string, JValue>([["name", name], ["dids", []], ["start", ""], ["nodes", new Map()]]));
}

export const nodesOf = (doc: JObject): JObject => {
  const nodes = doc.get("nodes");
  return isObject(nodes) ? nodes : new Map();
};

export const typeOf = (node: JValue | undefined): string => (isObject(node) ? str(node.get("type")) : "");

/** The node's exits: menu options and condition rules first (as written), then the
 *  type's plain exits; an optional exit appears only when set. */
export function exitsOf(node: JValue | undefined): Exit[] {
  if (!isObject(node)) return [];
  const type = typeOf(node);
  const exits: Exit[] = [];
  if (type === "menu") {
    const options = node.get("options");
    if (isObject(options)) {
      for (const [key, target] of options) exits.push({ path: `options.${key}`, label: key, target: str(target), required: true });
    }
  }
  if (type === "condition") {
    const rules = node.get("rules");
    if (isArray(rules)) {
      rules.forEach((rule, i) => {
        if (isObject(rule)) exits.push({ path: `rules[${i}].next`, label: ruleLabel(rule), target: str(rule.get("next")), required: true });
      });
    }
  }
  if (isNodeType(type)) {
    for (const { field, required } of SIMPLE_EXITS[type]) {
      if (required || node.has(field)) exits.push({ path: field, label: field, target: str(node.get(field)), required });
    }
  }
  return exits;
}

/** The plain exits a type may have (optional ones included), for forms. */
export const simpleExits = (type: string): readonly { field: string; required: boolean }[] =>
  isNodeType(type) ? SIMPLE_EXITS[type] : [];

function ruleLabel(rule: JObject): string {
  const value = rule.get("value");
  const shown = isArray(value) ? value.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(",")
    : value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
  const text = `${str(rule.get("subject"))} ${str(rule.get("op"))} ${shown}`.trim();
  return text.length > 28 ? text.slice(0, 27) + "…" : text;
}

export type Edge = { from: string; path: string; label: string; to: string };

/** Every exit that names a node of the document. */
export function edgesOf(doc: JObject): Edge[] {
  const nodes = nodesOf(doc);
  const edges: Edge[] = [];
  for (const [id, node] of nodes) {
    for (const exit of exitsOf(node)) {
      if (exit.target && nodes.has(exit.target)) edges.push({ from: id, path: exit.path, label: exit.label, to: exit.target });
    }
  }
  return edges;
}

/** Sets (or, with "", clears) the exit at `path` of node `id`. A cleared plain exit is
 *  removed; a cleared option or rule keeps its place with "" (the check then names it). */
export function setExit(doc: JObject, id: string, path: string, target: string): JObject {
  const node = nodesOf(doc).get(id);
  if (!isObject(node)) return doc;
  let changed: JObject;
  const option = /^options\.(.+)$/.exec(path);
  const rule = /^rules\[(\d+)\]\.next$/.exec(path);
  if (option) {
    const options = node.get("options");
    changed = withKey(node, "options", withKey(isObject(options) ? options : new Map(), option[1]!, target));
  } else if (rule) {
    const rules = node.get("rules");
    if (!isArray(rules)) return doc;
    const index = Number(rule[1]);
    const current = rules[index];
    if (!isObject(current)) return doc;
    changed = withKey(node, "rules", rules.map((r, i) => (i === index ? withKey(current, "next", target) : r)));
  } else {
    changed = target ? withKey(node, path, target) : withoutKey(node, path);
  }
  return setNode(doc, id, changed);
}

export function setNode(doc: JObject, id: string, node: JObject): JObject {
  return withKey(doc, "nodes", withKey(nodesOf(doc), id, node));
}

/** What a new node of each type starts with: its required fields. */
export function template(type: NodeType): JObject {
  // No prompt yet: the check says it is missing until a text is typed (PromptEditor
  // then writes it after "type").
  const fields: [string, JValue][] = [["type", type]];
  switch (type) {
    case "play": fields.push(["next", ""]); break;
    case "menu": fields.push(["options", new Map([["1", ""]])], ["on_failure", ""]); break;
    case "collect": fields.push(["variable", "digits_in"], ["next", ""], ["on_failure", ""]); break;
    case "set": fields.push(["variables", new Map([["name", "value"]])], ["next", ""]); break;
    case "condition":
      fields.push(["rules", [new Map<string, JValue>([["subject", "caller"], ["op", "prefix"], ["value", ""], ["next", ""]])]], ["else", ""]);
      break;
    case "schedule":
      fields.push(["time_zone", "Asia/Shanghai"], ["hours", new Map(["mon", "tue", "wed", "thu", "fri"].map((d) => [d, ["09:00-18:00"]]))],
        ["open", ""], ["closed", ""]);
      break;
    case "http": fields.push(["url", "https://"], ["next", ""], ["on_error", ""]); break;
    case "queue": fields.push(["queue", ""]); break;
    case "transfer": fields.push(["to", ""]); break;
    case "voicemail": fields.push(["mailbox", "general"]); break;
    case "hangup": break;
  }
  // Unset exits are written as "" so the check names them until they are connected.
  return new Map(fields);
}

/** An id for a new node of `type` that the document does not use yet. */
export function freshId(doc: JObject, type: string): string {
  const nodes = nodesOf(doc);
  if (!nodes.has(type)) return type;
  for (let n = 2; ; n++) if (!nodes.has(`${type}-${n}`)) return `${type}-${n}`;
}

/** Adds a node at the end of `nodes`; the first node of an empty document becomes the start. */
export function addNode(doc: JObject, id: string, node: JObject): JObject {
  let out = setNode(doc, id, node);
  if (!str(out.get("start"))) out = withKey(out, "start", id);
  return out;
}

/** The exits anywhere in the document that name `id`. */
export function exitsTo(doc: JObject, id: string): { from: string; path: string }[] {
  const found: { from: string; path: string }[] = [];
  for (const [from, node] of nodesOf(doc)) {
    for (const exit of exitsOf(node)) if (exit.target === id) found.push({ from, path: exit.path });
  }
  return found;
}

/** Removes node `id`; exits that named it are cleared (so the check names them). */
export function deleteNode(doc: JObject, id: string): JObject {
  let out = doc;
  for (const { from, path } of exitsTo(doc, id)) if (from !== id) out = setExit(out, from, path, "");
  out = withKey(out, "nodes", withoutKey(nodesOf(out), id));
  if (str(out.get("start")) === id) out = withKey(out, "start", "");
  return out;
}

export const VALID_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Renames node `from` in its place and every exit (and the start) that named it. */
export function renameNode(doc: JObject, from: string, to: string): JObject {
  let out = doc;
  for (const { from: source, path } of exitsTo(doc, from)) out = setExit(out, source, path, to);
  out = withKey(out, "nodes", renameKey(nodesOf(out), from, to));
  if (str(out.get("start")) === from) out = withKey(out, "start", to);
  return out;
}

/** A problem the server found (api.md, IVR call flows). */
export type Problem = { node: string; field: string; message: string; pointer: string; line?: number };

/** Whether `problem` is about `field` of its node: the field itself, or inside it
 *  ("options.1" and "prompt[0].text" are inside "options" and "prompt"). */
export function problemIn(problem: Problem, field: string): boolean {
  return problem.field === field || problem.field.startsWith(field + ".") || problem.field.startsWith(field + "[");
}

/** A short summary of a node's main setting, for its card. */
export function summaryOf(node: JValue | undefined, language: "zh" | "en"): string {
  if (!isObject(node)) return "";
  switch (typeOf(node)) {
    case "play": case "menu": case "collect": case "voicemail": {
      const text = promptText(node.get("prompt"), language);
      const head = typeOf(node) === "voicemail" ? str(node.get("mailbox")) : typeOf(node) === "collect" ? "${" + str(node.get("variable")) + "} " : "";
      return (head ? head + (text ? " · " : "") : "") + text;
    }
    case "queue": return str(node.get("queue"));
    case "transfer": return str(node.get("to"));
    case "http": return `${str(node.get("method")) || "GET"} ${str(node.get("url"))}`;
    case "set": {
      const variables = node.get("variables");
      return isObject(variables) ? [...variables.keys()].join(", ") : "";
    }
    case "schedule": return str(node.get("time_zone"));
    default: return str(node.get("description"));
  }
}

/** The prompt's text in `language` (else the first text, else the first file). */
export function promptText(prompt: JValue | undefined, language: "zh" | "en"): string {
  const items = isArray(prompt) ? prompt : prompt === undefined ? [] : [prompt];
  const objects = items.filter(isObject);
  const mine = objects.find((item) => promptLanguage(item) === language && str(item.get("text")));
  const any = mine ?? objects.find((item) => str(item.get("text"))) ?? objects.find((item) => str(item.get("file")));
  return any ? str(any.get("text")) || str(any.get("file")) : "";
}

/** "zh", "en" or "" for a TTS prompt item, by its language (else its voice). */
export function promptLanguage(item: JObject): "zh" | "en" | "" {
  if (item.has("file")) return "";
  const language = str(item.get("language")).toLowerCase();
  const voice = str(item.get("voice")).toLowerCase();
  if (language.startsWith("zh") || (!language && (voice === "cmn" || voice.startsWith("zh")))) return "zh";
  if (language.startsWith("en") || (!language && voice.startsWith("en"))) return "en";
  return "";
}
