// Browser tests (issue 7): the real binary, Debian's Chromium, playwright-core.
// Run with `node --test tests/browser/` (scripts/run-tests does, after `npm ci`).
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { startServer, launchBrowser, screenshotPath, unique, createPaste } from "./helpers.mjs";

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

const BODY = "first line\nsecond line\nthird line\nfourth line\nfifth line\nsixth line\nseventh line\n";

async function newPage(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, ...options });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  return { context, page, errors };
}

describe("paste page", () => {
  let pasteUrl;
  const title = `Browser test ${unique()}`;

  before(async () => {
    const { context, page } = await newPage();
    pasteUrl = await createPaste(page, server.base, { title, body: BODY, language: "Python" });
    await context.close();
  });

  test("the form creates a paste and redirects to its page", async () => {
    const { context, page, errors } = await newPage();
    await page.goto(pasteUrl);
    assert.equal(await page.textContent("#paste-title"), title);
    assert.match(await page.title(), new RegExp(`^${title} — Silly Paste$`));
    assert.equal(await page.locator("#code .line").count(), 7);
    assert.equal(await page.textContent("#L2 code"), "second line");
    assert.deepEqual(errors, [], "no script errors or CSP violations");
    await context.close();
  });

  test("clicking a line number puts #L3 in the URL and highlights the line", async () => {
    const { context, page } = await newPage();
    await page.goto(pasteUrl);
    await page.click("#L3 a.ln");
    assert.ok(page.url().endsWith("#L3"), page.url());
    const bg = (sel) => page.$eval(sel, (el) => getComputedStyle(el).backgroundColor);
    assert.notEqual(await bg("#L3"), await bg("#L2"), "the target line has its own background");
    // shift-click extends it to a range
    await page.click("#L5 a.ln", { modifiers: ["Shift"] });
    assert.ok(page.url().endsWith("#L3-L5"), page.url());
    assert.equal(await page.locator(".line.selected").count(), 3);
    await context.close();
  });

  test("#L3-L5 highlights three lines", async () => {
    const { context, page } = await newPage();
    await page.goto(pasteUrl + "#L3-L5");
    const selected = await page.$$eval(".line.selected", (els) => els.map((e) => e.id));
    assert.deepEqual(selected, ["L3", "L4", "L5"]);
    const bg = (sel) => page.$eval(sel, (el) => getComputedStyle(el).backgroundColor);
    assert.equal(await bg("#L4"), await bg("#L3"));
    assert.notEqual(await bg("#L4"), await bg("#L6"));
    await context.close();
  });

  test("the copy button copies the body", async () => {
    const { context, page } = await newPage({ permissions: ["clipboard-read", "clipboard-write"] });
    await page.goto(pasteUrl);
    await page.click("#copy-button");
    await page.waitForSelector(".copy-status:has-text('Copied')");
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, BODY);
    await context.close();
  });

  test("without JavaScript there is no copy button, and the page still reads", async () => {
    const { context, page } = await newPage({ javaScriptEnabled: false });
    await page.goto(pasteUrl + "#L4");
    assert.equal(await page.locator("#copy-button").count(), 0);
    assert.equal(await page.textContent("#L4 code"), "fourth line");
    await context.close();
  });

  test("the wrap toggle wraps long lines", async () => {
    const { context, page } = await newPage();
    await page.goto(pasteUrl);
    await page.click("#wrap-button");
    assert.equal(await page.getAttribute("#wrap-button", "aria-pressed"), "true");
    assert.equal(await page.$eval("#code", (el) => getComputedStyle(el).whiteSpace), "pre-wrap");
    await context.close();
  });

  test("Download gives a file named after the title and language", async () => {
    const { context, page } = await newPage({ acceptDownloads: true });
    await page.goto(pasteUrl);
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("text=Download")]);
    const expected = title.replace(/[^A-Za-z0-9._-]/g, "_") + ".py";
    assert.equal(download.suggestedFilename(), expected);
    assert.equal(readFileSync(await download.path(), "utf8"), BODY);
    await context.close();
  });

  test("times are local with the UTC time in the title", async () => {
    const { context, page } = await newPage({ timezoneId: "Asia/Tokyo" });
    await page.goto(pasteUrl);
    const time = page.locator("dl.meta time").first();
    assert.match(await time.getAttribute("title"), /UTC$/);
    assert.doesNotMatch(await time.textContent(), /UTC/);
    await context.close();
  });
});

