// JSON that keeps the author's order: objects are Maps, so keys such as "1" or "#"
// stay where they were written (a plain object puts integer-like keys first). The
// designer edits flow documents as these values and prints them back; nothing it
// does not know is dropped. Pure functions, no DOM.

export type JValue = null | boolean | number | string | JValue[] | JObject;
export type JObject = Map<string, JValue>;

export const isObject = (value: JValue | undefined): value is JObject => value instanceof Map;
export const isArray = (value: JValue | undefined): value is JValue[] => Array.isArray(value);
export const str = (value: JValue | undefined): string => (typeof value === "string" ? value : "");

export type ParseResult = { ok: true; value: JValue } | { ok: false; message: string; line: number; column: number };

const MAX_DEPTH = 64; // the server's limit (docs/ivr.md)

class ParseError extends Error {
  constructor(message: string, readonly at: number) {
    super(message);
  }
}

/** Parses JSON text; a syntax error, a key given twice or nesting deeper than 64
 *  levels is one error with its line and column (1-based). */
export function parseJson(text: string): ParseResult {
  let i = 0;
  const fail = (message: string, at = i): never => {
    throw new ParseError(message, at);
  };
  const space = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const literal = (word: string, value: JValue): JValue => {
    if (text.startsWith(word, i)) {
      i += word.length;
      return value;
    }
    return fail(`unexpected '${text[i]}'`);
  };
  const string = (): string => {
    const start = i;
    i++; // the opening quote
    let out = "";
    for (;;) {
      if (i >= text.length) fail("unterminated string", start);
      const c = text[i]!;
      if (c === '"') {
        i++;
        return out;
      }
      if (c < " ") fail("control character in a string");
      if (c === "\\") {
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
        if (e !== undefined && e in simple) {
          out += simple[e];
          i += 2;
        } else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          fail("bad escape in a string");
        }
      } else {
        out += c;
        i++;
      }
    }
  };
  const number = (): number => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!match) return fail(`unexpected '${text[i]}'`);
    i += match[0].length;
    return Number(match[0]);
  };
  const value = (depth: number): JValue => {
    if (depth > MAX_DEPTH) fail(`nested deeper than ${MAX_DEPTH} levels`);
    space();
    const c = text[i];
    if (c === undefined) return fail("unexpected end of text");
    if (c === "{") {
      i++;
      const out: JObject = new Map();
      space();
      if (text[i] === "}") {
        i++;
        return out;
      }
      for (;;) {
        space();
        if (text[i] !== '"') fail("expected a key in quotes");
        const keyAt = i;
        const key = string();
        if (out.has(key)) fail(`key '${key}' given twice`, keyAt);
        space();
        if (text[i] !== ":") fail("expected ':'");
        i++;
        out.set(key, value(depth + 1));
        space();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return out;
        }
        fail("expected ',' or '}'");
      }
    }
    if (c === "[") {
      i++;
      const out: JValue[] = [];
      space();
      if (text[i] === "]") {
        i++;
        return out;
      }
      for (;;) {
        out.push(value(depth + 1));
        space();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return out;
        }
        fail("expected ',' or ']'");
      }
    }
    if (c === '"') return string();
    if (c === "t") return literal("true", true);
    if (c === "f") return literal("false", false);
    if (c === "n") return literal("null", null);
    return number();
  };
  try {
    const result = value(1);
    space();
    if (i < text.length) fail("text after the end of the document");
    return { ok: true, value: result };
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    const before = text.slice(0, error.at);
    const line = before.split("\n").length;
    return { ok: false, message: error.message, line, column: error.at - before.lastIndexOf("\n") };
  }
}

const WIDTH = 100;

function inline(value: JValue): string {
  if (isObject(value)) {
    if (value.size === 0) return "{}";
    return "{" + [...value].map(([k, v]) => `${JSON.stringify(k)}: ${inline(v)}`).join(", ") + "}";
  }
  if (isArray(value)) return "[" + value.map(inline).join(", ") + "]";
  return JSON.stringify(value);
}

/** Prints a value for people: two spaces a level, a short object or list on one line
 *  (the style of etc/flows), the document and its nodes map always one entry a line. */
export function printJson(value: JValue): string {
  const print = (v: JValue, indent: string, used: number, depth: number, key = ""): string => {
    if (!isObject(v) && !isArray(v)) return JSON.stringify(v);
    const one = inline(v);
    const broken = depth === 0 || (depth === 1 && key === "nodes");
    if (!broken && used + one.length <= WIDTH) return one;
    const inner = indent + "  ";
    if (isObject(v)) {
      if (v.size === 0) return "{}";
      const lines = [...v].map(([k, item]) => {
        const head = `${inner}${JSON.stringify(k)}: `;
        return head + print(item, inner, head.length + 1, depth + 1, k);
      });
      return "{\n" + lines.join(",\n") + "\n" + indent + "}";
    }
    if (v.length === 0) return "[]";
    return "[\n" + v.map((item) => inner + print(item, inner, inner.length + 1, depth + 1)).join(",\n") + "\n" + indent + "]";
  };
  return print(value, "", 0, 0) + "\n";
}

/** A plain JS value (JSON.parse's) as a JValue, in its own key order. */
export function fromPlain(value: unknown): JValue {
  if (value === null || typeof value === "boolean" || typeof value === "number" || typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(fromPlain);
  return new Map(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, fromPlain(v)]));
}

/** For comparing documents: a plain JS value. */
export function toPlain(value: JValue): unknown {
  if (isObject(value)) return Object.fromEntries([...value].map(([k, v]) => [k, toPlain(v)]));
  if (isArray(value)) return value.map(toPlain);
  return value;
}

/** A copy of `object` with `key` set (kept in its place, or added at the end). */
export function withKey(object: JObject, key: string, value: JValue): JObject {
  const out = new Map(object);
  out.set(key, value);
  return out;
}

/** A copy of `object` with `key` set: in its place when there, else right after the
 *  last of `after` that the object has (else at the end). */
export function withKeyAfter(object: JObject, key: string, value: JValue, after: readonly string[]): JObject {
  if (object.has(key)) return withKey(object, key, value);
  const anchor = [...object.keys()].filter((k) => after.includes(k)).pop();
  if (anchor === undefined) return withKey(object, key, value);
  const out: JObject = new Map();
  for (const [k, v] of object) {
    out.set(k, v);
    if (k === anchor) out.set(key, value);
  }
  return out;
}

/** A copy of `object` without `key`. */
export function withoutKey(object: JObject, key: string): JObject {
  const out = new Map(object);
  out.delete(key);
  return out;
}

/** A copy of `object` with `key` renamed in its place. */
export function renameKey(object: JObject, from: string, to: string): JObject {
  return new Map([...object].map(([k, v]) => [k === from ? to : k, v]));
}
