// Comforts only: every page works without this file.
(function () {
  "use strict";

  // Show times in the reader's own time zone; the UTC time stays in the title.
  document.querySelectorAll("time[datetime]").forEach(function (el) {
    var when = new Date(el.getAttribute("datetime"));
    if (!isNaN(when)) {
      if (!el.title) { el.title = el.textContent; }
      el.textContent = when.toLocaleString(undefined, {
        year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit"
      });
    }
  });

  // Paste page: #L3 and #L3-L9 highlight lines; shift-click on a line number selects a range.
  function parseHash() {
    var match = /^#L(\d+)(?:-L(\d+))?$/.exec(location.hash);
    if (!match) { return null; }
    var from = parseInt(match[1], 10), to = parseInt(match[2] || match[1], 10);
    return from <= to ? [from, to] : [to, from];
  }
  function highlightRange(scroll) {
    document.querySelectorAll(".line.selected").forEach(function (el) { el.classList.remove("selected"); });
    var range = parseHash();
    if (!range) { return; }
    for (var n = range[0]; n <= range[1] && n - range[0] < 100000; n++) {
      var line = document.getElementById("L" + n);
      if (line) { line.classList.add("selected"); }
    }
    var first = document.getElementById("L" + range[0]);
    if (first && scroll && range[1] > range[0]) { first.scrollIntoView(); }
  }
  window.addEventListener("hashchange", function () { highlightRange(false); });
  highlightRange(true);

  var code = document.getElementById("code");
  if (code) {
    code.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a.ln");
      if (!link || !event.shiftKey) { return; }
      var current = parseHash();
      var n = parseInt(link.getAttribute("href").slice(2), 10);
      if (!current || isNaN(n)) { return; }
      event.preventDefault();
      var from = Math.min(current[0], n), to = Math.max(current[0], n);
      history.replaceState(null, "", from === to ? "#L" + from : "#L" + from + "-L" + to);
      highlightRange(false);
    });
  }

  // Paste page: copy and wrap buttons.
  var actions = document.querySelector("nav.actions");
  if (code && actions) {
    var status = document.createElement("span");
    status.className = "copy-status";
    status.setAttribute("role", "status");
    if (navigator.clipboard && window.isSecureContext !== false) {
      var copy = document.createElement("button");
      copy.type = "button";
      copy.id = "copy-button";
      copy.textContent = "Copy";
      copy.addEventListener("click", function () {
        var lines = Array.prototype.map.call(code.querySelectorAll(".line > code"), function (el) {
          return el.textContent;
        });
        var text = lines.length ? lines.join("\n") + "\n" : code.textContent;
        navigator.clipboard.writeText(text).then(function () {
          status.textContent = "Copied.";
        }, function () {
          status.textContent = "Could not copy: select the text or use Raw.";
        });
      });
      actions.appendChild(copy);
    }
    var wrap = document.createElement("button");
    wrap.type = "button";
    wrap.id = "wrap-button";
    wrap.textContent = "Wrap lines";
    wrap.setAttribute("aria-pressed", "false");
    wrap.addEventListener("click", function () {
      var on = code.classList.toggle("wrap");
      wrap.setAttribute("aria-pressed", on ? "true" : "false");
    });
    actions.appendChild(wrap);
    actions.appendChild(status);
  }

  // Paste form: Tab inserts a tab, Ctrl/Cmd+Enter submits, the language list can be filtered.
  var body = document.getElementById("id_body");
  if (body && body.form) {
    var tabMovesOn = false;
    body.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { tabMovesOn = true; return; }
      if (tabMovesOn) { tabMovesOn = false; return; }
      if (event.key === "Tab" && !event.shiftKey && !event.ctrlKey && !event.altKey && !event.metaKey) {
        event.preventDefault();
        body.setRangeText("\t", body.selectionStart, body.selectionEnd, "end");
      }
    });
  }
  document.querySelectorAll("form.paste-form").forEach(function (form) {
    form.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
      }
    });
  });
  var select = document.getElementById("id_language");
  if (select && select.form) {
    var field = document.createElement("p");
    field.className = "field language-filter";
    var label = document.createElement("label");
    label.htmlFor = "id_language_filter";
    label.textContent = "Find a language";
    var filter = document.createElement("input");
    filter.type = "search";
    filter.id = "id_language_filter";
    filter.placeholder = "e.g. python";
    filter.autocomplete = "off";
    field.appendChild(label);
    field.appendChild(filter);
    select.parentNode.parentNode.insertBefore(field, select.parentNode);
    var options = Array.prototype.slice.call(select.options);
    filter.addEventListener("input", function () {
      var needle = filter.value.trim().toLowerCase();
      var firstMatch = null;
      options.forEach(function (option) {
        var keep = !option.value || !needle || option.text.toLowerCase().indexOf(needle) !== -1;
        option.hidden = !keep;
        option.disabled = !keep && !option.selected;
        if (keep && option.value && !firstMatch) { firstMatch = option; }
      });
      if (needle && firstMatch && (select.selectedIndex < 0 || select.options[select.selectedIndex].hidden ||
          !select.value)) {
        select.value = firstMatch.value;
      }
    });
    filter.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.ctrlKey && !event.metaKey) { event.preventDefault(); select.focus(); }
    });
  }
})();