describe("themes, layout and screenshots", () => {
  let pasteUrl;

  before(async () => {
    const { context, page } = await newPage();
    pasteUrl = await createPaste(page, server.base, {
      title: "hello.c", language: "C",
      body: "#include <stdio.h>\n\n/* a classic */\nint main(void) {\n    printf(\"hello, world\\n\");\n" +
        "    return 0; // a rather long comment that would make the line wider than a phone screen is\n}\n",
    });
    await context.close();
  });

  test("prefers-color-scheme: dark changes the background", async () => {
    const backgrounds = {};
    for (const scheme of ["light", "dark"]) {
      const { context, page } = await newPage({ colorScheme: scheme });
      await page.goto(server.base + "/");
      backgrounds[scheme] = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      await context.close();
    }
    assert.notEqual(backgrounds.light, backgrounds.dark);
    const luminance = (rgb) => rgb.match(/\d+/g).slice(0, 3).reduce((a, b) => a + Number(b), 0);
    assert.ok(luminance(backgrounds.dark) < luminance(backgrounds.light), JSON.stringify(backgrounds));
  });

  test("text, links, muted text and code tokens meet WCAG AA contrast in both themes", async () => {
    for (const scheme of ["light", "dark"]) {
      const { context, page } = await newPage({ colorScheme: scheme });
      await page.goto(pasteUrl);
      const pairs = await page.evaluate(() => {
        // The colour an element's text is drawn on: the first ancestor with a background.
        const background = (el) => {
          for (let e = el; e; e = e.parentElement) {
            const c = getComputedStyle(e).backgroundColor;
            if (c && !c.endsWith(", 0)") && c !== "transparent") return c;
          }
          return "rgb(255, 255, 255)";
        };
        const selectors = ["main p, main dd", "main a", "dl.meta dt", ".ln", "pre.code code",
          ".code .kw", ".code .st", ".code .co", ".code .dv, .code .bn, .code .fl",
          ".code .pp, .code .im, .code .dt", "footer.site"];
        const out = [];
        for (const selector of selectors) {
          const el = document.querySelector(selector);
          if (el) out.push({ selector, fg: getComputedStyle(el).color, bg: background(el) });
        }
        return out;
      });
      const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
      const lum = (rgb) => { const [r, g, b] = rgb.match(/[\d.]+/g).map(Number); return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b); };
      const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
      assert.ok(pairs.length >= 8, `too few elements found: ${JSON.stringify(pairs)}`);
      for (const { selector, fg, bg } of pairs) {
        const r = ratio(fg, bg);
        assert.ok(r >= 4.5, `${scheme}: ${selector} ${fg} on ${bg} has contrast ${r.toFixed(2)} < 4.5`);
      }
      await context.close();
    }
  });

  test("360 px wide: no horizontal scroll on home, form, paste, list and stats", async () => {
    const { context, page } = await newPage({ viewport: { width: 360, height: 740 }, isMobile: true });
    for (const path of ["/", "/paste/", new URL(pasteUrl).pathname, "/all/", "/stats/", "/accounts/login/"]) {
      await page.goto(server.base + path);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `${path} is ${width} px wide`);
    }
    await context.close();
  });

  test("screenshots of home, form and paste in light and dark", async () => {
    for (const scheme of ["light", "dark"]) {
      for (const width of [1200, 360]) {
        const { context, page } = await newPage({ colorScheme: scheme, viewport: { width, height: 900 } });
        const suffix = `${scheme}${width === 360 ? "-phone" : ""}`;
        for (const [name, url] of [["home", server.base + "/"], ["form", server.base + "/paste/"],
          ["paste", pasteUrl + "#L4-L5"], ["stats", server.base + "/stats/"]]) {
          await page.goto(url);
          await page.screenshot({ path: screenshotPath(`${name}-${suffix}`), fullPage: true });
        }
        await context.close();
      }
    }
  });
});

