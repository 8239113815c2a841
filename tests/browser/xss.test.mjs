// Hostile content (issue 9, item 6): the XSS corpus in xss-vectors.txt pasted as titles,
// bodies (plain, highlighted, Markdown, Org, left to the language guess), usernames and
// search queries, then every page that shows them loaded in headless Chromium. None may
// run: the test wraps alert/confirm/prompt/print, watches window.__xss and the document
// title, listens for dialogs, and audits the DOM for event handlers, script URLs and
// elements that load documents. CSP violations are expected (that is the CSP doing its
// work) and counted. Run: node --test tests/browser/xss.test.mjs
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { startServer, launchBrowser, BIN } from "./helpers.mjs";

// One vector a line; "# " comments; \n and \t written as escapes (see the file's header).
const VECTORS = readFileSync(new URL("./xss-vectors.txt", import.meta.url), "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "" && !line.startsWith("# ") && line !== "#")
  .map((line) => line.replaceAll("\\n", "\n").replaceAll("\\t", "\t"));
const MAX_TITLE = 100; // SPEC §3
const USERNAME = /^[\p{L}\p{N}@.+\-_]{1,150}$/u; // SPEC §3: letters, digits and @.+-_
const PASSWORD = "Kx-xss-corpus-Rw42";
const PARALLEL = 3; // pages loading at once: the server and Chromium wait on each other

// Runs in every frame before the page's own scripts: records every way a vector could
// show it ran, and every CSP violation.
function watchForScript() {
  const fired = [];
  const violations = [];
  Object.defineProperty(window, "__fired", { value: fired });
  Object.defineProperty(window, "__violations", { value: violations });
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    window[name] = (...args) => { fired.push(`${name}(${args.join(",")})`); };
  }
  let marker;
  Object.defineProperty(window, "__xss", {
    get: () => marker,
    set: (value) => { marker = value; fired.push("window.__xss set"); },
  });
  document.addEventListener("securitypolicyviolation", (e) => {
    violations.push(`${e.violatedDirective} ${e.blockedURI || "inline"}`);
  });
}

// Runs in the loaded page: what fired, and the elements and attributes that could run
// script if the CSP were weaker. Our own markup has none, so any is a vector that got
// through.
async function inspectPage(audit) {
  // autofocus and toggle events are queued tasks: let them run first
  await new Promise((done) => setTimeout(done, 10));
  const problems = [];
  const scheme = (value) => {
    try { return new URL(value, document.baseURI).protocol; } catch { return ""; }
  };
  const rasterData = /^\s*data:image\/(png|gif|jpeg|webp)[;,]/i;
  const urlAttributes = ["href", "src", "action", "formaction", "data", "xlink:href", "background", "poster"];
  for (const el of audit ? document.querySelectorAll("*") : []) {
    const tag = el.tagName.toLowerCase();
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on")) problems.push(`<${tag} ${name}>`);
      if (name === "srcdoc") problems.push(`<${tag} srcdoc>`);
      if (urlAttributes.includes(name)) {
        const protocol = scheme(attr.value);
        if (["javascript:", "vbscript:"].includes(protocol) ||
            (protocol === "data:" && !rasterData.test(attr.value))) {
          problems.push(`<${tag} ${name}=${attr.value.slice(0, 60)}>`);
        }
      }
    }
    if (["iframe", "frame", "object", "embed", "base"].includes(tag)) problems.push(`<${tag}>`);
    if (tag === "meta" && el.hasAttribute("http-equiv")) problems.push("<meta http-equiv>");
    if (tag === "script" && !(el.getAttribute("src") || "").startsWith("/static/")) {
      problems.push(`<script src=${el.getAttribute("src")}>`);
    }
  }
  const fired = [...(window.__fired || [])];
  if (document.title === "XSSED") fired.push("document.title set");
  return { fired, violations: window.__violations?.length || 0, problems };
}

let server;
let browser;
const stats = { vectors: VECTORS.length, pages: 0, fired: 0, dialogs: 0, violations: 0 };

