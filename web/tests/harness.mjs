// What the browser tests share: the server harness (serve.py), waiting for a
// condition, and what a page sent and received on the wire.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, afterEach, before } from "node:test";
import { chromium } from "playwright-core";

const source = process.env.UNICC_SOURCE_DIR;

/** serve.py: the server, and SIPp calls on request. */
export class TestServer {
  static async start() {
    const server = new TestServer();
    server.process = spawn("python3", [join(source, "web", "tests", "serve.py")], {
      stdio: ["pipe", "pipe", "inherit"],
      env: { ...process.env, PYTHONPATH: join(source, "tests", "integration"), PYTHONDONTWRITEBYTECODE: "1" },
    });
    server.waiting = new Map();
    server.nextId = 1;
    const lines = createInterface({ input: server.process.stdout });
    const ready = new Promise((resolve, reject) => {
      server.process.on("exit", (code) => reject(new Error(`serve.py exited with ${code}`)));
      lines.on("line", (line) => {
        const message = JSON.parse(line);
        if (message.base) resolve(message);
        else server.waiting.get(message.id)?.(message);
      });
    });
    process.on("exit", () => server.process.kill());
    Object.assign(server, await ready);
    return server;
  }

  /** Runs a SIPp operation in serve.py; resolves with {ok, explain}. */
  sip(op, fields) {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.process.stdin.write(JSON.stringify({ id, op, ...fields }) + "\n");
    });
  }

  async rest(method, path, body, token) {
    const headers = { "Content-Type": "application/json" };
    if (token) headers.Authorization = `Bearer ${token}`;
    const response = await fetch(this.base + path, { method, headers, body: body && JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  async login(username = "admin", password = "unicc-demo") {
    const { status, body } = await this.rest("POST", "/api/v1/login", { username, password });
    assert.equal(status, 200, JSON.stringify(body));
    return body.token;
  }

  stop() {
    this.process.stdin.end();
  }
}

/** Headless Debian Chromium with a fresh temporary profile of its own. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.UNICC_CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}

/** The hooks of a browser test file: serve.py, Chromium and an admin's REST token
 *  before the tests (in the returned object, filled in then), no uncaught error in a
 *  page after each test, everything stopped after all. `prepare(run)` runs once the
 *  server and token are there (a file's own users, data). */
export function browserTests(prepare = async () => {}) {
  const run = { server: null, browser: null, admin: null, pageErrors: [] };
  before(async () => {
    run.server = await TestServer.start();
    run.browser = await launchBrowser();
    run.admin = await run.server.login();
    await prepare(run);
  });
  after(async () => {
    await run.browser?.close();
    run.server?.stop();
  });
  afterEach(() => assert.deepEqual(run.pageErrors.splice(0), [], "uncaught errors in the page"));
  return run;
}

/** A page of its own (1366×768, English) signed in as `username`; its uncaught errors
 *  go to `errors`. `options` adds to the browser context's (e.g. acceptDownloads). */
export async function signedInPage(browser, base, username, password, errors, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: "en-US", ...options });
  const page = await context.newPage();
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.goto(base + "/");
  await page.fill("#username", username);
  await page.fill("#password", password);
  await page.click("button[type=submit]");
  await page.waitForSelector("#user");
  return page;
}

export async function eventually(check, seconds = 5) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** What went wrong on the wire for the pages, written next to the screenshots (to
 *  explain a failure after the fact): failed requests, 5xx answers, console errors. */
export function recordTraffic(target, traffic) {
  const note = (text) => traffic.push(`${new Date().toISOString()} ${text}`);
  target.on("requestfailed", (request) => note(`failed ${request.method()} ${request.url()}: ${request.failure()?.errorText}`));
  target.on("pageerror", (error) => note(`pageerror ${error.stack ?? error}`));
  target.on("request", (request) => note(`> ${request.method()} ${request.url()}`));
  target.on("response", (response) => note(`< ${response.status()} ${response.url()}`));
  target.on("websocket", (ws) => {
    const id = ws.url().slice(-6);
    note(`ws ${id} created`);
    ws.on("close", () => note(`ws ${id} closed`));
    ws.on("socketerror", (error) => note(`ws ${id} error ${error}`));
    ws.on("framereceived", ({ payload }) => { if (String(payload).includes('"hello"')) note(`ws ${id} hello`); });
  });
  target.on("console", (message) => { if (message.type() === "error") note(`console: ${message.text()}`); });
  target.on("framenavigated", (frame) => { if (frame === target.mainFrame()) note(`navigated ${frame.url()}`); });
}

/** What the server sent a page on its event streams, as the browser received it: one
 *  entry per event (the app asks for batches: a frame may hold an array of them). */
export function framesOf(target) {
  const frames = [];
  target.on("websocket", (ws) => ws.on("framereceived", ({ payload }) => {
    try {
      const parsed = JSON.parse(String(payload));
      for (const event of Array.isArray(parsed) ? parsed : [parsed]) frames.push({ at: Date.now(), ...event });
    } catch { /* not JSON */ }
  }));
  return frames;
}

/** What a page sent: the JSON frames on its event streams (as the browser sent them)
 *  and its HTTP requests ("POST /api/v1/…"). A stream routed by the test
 *  (routeWebSocket) is not the browser's: its frames are not seen here. */
export function sentBy(target) {
  const sent = { frames: [], http: [] };
  target.on("websocket", (ws) => ws.on("framesent", ({ payload }) => {
    try {
      sent.frames.push(JSON.parse(String(payload)));
    } catch { /* not JSON */ }
  }));
  target.on("request", (request) => sent.http.push(`${request.method()} ${new URL(request.url()).pathname}`));
  return sent;
}

/** A user made over REST by `admin` (a test's supervisor, QA…); fails unless created. */
export async function addUser(server, admin, user) {
  const created = await server.rest("POST", "/api/v1/users", user, admin);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body;
}

/** A 16-bit mono WAV of a `frequency` Hz tone. */
export function toneWav(path, seconds, frequency = 440, rate = 22050) {
  const samples = Math.round(seconds * rate);
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) data.writeInt16LE(Math.round(9000 * Math.sin((2 * Math.PI * frequency * i) / rate)), i * 2);
  const head = Buffer.alloc(44);
  head.write("RIFF", 0);
  head.writeUInt32LE(36 + data.length, 4);
  head.write("WAVEfmt ", 8);
  head.writeUInt32LE(16, 16);
  head.writeUInt16LE(1, 20);
  head.writeUInt16LE(1, 22);
  head.writeUInt32LE(rate, 24);
  head.writeUInt32LE(rate * 2, 28);
  head.writeUInt16LE(2, 32);
  head.writeUInt16LE(16, 34);
  head.write("data", 36);
  head.writeUInt32LE(data.length, 40);
  writeFileSync(path, Buffer.concat([head, data]));
}