describe("paste form", () => {
  test("Tab inserts a tab and Ctrl+Enter submits", async () => {
    const { context, page } = await newPage();
    await page.goto(server.base + "/paste/");
    const title = `keys ${unique()}`;
    await page.fill("#id_title", title);
    await page.click("#id_body");
    await page.keyboard.type("if x:");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    await page.keyboard.type("y()");
    assert.equal(await page.inputValue("#id_body"), "if x:\n\ty()");
    assert.equal(await page.evaluate(() => document.activeElement.id), "id_body");
    await Promise.all([page.waitForURL(/\/\d+\/$/), page.keyboard.press("Control+Enter")]);
    assert.equal(await page.textContent("#paste-title"), title);
    assert.equal(await page.textContent("#L2 code"), "\ty()");
    await context.close();
  });

  test("the language filter narrows the list and picks a match", async () => {
    const { context, page } = await newPage();
    await page.goto(server.base + "/paste/");
    await page.fill("#id_language_filter", "rust");
    const visible = await page.$$eval("#id_language option", (os) => os.filter((o) => !o.hidden && o.value).map((o) => o.text));
    assert.ok(visible.length >= 1 && visible.length < 10, JSON.stringify(visible));
    assert.ok(visible.every((t) => t.toLowerCase().includes("rust")), JSON.stringify(visible));
    const chosen = await page.$eval("#id_language", (s) => s.options[s.selectedIndex].text);
    assert.equal(chosen, "Rust");
    await context.close();
  });

  test("errors are summarised at the top and shown next to the field", async () => {
    const { context, page } = await newPage();
    await page.goto(server.base + "/paste/");
    await page.fill("#id_title", "bad expiry");
    await page.fill("#id_body", "x");
    await page.selectOption("#id_expiry_preset", "custom");
    await page.fill("#id_custom_expiry_date", "2001-01-01");
    await page.fill("#id_custom_expiry_time", "00:00");
    await page.click("form.paste-form button[type=submit]");
    await page.waitForSelector("#error-summary");
    const summary = await page.textContent("#error-summary");
    assert.match(summary, /Please correct/);
    assert.ok((await page.locator("#error-summary li").count()) >= 1, summary);
    assert.ok((await page.locator("ul.errorlist").count()) >= 1);
    await context.close();
  });
});

describe("accounts", () => {
  test("register, log out, log in, edit and delete a paste", async () => {
    const { context, page } = await newPage();
    const name = `user${unique()}`.slice(0, 30);
    const password = "correct horse battery staple";
    await page.goto(server.base + "/accounts/register/");
    await page.fill("#id_username", name);
    await page.fill("#id_password1", password);
    await page.fill("#id_password2", password);
    await Promise.all([page.waitForURL(/\/profile\//), page.click("form.account-form button[type=submit]")]);
    assert.match(await page.textContent("header.site"), new RegExp(`Logged in as\\s+${name}`));

    // log out: the nav link leads to a one-button form
    await page.click("header.site >> text=Log out");
    await Promise.all([page.waitForURL(server.base + "/"), page.click("main button[type=submit]")]);
    assert.match(await page.textContent("header.site"), /Log in/);

    // log in
    await page.click("header.site >> text=Log in");
    await page.fill("#id_username", name);
    await page.fill("#id_password", password);
    await Promise.all([page.waitForNavigation(), page.click("form.account-form button[type=submit]")]);
    assert.match(await page.textContent("header.site"), new RegExp(`Logged in as\\s+${name}`));

    // a paste of one's own can be edited and deleted
    const url = await createPaste(page, server.base, { title: "mine", body: "version one\n" });
    await page.click("nav.actions >> text=Edit");
    assert.equal(await page.inputValue("#id_body"), "version one\n");
    await page.fill("#id_body", "version two\n");
    await Promise.all([page.waitForURL(url), page.click("form.paste-form button[type=submit]")]);
    assert.equal(await page.textContent("#L1 code"), "version two");
    await page.click("nav.actions >> text=Delete");
    await Promise.all([page.waitForURL(server.base + "/"), page.click("main button[type=submit]")]);
    const gone = await page.goto(url);
    assert.equal(gone.status(), 404);
    await context.close();
  });
});

describe("lists", () => {
  test("/all/ shows the count, sort state and first/previous/next/last", async () => {
    const marker = unique();
    const created = [];
    for (let i = 0; i < 31; i++) {
      const r = await fetch(`${server.base}/?title=${encodeURIComponent(`list ${marker} ${i}`)}`, {
        method: "POST", body: `body ${i}\n`,
      });
      assert.ok(r.ok || r.status === 302, `raw create: ${r.status}`);
      created.push(r);
    }
    const { context, page } = await newPage();
    await page.goto(`${server.base}/all/?q=${marker}`);
    assert.match(await page.textContent("#result-count"), /Showing 1–30 of 31 pastes/);
    await page.click("nav.pagination >> text=Last");
    assert.match(await page.textContent("#result-count"), /Showing 31–31 of 31 pastes/);
    assert.equal(await page.locator("nav.pagination >> text=First").count(), 1);
    await page.click("th >> text=title");
    assert.equal(await page.getAttribute("th[aria-sort]", "aria-sort"), "ascending");
    await context.close();
  });
});
