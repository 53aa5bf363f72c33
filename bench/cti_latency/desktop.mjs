// One agent's desktop in headless Chromium, for bench/cti_latency/run --desktop:
// signs in, then logs every change of the call panel (its call, its state) and of
// #customer-name with the page's clock (Date.now(): the machine's clock), both when the
// DOM changed and at the next animation frame (when the page paints it). Prints
// "ready" once watching, and the log as one JSON line when stdin closes.
//   node desktop.mjs BASE USERNAME PASSWORD
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const { chromium } = await import(pathToFileURL(join(root, "web", "node_modules", "playwright-core", "index.mjs")).href);
const [base, username, password] = process.argv.slice(2);

const browser = await chromium.launch({
  executablePath: process.env.UNICC_CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
const page = await browser.newPage();
await page.goto(base + "/");
await page.fill("#username", username);
await page.fill("#password", password);
await page.click("button[type=submit]");
await page.waitForSelector("#call-panel", { timeout: 20000 });
await page.evaluate(() => {
  const log = [];
  let last = "";
  const note = () => {
    const panel = document.querySelector("#call-panel");
    const call = panel?.getAttribute("data-call") ?? "";
    const state = panel?.getAttribute("data-state") ?? "";
    const name = document.querySelector("#customer-name")?.textContent ?? "";
    if (`${call}|${state}|${name}` === last) return;
    last = `${call}|${state}|${name}`;
    const entry = { at: Date.now(), call, state, name, frame: null };
    log.push(entry);
    requestAnimationFrame(() => { entry.frame = Date.now(); });
  };
  new MutationObserver(note).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  note();
  window.deskLog = log;
});
console.log("ready");
process.stdin.resume();
await new Promise((resolve) => process.stdin.on("end", resolve));
console.log(JSON.stringify(await page.evaluate(() => window.deskLog)));
await browser.close();
