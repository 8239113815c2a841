// Comforts only: every page works without this file.
(function () {
  "use strict";
  // Show times in the reader's own time zone.
  document.querySelectorAll("time[datetime]").forEach(function (el) {
    var when = new Date(el.getAttribute("datetime"));
    if (!isNaN(when)) { el.title = el.textContent; el.textContent = when.toLocaleString(); }
  });
  // #L3-L9 highlights a range of lines.
  function highlightRange() {
    var match = /^#L(\d+)(?:-L(\d+))?$/.exec(location.hash);
    document.querySelectorAll(".line.selected").forEach(function (el) { el.classList.remove("selected"); });
    if (!match) { return; }
    var from = parseInt(match[1], 10), to = parseInt(match[2] || match[1], 10);
    if (to < from) { var t = from; from = to; to = t; }
    for (var n = from; n <= to && n - from < 100000; n++) {
      var line = document.getElementById("L" + n);
      if (line) { line.classList.add("selected"); }
    }
    var first = document.getElementById("L" + from);
    if (first && match[2]) { first.scrollIntoView(); }
  }
  window.addEventListener("hashchange", highlightRange);
  highlightRange();
  // Wrap toggle for long lines.
  var code = document.getElementById("code");
  var actions = document.querySelector("nav.actions");
  if (code && actions) {
    var wrap = document.createElement("button");
    wrap.type = "button";
    wrap.textContent = "Wrap lines";
    wrap.addEventListener("click", function () { code.classList.toggle("wrap"); });
    actions.appendChild(wrap);
  }
})();
