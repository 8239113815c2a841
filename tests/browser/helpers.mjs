// Shared set-up for the browser tests: the real sillypaste binary on a free loopback port
// with a fresh SQLite file, and Debian's Chromium driven by playwright-core.
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, openSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const BIN = process.env.SILLYPASTE_BIN || join(REPO, "build/test/sillypaste");
export const SCREENSHOTS = process.env.SILLYPASTE_SCREENSHOTS || join(REPO, "build/screenshots");
const CHROMIUM = process.env.CHROMIUM_BIN || "/usr/bin/chromium";

// Flags that let Debian's Chromium run headless as root on a machine without a network.
const CHROMIUM_ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--disable-dev-shm-usage",
];

function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once("error", fail);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

async function waitForPong(base, proc, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`sillypaste serve exited with ${proc.exitCode}`);
    try {
      const r = await fetch(base + "/health/ping/");
      if (r.ok && (await r.text()).trim() === "pong") return;
      last = `status ${r.status}`;
    } catch (e) {
      last = String(e);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`sillypaste serve did not answer /health/ping/ within ${timeoutMs} ms (${last})`);
}

// Starts `sillypaste serve` with the settings in `env` added; returns { base, dir, stop() }.
export async function startServer({ env: settings = {} } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "sillypaste-browser-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = Object.fromEntries(Object.entries(process.env).filter(
    ([k]) => !k.startsWith("SILLYPASTE_") && !["DATABASE_URL", "PORT", "DJANGO_ALLOWED_HOSTS"].includes(k)));
  env.ASAN_OPTIONS = env.ASAN_OPTIONS || "detect_leaks=0";
  Object.assign(env, settings);
  const log = openSync(join(dir, "server.log"), "w");
  const proc = spawn(BIN, ["serve", "--bind", `127.0.0.1:${port}`,
    "--database-url", `sqlite:///${join(dir, "t.db")}`], { cwd: dir, env, stdio: ["ignore", log, log] });
  try {
    await waitForPong(base, proc, 30000);
  } catch (e) {
    proc.kill("SIGKILL");
    throw new Error(`${e.message}; log in ${join(dir, "server.log")}`);
  }
  return {
    base,
    dir,
    async stop() {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once("exit", r));
        proc.kill("SIGTERM");
        const timer = setTimeout(() => proc.kill("SIGKILL"), 10000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

export function screenshotPath(name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return join(SCREENSHOTS, name + ".png");
}

let counter = 0;
export function unique() {
  counter += 1;
  return `${Date.now().toString(36)}${process.pid.toString(36)}${counter}`;
}

// Creates a paste through the form; returns its page URL (after the redirect).
export async function createPaste(page, base, { title, body, language = "", expiry = "never" }) {
  await page.goto(base + "/paste/");
  await page.fill("#id_title", title);
  await page.fill("#id_body", body);
  if (language) await page.selectOption("#id_language", { label: language });
  await page.selectOption("#id_expiry_preset", expiry);
  await Promise.all([page.waitForURL(/\/\d+\/$|\/s\/[^/]+\/$/), page.click("form.paste-form button[type=submit]")]);
  return page.url();
}