// A browser page (in its own context, optionally with a logged-in storage state) and a
// way to load pages in it and see what fired there.
async function newVisitor(storageState) {
  // A small viewport: painting is most of what each page load costs
  const context = await browser.newContext({ viewport: { width: 480, height: 360 }, storageState });
  await context.addInitScript(watchForScript);
  const dialogs = [];
  const page = await context.newPage();
  page.on("dialog", (d) => { dialogs.push(`${d.type()}: ${d.message()}`); d.dismiss().catch(() => {}); });

  // Loads url (or runs `navigate`, which must cause one navigation); returns what fired:
  // marker calls, dialogs, DOM problems. CSP violations are counted.
  async function check(url, { navigate, status } = {}) {
    const before = dialogs.length;
    const response = navigate
      ? (await Promise.all([page.waitForNavigation({ waitUntil: "load" }), navigate(page)]))[0]
      : await page.goto(url, { waitUntil: "load" });
    if (status !== undefined) assert.equal(response.status(), status, `${url ?? page.url()}: status`);
    const html = (response.headers()["content-type"] || "").startsWith("text/html");
    const frames = page.frames();
    const seen = await Promise.all(frames.map((frame, i) =>
      frame.evaluate(inspectPage, html && i === 0).catch(() => ({ fired: [], violations: 0, problems: [] }))));
    if (frames.length > 1) seen[0].problems.push(`${frames.length - 1} child frames`);
    const fired = seen.flatMap((s) => s.fired);
    stats.pages += 1;
    stats.fired += fired.length;
    stats.dialogs += dialogs.length - before;
    stats.violations += seen.reduce((n, s) => n + s.violations, 0);
    return { url: page.url(), fired, dialogs: dialogs.slice(before), problems: seen[0].problems, response };
  }

  function assertInert(result, what = result.url) {
    assert.deepEqual(result.fired, [], `${what}: script ran`);
    assert.deepEqual(result.dialogs, [], `${what}: a dialog opened`);
    assert.deepEqual(result.problems, [], `${what}: executable markup in the DOM`);
  }

  // check + assertInert
  async function visit(url, { status = 200, what } = {}) {
    const result = await check(url, { status });
    assertInert(result, what ?? url);
    return result;
  }

  return { context, page, check, assertInert, visit, close: () => context.close() };
}

// Runs fn(visitor, item) over items on PARALLEL visitors at once.
async function inParallel(items, fn, storageState) {
  const visitors = await Promise.all(Array.from({ length: PARALLEL }, () => newVisitor(storageState)));
  let next = 0;
  try {
    await Promise.all(visitors.map(async (visitor) => {
      while (next < items.length) await fn(visitor, items[next++]);
    }));
  } finally {
    await Promise.all(visitors.map((v) => v.close()));
  }
}

async function api(method, path, { token, body } = {}) {
  const headers = { "Content-Type": "application/json" };
  if (token) headers.Authorization = `Token ${token}`;
  const r = await fetch(server.base + path, { method, headers, body: body && JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, type: r.headers.get("content-type"), json: text ? JSON.parse(text) : null };
}

async function login(page, name) {
  await page.goto(server.base + "/accounts/login/");
  await page.fill("#id_username", name);
  await page.fill("#id_password", PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click("form button[type=submit]")]);
  assert.ok(!page.url().includes("/accounts/login/"), `logged in as ${name}`);
}

// The storage state (cookies) of a browser logged in as name.
async function loggedIn(name) {
  const visitor = await newVisitor();
  await login(visitor.page, name);
  const state = await visitor.context.storageState();
  await visitor.close();
  return state;
}

const url = (path) => server.base + path;
const show = (vector) => JSON.stringify(vector).slice(0, 80);
const languages = {};
let staffName;
let user; // { name, token, state }
const titled = []; // { vector, id }: one paste per vector short enough to be a title
const batch = {}; // kind -> page URL of a paste holding every vector

// Creates a paste through the form in a browser (as a visitor would); returns its URL.
async function formPaste(page, { title, body, language = "" }) {
  await page.goto(url("/paste/"));
  await page.fill("#id_title", title);
  await page.fill("#id_body", body);
  if (language) await page.selectOption("#id_language", String(languages[language]));
  await page.selectOption("#id_expiry_preset", "never");
  await Promise.all([page.waitForURL(/\/\d+\/$/), page.click("form.paste-form button[type=submit]")]);
  return page.url();
}

