// bantin serve: live reload and the error overlay. Served at
// /__bantin/live.js by `bantin serve` only, which adds it to every page it
// serves (a build's pages never have it).
(function () {
  "use strict";
  var here = decodeURIComponent(location.pathname).replace(/index\.html$/, "");
  var nav = performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
  var timing = nav && nav.serverTiming ? nav.serverTiming.filter(function (e) { return e.name === "bantin"; })[0] : null;
  var version = timing ? timing.description : "";
  var source = new EventSource("/__bantin/events?path=" + encodeURIComponent(here) + "&v=" + encodeURIComponent(version));
  var root = document.documentElement;

  source.addEventListener("open", function () { root.setAttribute("data-bantin-live", "connected"); });
  source.addEventListener("error", function () { root.setAttribute("data-bantin-live", "reconnecting"); });

  source.addEventListener("reload", function (e) {
    var pages = JSON.parse(e.data);
    if (pages.length === 0 || pages.indexOf(here) >= 0) location.reload();
  });

  // A stylesheet changed: load the new one beside the old, then drop the old.
  source.addEventListener("styles", function (e) {
    var paths = JSON.parse(e.data);
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href, location.href);
      // A theme file is linked under its hashed name (style.3f9a2c1b.css).
      var path = decodeURIComponent(url.pathname).replace(/\.[0-9a-f]{8}(\.[a-z]+)$/, "$1");
      if (url.origin !== location.origin || paths.indexOf(path) < 0) return;
      url.searchParams.set("bantin", String(Date.now()));
      var fresh = link.cloneNode();
      fresh.href = url.href;
      fresh.onload = fresh.onerror = function () { link.remove(); };
      link.after(fresh);
    });
  });

  source.addEventListener("errors", function (e) { show(JSON.parse(e.data)); });
  source.addEventListener("fixed", function () {
    var box = document.getElementById("bantin-overlay");
    if (box) box.remove();
  });

  function show(text) {
    var box = document.getElementById("bantin-overlay");
    if (!box) {
      box = document.createElement("div");
      box.id = "bantin-overlay";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
        "margin:0;padding:1em 1.25em;background:#2b0b0b;color:#fde8e8;border-top:4px solid #e53e3e;" +
        "font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;box-shadow:0 -4px 24px rgba(0,0,0,.4)";
      var title = document.createElement("p");
      title.style.cssText = "margin:0 0 .75em;font-weight:bold;font-family:system-ui,sans-serif";
      var close = document.createElement("button");
      close.type = "button";
      close.textContent = "×";
      close.style.cssText = "float:right;background:none;border:0;color:inherit;font-size:1.5em;cursor:pointer";
      close.onclick = function () { box.style.display = "none"; };
      var pre = document.createElement("pre");
      pre.style.cssText = "margin:0;white-space:pre-wrap";
      box.appendChild(close);
      box.appendChild(title);
      box.appendChild(pre);
      (document.body || root).appendChild(box);
    }
    box.style.display = "";
    // The title and the close button's name come first, a line each, worded
    // by the server in the chosen language; then the errors.
    var lines = text.split("\n");
    box.querySelector("p").textContent = lines[0];
    box.querySelector("button").setAttribute("aria-label", lines[1]);
    box.querySelector("pre").textContent = lines.slice(2).join("\n");
  }
})();
