// Search in the browser over the static index bantin writes under
// /tim-kiem/chi-muc/ (see src/render/search.rs for its layout). Queries are
// folded like the index (no diacritics, đ → d, lower case), so "thu ngan sach"
// and "Thu Ngân Sách" find the same articles; articles with the exact
// diacritic form (either tone placement) rank first. Words shown come from
// data-* attributes of the page, not from this script.
(function () {
  "use strict";
  {# The site's folder (`/yen-dinh`, empty at a domain's root): the index
      holds site paths. Tera, not script, so a root site's file is unchanged. -#}
  {% set folder = "/" | url | trim_end_matches(pat="/") -%}
  var base = "{{ "/tim-kiem/chi-muc/" | url }}";
  var form = document.getElementById("tim-kiem");
  var status = document.getElementById("trang-thai");
  var list = document.getElementById("ket-qua");
  if (!form || !window.fetch) return;
  var cache = {};
  function get(path) {
    if (!cache[path]) {
      cache[path] = fetch(base + path).then(function (r) { return r.ok ? r.json() : null; }).catch(function () { return null; });
    }
    return cache[path];
  }
  var TONE = /[\u0300\u0301\u0303\u0309\u0323]/;
  // The same rule as src/vietnamese/normalize.rs: hoà → hòa, thuỷ → thủy, not quý.
  function modern(word) {
    var letters = word.normalize("NFD").match(/\P{M}\p{M}*/gu) || [];
    var n = letters.length;
    if (n < 2) return word.normalize("NFC");
    var a = letters[n - 2], b = letters[n - 1];
    var pair = a.charAt(0).toLowerCase() + b.charAt(0).toLowerCase();
    var afterQ = n >= 3 && letters[n - 3].charAt(0).toLowerCase() === "q" && pair.charAt(0) === "u";
    var tone = b.slice(1).match(TONE);
    if (!tone || ["oa", "oe", "uy"].indexOf(pair) < 0 || afterQ || a.length > 1) return word.normalize("NFC");
    letters[n - 1] = b.replace(tone[0], "");
    letters[n - 2] = a + tone[0];
    return letters.join("").normalize("NFC");
  }
  function fold(word) {
    return word.normalize("NFD").replace(/\p{M}/gu, "").replace(/[đĐ]/g, "d").toLowerCase().replace(/[^a-z0-9]/g, "");
  }
  function words(query) {
    return query.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean).map(function (w) {
      return { folded: fold(w), exact: modern(w) };
    }).filter(function (w) { return w.folded; });
  }
  // The file of a folded word's postings: FNV-1a (32 bits), as src/render/search.rs names it.
  function bucket(folded) {
    var hash = 0x811c9dc5;
    for (var i = 0; i < folded.length; i++) hash = Math.imul(hash ^ folded.charCodeAt(i), 0x01000193);
    return ("0000000" + (hash >>> 0).toString(16)).slice(-8);
  }
  // Folded words of the index starting with `prefix` (it is sorted).
  function withPrefix(vocabulary, prefix, most) {
    var lo = 0, hi = vocabulary.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (vocabulary[mid] < prefix) lo = mid + 1; else hi = mid; }
    var found = [];
    for (var i = lo; i < vocabulary.length && found.length < most && vocabulary[i].lastIndexOf(prefix, 0) === 0; i++) found.push(vocabulary[i]);
    return found;
  }
  // Scores of the articles matching one query word: title hits count more,
  // the exact form more again, a whole word more than a prefix.
  function scoreWord(word, tokens) {
    return Promise.all(tokens.map(function (t) { return get("t/" + bucket(t) + ".json").then(function (p) { return [t, p && p[t]]; }); }))
      .then(function (results) {
        var scores = new Map();
        results.forEach(function (r) {
          var token = r[0], postings = r[1];
          if (!postings) return;
          [["t", 4], ["b", 1]].forEach(function (part) {
            var forms = postings[part[0]] || {};
            Object.keys(forms).forEach(function (form) {
              var score = part[1] + (form === word.exact ? 2 : 0) + (token === word.folded ? 1 : 0);
              var id = 0;
              forms[form].forEach(function (delta) {
                id += delta;
                if ((scores.get(id) || 0) < score) scores.set(id, score);
              });
            });
          });
        });
        return scores;
      });
  }
  function say(key, values) {
    var text = status.getAttribute("data-" + key) || "";
    Object.keys(values || {}).forEach(function (k) { text = text.replace("{" + k + "}", values[k]); });
    status.textContent = text;
  }
  function show(ids, meta, total) {
    var chunks = {};
    ids.forEach(function (id) { chunks[Math.floor(id / meta.chunk)] = true; });
    return Promise.all(Object.keys(chunks).map(function (c) { return get("d/" + c + ".json").then(function (d) { return [c, d]; }); }))
      .then(function (loaded) {
        var docs = {};
        loaded.forEach(function (l) { docs[l[0]] = l[1] || []; });
        list.textContent = "";
        ids.forEach(function (id) {
          var doc = (docs[Math.floor(id / meta.chunk)] || [])[id % meta.chunk];
          if (!doc) return;
          var li = document.createElement("li");
          var h = document.createElement("h2");
          var a = document.createElement("a");
          a.href = {% if folder %}"{{ folder }}" + {% endif %}doc[1];
          a.textContent = doc[0];
          h.appendChild(a);
          var time = document.createElement("time");
          time.dateTime = doc[2];
          var parts = doc[2].split("-");
          time.textContent = Number(parts[2]) + "/" + Number(parts[1]) + "/" + parts[0];
          var p = document.createElement("p");
          p.className = "meta";
          p.appendChild(time);
          var summary = document.createElement("p");
          summary.className = "tom-tat";
          summary.textContent = doc[3];
          li.appendChild(h);
          li.appendChild(p);
          li.appendChild(summary);
          list.appendChild(li);
        });
        if (total > ids.length) say("more", { shown: ids.length, n: total }); else say("found", { n: total });
      });
  }
  var latest = 0;
  function search() {
    var ticket = ++latest;
    var query = words(form.q.value);
    var organ = form.co_quan.value, year = form.nam.value;
    if (!query.length) { list.textContent = ""; say("empty"); return; }
    say("loading");
    Promise.all([get("tu.json"), get("meta.json")]).then(function (loaded) {
      var vocabulary = loaded[0] || [], meta = loaded[1];
      return Promise.all(query.map(function (word, i) {
        // The last word may be unfinished: match it as a prefix.
        var tokens = i === query.length - 1 ? withPrefix(vocabulary, word.folded, 40) : withPrefix(vocabulary, word.folded, 1).filter(function (t) { return t === word.folded; });
        return scoreWord(word, tokens);
      })).then(function (perWord) {
        if (ticket !== latest) return;
        var total = perWord.reduce(function (all, scores) {
          var next = new Map();
          all.forEach(function (score, id) { if (scores.has(id)) next.set(id, score + scores.get(id)); });
          return next;
        });
        var range = year && meta.years[year];
        var organIndex = organ ? meta.organs.indexOf(organ) : -1;
        var ranked = [];
        total.forEach(function (score, id) {
          if (year && (!range || id < range[0] || id > range[1])) return;
          if (organ && meta.organ_of[id] !== organIndex) return;
          ranked.push([score, id]);
        });
        ranked.sort(function (x, y) { return y[0] - x[0] || x[1] - y[1]; });
        if (!ranked.length) { list.textContent = ""; say("none"); return; }
        return show(ranked.slice(0, 20).map(function (r) { return r[1]; }), meta, ranked.length);
      });
    });
  }
  var timer;
  function later() { clearTimeout(timer); timer = setTimeout(search, 120); }
  form.addEventListener("submit", function (e) { e.preventDefault(); search(); });
  form.q.addEventListener("input", later);
  form.co_quan.addEventListener("change", search);
  form.nam.addEventListener("change", search);
  var params = new URLSearchParams(location.search);
  form.q.value = params.get("q") || "";
  form.co_quan.value = params.get("co_quan") || "";
  form.nam.value = params.get("nam") || "";
  search();
})();