before(async () => {
  server = await startServer({
    env: {
      SILLYPASTE_RATE_LIMIT_CREATE: "off",
      SILLYPASTE_RATE_LIMIT_REGISTER: "off",
      SILLYPASTE_RATE_LIMIT_LOGIN: "off",
    },
  });
  browser = await launchBrowser();
  const list = await api("GET", "/api/language/?limit=1000");
  for (const l of list.json.results) languages[l.name.toLowerCase()] = l.id;
  for (const name of ["html", "markdown", "org-mode", "javascript"]) {
    assert.ok(languages[name], `language ${name} in /api/language/`);
  }

  // A registered user, made through the form, owns the pastes with hostile titles.
  user = { name: `xss.user+${Date.now().toString(36)}` };
  const visitor = await newVisitor();
  const { page } = visitor;
  await page.goto(url("/accounts/register/"));
  await page.fill("#id_username", user.name);
  await page.fill("#id_password1", PASSWORD);
  await page.fill("#id_password2", PASSWORD);
  await Promise.all([page.waitForURL(/\/profile\//), page.click("form button[type=submit]")]);
  user.state = await visitor.context.storageState();
  user.token = (await api("POST", "/api/login/", { body: { username: user.name, password: PASSWORD } })).json.token;
  assert.match(user.token, /^[0-9a-f]{40}$/);
  for (const vector of VECTORS.filter((v) => v.trim() !== "" && v.trim().length <= MAX_TITLE)) {
    const r = await api("POST", "/api/paste/", { token: user.token, body: { title: vector, body: vector } });
    assert.equal(r.status, 201, `API create with title ${show(vector)}: ${JSON.stringify(r.json)}`);
    titled.push({ vector, id: r.json.id });
  }

  // Every vector in one body, once per way of showing it, through the browser form.
  const all = VECTORS.join("\n\n");
  batch.plain = await formPaste(page, { title: "all vectors, plain text", body: all, language: "text" in languages ? "text" : "" });
  batch.html = await formPaste(page, { title: "all vectors, highlighted as HTML", body: all, language: "html" });
  batch.javascript = await formPaste(page, { title: "all vectors, highlighted as JavaScript", body: all, language: "javascript" });
  batch.markdown = await formPaste(page, { title: "all vectors, Markdown", body: all, language: "markdown" });
  batch.org = await formPaste(page, { title: "all vectors, Org", body: all, language: "org-mode" });
  // No language chosen: the guess reads the title's extension and the body's shebang and
  // modeline, all hostile here.
  batch.guessed = await formPaste(page, {
    title: `"><svg onload=alert(1)>.html`,
    body: `#!/usr/bin/env <script>alert(1)</script>\n# vim: set ft=<img src=x onerror=alert(1)>:\n${all}`,
  });
  batch.guessedMarkdown = await formPaste(page, { title: "<img src=x onerror=alert(1)>.md", body: all });
  batch.guessedOrg = await formPaste(page, { title: "<svg onload=alert(1)>.org", body: all });
  await visitor.close();

  // A staff account made the way an operator would, for the admin lists.
  staffName = `staff${Date.now().toString(36)}`;
  execFileSync(BIN, ["createsuperuser", "--username", staffName, "--password-stdin",
    "--database-url", `sqlite:///${join(server.dir, "t.db")}`],
  { input: PASSWORD + "\n", env: { ...process.env, ASAN_OPTIONS: "detect_leaks=0" }, stdio: ["pipe", "ignore", "pipe"] });
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
  console.log(`# xss corpus: ${stats.vectors} vectors (${titled.length} as titles), ` +
    `${stats.pages} page loads, ${stats.fired} markers fired, ${stats.dialogs} dialogs, ` +
    `${stats.violations} CSP violations recorded (blocked)`);
});

// A vector with its character references and base64 runs decoded, so that an encoded
// vector shows its marker.
const decoded = (text) => [
  text.replace(/&#(x?)([0-9a-f]+);?/gi, (_, hex, digits) => String.fromCodePoint(parseInt(digits, hex ? 16 : 10))),
  ...[...text.matchAll(/[A-Za-z0-9+/]{8,}={0,2}/g)].map((m) => Buffer.from(m[0], "base64").toString("latin1")),
].join(" ");

describe("the XSS corpus runs nowhere", { timeout: 240000 }, () => {
  test("the corpus is large and every vector calls a marker", () => {
    assert.ok(VECTORS.length >= 60, `${VECTORS.length} vectors`);
    const marker = /alert|al'\+'ert|confirm|prompt|print|__xss|XSSED|msgbox/;
    for (const v of VECTORS) assert.match(decoded(v), marker, `vector without a marker: ${v}`);
  });

  test("the watchers catch a vector that runs (a page served without the CSP)", async () => {
    const visitor = await newVisitor();
    await visitor.page.route(url("/watcher-check/"), (route) => route.fulfill({
      contentType: "text/html",
      body: `<title>t</title><img src=/nothing onerror=alert(1)><a href="javascript:alert(2)">a</a>
        <script>confirm(3); window.__xss = 1; document.title = "XSSED"</script>`,
    }));
    const result = await visitor.check(url("/watcher-check/"));
    assert.deepEqual(result.fired.sort(), ["alert(1)", "confirm(3)", "document.title set", "window.__xss set"]);
    assert.deepEqual(result.problems.sort(), ["<a href=javascript:alert(2)>", "<img onerror>", "<script src=null>"]);
    await visitor.close();
    stats.fired -= result.fired.length;
  });

  test("each vector as a paste title and body, on its page", async () => {
    await inParallel(titled, async (visitor, { vector, id }) => {
      await visitor.visit(url(`/${id}/`), { what: `paste titled ${show(vector)}` });
      assert.equal(await visitor.page.textContent("#paste-title"), vector.trim(), "the title is shown as text");
    }, user.state);
  });

  test("titles that break out of attributes or elements, in the edit form and /paste/?from=", async () => {
    // every fifth of them: they all go through the same escaping
    const breakers = titled.filter(({ vector }) => /["'`]|<\//.test(vector)).filter((_, i) => i % 5 === 0);
    assert.ok(breakers.length >= 12, `${breakers.length} vectors with quotes or end tags`);
    await inParallel(breakers, async (visitor, { vector, id }) => {
      await visitor.visit(url(`/${id}/edit/`), { what: `edit ${show(vector)}` });
      // an <input> value holds no line breaks: the browser strips them
      assert.equal(await visitor.page.inputValue("#id_title"), vector.trim().replace(/[\r\n]/g, ""), "the title is the input's value");
      if (id % 2 === 0) await visitor.visit(url(`/paste/?from=${id}`), { what: `from ${show(vector)}` });
    }, user.state);
  });

  test("vectors as search queries on /all/: every fifth alone, all of them six at a time", async () => {
    // the query is echoed through one escaping path; the matches are listed like /all/
    const queries = [...VECTORS.filter((_, i) => i % 5 === 0),
      ...Array.from({ length: Math.ceil(VECTORS.length / 6) }, (_, i) => VECTORS.slice(6 * i, 6 * i + 6).join(" "))];
    await inParallel(queries, async (visitor, vector) => {
      await visitor.visit(url(`/all/?q=${encodeURIComponent(vector)}`), { what: `search ${show(vector)}` });
      // an <input> value holds no line breaks: the browser strips them
      assert.equal(await visitor.page.inputValue("input[name=q]"), vector.replace(/[\r\n]/g, ""), "the query is the input's value");
    });
  });

  test("listings: home, every page of /all/, sorted, the profile and /my_pastes/", async () => {
    const profile = `/profile/${encodeURIComponent(user.name)}/`;
    const paths = ["/", "/all/?sort=title", "/all/?sort=-title", profile, "/stats/"];
    const pages = (count) => Array.from({ length: Math.ceil(count / 30) }, (_, i) => i + 1);
    // every paste of the server is the user's (the raw-posted one comes later)
    for (const n of pages(titled.length + Object.keys(batch).length)) paths.push(`/all/?page=${n}`, `${profile}?page=${n}`);
    await inParallel(paths, (visitor, path) => visitor.visit(url(path)), user.state);
    const visitor = await newVisitor(user.state);
    const mine = await visitor.check(url("/my_pastes/"));
    assert.ok(mine.url.includes("/profile/"), mine.url);
    visitor.assertInert(mine);
    await visitor.close();
  });

  test("every vector in one body: plain, highlighted, Markdown, Org and guessed", async () => {
    const pages = Object.entries(batch).flatMap(([kind, page]) =>
      ["", "raw/", "render/", "edit/"].map((action) => [kind, page + action]));
    await inParallel(pages, async (visitor, [kind, page]) => {
      const result = await visitor.check(page);
      visitor.assertInert(result, `${kind}: ${page}`);
      assert.ok([200, 302].includes(result.response.status()), `${page}: ${result.response.status()}`);
      if (page.endsWith("raw/")) assert.match(result.response.headers()["content-type"], /^text\/plain/);
    }, user.state);
    // The renderers did render (the checks above would pass on an empty page too).
    const visitor = await newVisitor();
    await visitor.visit(batch.markdown + "render/");
    assert.ok(await visitor.page.locator(".rendered-body a").count() > 5, "Markdown links rendered");
    await visitor.visit(batch.org + "render/");
    assert.ok(await visitor.page.locator(".rendered-body p").count() > 5, "Org paragraphs rendered");
    await visitor.visit(batch.guessed);
    assert.ok(await visitor.page.locator("#code .line").count() > VECTORS.length, "guessed paste shown line by line");
    await visitor.close();
  });

  test("a form re-shown with errors echoes the vectors inertly", async () => {
    const visitor = await newVisitor();
    const { page } = visitor;
    await page.goto(url("/paste/"));
    await page.fill("#id_title", VECTORS.join(" ")); // maxlength cuts it to 100 characters
    await page.fill("#id_body", VECTORS.join("\n"));
    await page.selectOption("#id_expiry_preset", "custom"); // without a date: an error
    const result = await visitor.check(null, { navigate: (p) => p.click("form.paste-form button[type=submit]"), status: 200 });
    visitor.assertInert(result, "paste form with errors");
    assert.ok(await page.locator(".errorlist li").count() > 0, "the form shows an error");
    assert.equal(await page.inputValue("#id_body"), VECTORS.join("\n"), "the body is echoed as text");
    await visitor.close();
  });

  test("usernames: valid names show inertly, the rest are refused with an error", async () => {
    // Every vector is tried over HTTP (with the form's CSRF token): refused with an error
    // next to the field unless it is a valid name.
    const http = await newVisitor();
    await http.page.goto(url("/accounts/register/"));
    for (const vector of VECTORS) {
      const csrf = await http.page.inputValue("input[name=csrfmiddlewaretoken]");
      const r = await http.page.request.post(url("/accounts/register/"), {
        form: { username: vector, password1: PASSWORD, password2: PASSWORD, csrfmiddlewaretoken: csrf },
        maxRedirects: 0,
      });
      if (USERNAME.test(vector)) {
        assert.equal(r.status(), 302, `valid name ${show(vector)} registered`);
        await http.context.clearCookies();
        await http.page.goto(url("/accounts/register/"));
      } else {
        assert.equal(r.status(), 200, `register ${show(vector)}`);
        assert.match(await r.text(), /id="errors-username"/, `no username error for ${show(vector)}`);
      }
    }
    await http.close();
    // An eighth of them, and all at once, shown in the browser.
    let refused = 0;
    let valid = 0;
    const shown = [...VECTORS.filter((_, i) => i % 8 === 0), VECTORS.join(" ")];
    await inParallel(shown, async (visitor, vector) => {
      const { page } = visitor;
      // The form of the previous answer is reused: one navigation per name.
      if (!page.url().endsWith("/accounts/register/")) await page.goto(url("/accounts/register/"));
      await page.fill("#id_username", vector);
      await page.fill("#id_password1", PASSWORD);
      await page.fill("#id_password2", PASSWORD);
      const result = await visitor.check(null, { navigate: (p) => p.click("form button[type=submit]") });
      visitor.assertInert(result, `register ${show(vector)}`);
      if (USERNAME.test(vector)) {
        valid += 1;
        assert.ok(result.url.includes("/profile/"), `valid name ${show(vector)} registered`);
        await visitor.context.clearCookies();
      } else {
        refused += 1;
        assert.equal(result.response.status(), 200, `register ${show(vector)}`);
        assert.ok(await page.locator("#errors-username li").count() > 0, `no username error for ${show(vector)}`);
      }
    });
    assert.equal(refused + valid, shown.length);
    assert.ok(refused > 0);
    // the login form echoes the name too
    const visitor = await newVisitor();
    await visitor.page.goto(url("/accounts/login/"));
    await visitor.page.fill("#id_username", VECTORS[0]);
    await visitor.page.fill("#id_password", PASSWORD);
    visitor.assertInert(await visitor.check(null, { navigate: (p) => p.click("form button[type=submit]") }), "login form");
    await visitor.close();
  });

  test("staff admin lists and edit pages show the vectors inertly", async () => {
    const paths = ["/admin/", "/admin/pastes/", "/admin/users/", "/admin/languages/",
      `/admin/pastes/?q=${encodeURIComponent("<script>")}`, `/admin/users/?q=xss`,
      ...titled.slice(0, 4).map(({ id }) => `/${id}/edit/`)];
    await inParallel(paths, (visitor, path) => visitor.visit(url(path)), await loggedIn(staffName));
  });

  test("the API answers JSON, which the browser does not run", async () => {
    const one = await api("GET", `/api/paste/${titled[0].id}/`);
    assert.equal(one.status, 200);
    assert.match(one.type, /^application\/json/);
    assert.equal(one.json.title, titled[0].vector.trim());
    const list = await api("GET", "/api/paste/?limit=1000");
    assert.match(list.type, /^application\/json/);
    const paths = [`/api/paste/${titled[0].id}/`, "/api/paste/?limit=1000", `/api/paste/?q=${encodeURIComponent("<script>")}`];
    await inParallel(paths, (visitor, path) => visitor.visit(url(path)));
  });

  test("a raw POST with a hostile language or title answers inert text", async () => {
    const r = await fetch(url(`/?language=${encodeURIComponent("<script>alert(1)</script>")}`), { method: "POST", body: "x" });
    assert.equal(r.status, 400);
    assert.match(r.headers.get("content-type"), /^text\/plain/);
    const made = await fetch(url(`/?title=${encodeURIComponent("<svg onload=alert(1)>.html")}`), { method: "POST", body: VECTORS.join("\n") });
    assert.equal(made.status, 201);
    const visitor = await newVisitor();
    await visitor.visit((await made.text()).trim(), { what: "raw-posted paste" });
    await visitor.close();
  });
});

describe("the Content-Security-Policy", () => {
  test("script-src allows no inline script and no eval", async () => {
    const r = await fetch(url("/"));
    const csp = r.headers.get("content-security-policy");
    const directive = (name) => csp.split(";").map((d) => d.trim().split(/\s+/)).find((d) => d[0] === name);
    const script = directive("script-src") || directive("default-src");
    assert.ok(script, csp);
    for (const word of ["'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"]) {
      assert.ok(!script.includes(word), `script-src has ${word}: ${csp}`);
    }
    assert.deepEqual(directive("object-src"), ["object-src", "'none'"]);
    assert.deepEqual(directive("base-uri"), ["base-uri", "'none'"]);
  });

  test("inline script, handlers and javascript: URLs injected into a served page are blocked", async () => {
    const visitor = await newVisitor();
    const { page } = visitor;
    await page.goto(url(`/${titled[0].id}/`));
    const outcome = await page.evaluate(async () => {
      const ran = [];
      window.__ran = (what) => ran.push(what);
      const script = document.createElement("script");
      script.textContent = "window.__ran('inline <script>')";
      document.body.append(script);
      const holder = document.createElement("div");
      holder.innerHTML = "<img src=/no-such-image onerror=\"window.__ran('onerror')\">";
      document.body.append(holder);
      const link = document.createElement("a");
      link.href = "javascript:window.__ran('javascript: URL')";
      document.body.append(link);
      link.click();
      await new Promise((r) => setTimeout(r, 300));
      return { ran, violations: [...window.__violations] };
    });
    // (eval is not tried here: code run by page.evaluate is exempt from the CSP's eval
    // rule; the header test above checks that script-src has no 'unsafe-eval'.)
    assert.deepEqual(outcome.ran, [], "injected script ran");
    const blocked = outcome.violations.join("\n");
    assert.match(blocked, /script-src/, `no script-src violation recorded: ${blocked}`);
    assert.ok(outcome.violations.length >= 3, `violations: ${blocked}`);
    stats.violations += outcome.violations.length;
    await visitor.close();
  });
});
