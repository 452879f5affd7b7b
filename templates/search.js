// Search in the browser over the static index bantin writes under
// /tim-kiem/chi-muc/ (see src/render/search.rs for its layout). Queries are
// folded like the index (no diacritics, đ → d, lower case), so "thu ngan sach"
// and "Thu Ngân Sách" find the same articles. Ranking: rare words count more
// (BM25-like), a word in the title more than in the text, a whole word more
// than a prefix, the exact diacritic form more again, and the query's words
// found one after the other (pairs of words in the index) most. The
// site's glossary is searched both ways ("BHYT" finds "bảo hiểm y tế"). The
// query and filters live in the address (?q=…&co-quan=…&nam=…). Words shown
// come from data-* attributes of the page, not from this script.
(function () {
  "use strict";
  {# The site's folder (`/yen-dinh`, empty at a domain's root): the index
      holds site paths. Tera, not script, so a root site's file is unchanged. -#}
  {% set folder = "/" | url | trim_end_matches(pat="/") -%}
  var base = "{{ "/tim-kiem/chi-muc/" | url }}";
  var form = document.getElementById("tim-kiem");
  var status = document.getElementById("trang-thai");
  var list = document.getElementById("ket-qua");
  var more = document.getElementById("xem-them");
  if (!form || !window.fetch) return;
  var field = { q: form.elements.q, organ: form.elements["co-quan"], year: form.elements.nam };
  var PAGE = 20;
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
  var WORD = /[\p{L}\p{M}\p{N}]+/gu;
  // The words of a query. The last one may be unfinished (a prefix) unless
  // the query ends with a space or a mark: "hoà " is the word hoà.
  function parse(query) {
    var text = query.normalize("NFC").toLowerCase();
    var found = text.match(WORD) || [];
    var ended = /[^\p{L}\p{M}\p{N}]$/u.test(text);
    return found.map(function (w, i) {
      return { folded: fold(w), exact: modern(w), whole: ended || i < found.length - 1 };
    }).filter(function (w) { return w.folded; });
  }
  // The query as terms, each a list of alternatives (phrases): a word is a
  // term of one alternative; an abbreviation of the glossary, or what it
  // stands for, is a term of both (the longest match first).
  function terms(query, glossary) {
    var sides = glossary.map(function (entry) { return [parse(entry[0] + " "), parse(entry[1] + " ")]; });
    var found = [];
    for (var i = 0; i < query.length;) {
      var best = null;
      sides.forEach(function (pair) {
        pair.forEach(function (side) {
          var fits = side.length && (!best || side.length > best.length) && side.every(function (w, k) {
            return query[i + k] && query[i + k].folded === w.folded;
          });
          if (fits) best = { length: side.length, alternatives: pair };
        });
      });
      if (best) {
        found.push(best.alternatives);
        i += best.length;
      } else {
        found.push([[query[i]]]);
        i += 1;
      }
    }
    return found;
  }
  // FNV-1a (32 bits) of a folded word or pair, as src/render/search.rs (`hash`).
  function hash(folded) {
    var h = 0x811c9dc5;
    for (var i = 0; i < folded.length; i++) h = Math.imul(h ^ folded.charCodeAt(i), 0x01000193);
    return h >>> 0;
  }
  // The file of a folded word's postings.
  function bucket(folded) {
    return ("0000000" + hash(folded).toString(16)).slice(-8);
  }
  // Folded words of the index starting with `prefix` (it is sorted).
  function withPrefix(vocabulary, prefix, most) {
    var lo = 0, hi = vocabulary.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (vocabulary[mid] < prefix) lo = mid + 1; else hi = mid; }
    var found = [];
    for (var i = lo; i < vocabulary.length && found.length < most && vocabulary[i].lastIndexOf(prefix, 0) === 0; i++) found.push(vocabulary[i]);
    return found;
  }
  // How well each article matches one query word, at its best place: the
  // title counts more than the text, a whole word more than a word it
  // begins (a prefix), the exact diacritic form a little more.
  function lookup(word, vocabulary) {
    var tokens = word.whole ? withPrefix(vocabulary, word.folded, 1).filter(function (t) { return t === word.folded; }) : withPrefix(vocabulary, word.folded, 40);
    return Promise.all(tokens.map(function (t) { return get("t/" + bucket(t) + ".json"); })).then(function (loaded) {
      var docs = new Map();
      tokens.forEach(function (token, k) {
        var postings = loaded[k] && loaded[k][token];
        if (!postings) return;
        ["t", "b"].forEach(function (part) {
          var forms = postings[part] || {};
          Object.keys(forms).forEach(function (form) {
            var match = (part === "t" ? 2.5 : 1) * (token === word.folded ? 1 : 0.4) + (form === word.exact ? 0.3 : 0);
            var id = 0;
            forms[form].forEach(function (delta) {
              id += delta;
              if (!(docs.get(id) >= match)) docs.set(id, match);
            });
          });
        });
      });
      return docs;
    });
  }
  // The articles with two words one after the other, in the title and in the text.
  function lookupPair(pair, meta) {
    var file = "g/" + (hash(pair) & (meta.pair_buckets - 1)).toString(16) + ".json";
    return get(file).then(function (loaded) {
      var lists = loaded && loaded[pair] || [[], []];
      return lists.map(function (deltas) {
        var ids = new Set(), id = 0;
        deltas.forEach(function (d) { id += d; ids.add(id); });
        return ids;
      });
    });
  }
  function pairOf(a, b) { return a.folded + " " + b.folded; }
  // Scores of the articles that match every term.
  function rank(query, info, pairs, meta) {
    var idfs = {};
    function idf(word) {
      if (!(word.key in idfs)) {
        var df = info[word.key].size;
        idfs[word.key] = Math.log(1 + (meta.count - df + 0.5) / (df + 0.5)) + 0.2;
      }
      return idfs[word.key];
    }
    function wordScore(word, id) {
      return idf(word) * info[word.key].get(id);
    }
    // Where a pair is in an article: 2 in the title, 1 in the text, 0 not at all.
    function pairIn(a, b, id) {
      var lists = pairs[pairOf(a, b)];
      return lists[0].has(id) ? 2 : lists[1].has(id) ? 1 : 0;
    }
    var total = null;
    query.forEach(function (alternatives) {
      var scores = new Map();
      alternatives.forEach(function (words) {
        var ids = null;
        words.forEach(function (word) {
          var next = new Map();
          info[word.key].forEach(function (d, id) { if (!ids || ids.has(id)) next.set(id, true); });
          ids = next;
        });
        ids.forEach(function (yes, id) {
          // An alternative of several words is a phrase.
          for (var i = 1; i < words.length; i++) if (!pairIn(words[i - 1], words[i], id)) return;
          var score = words.reduce(function (sum, w) { return sum + wordScore(w, id); }, 0);
          if (!scores.has(id) || scores.get(id) < score) scores.set(id, score);
        });
      });
      if (!total) { total = scores; return; }
      var next = new Map();
      total.forEach(function (score, id) { if (scores.has(id)) next.set(id, score + scores.get(id)); });
      total = next;
    });
    // The words typed one after another found so: each pair, and the whole
    // run as a phrase, in the title most.
    var plain = query.map(function (alternatives) { return alternatives.length === 1 && alternatives[0].length === 1 ? alternatives[0][0] : null; });
    total.forEach(function (score, id) {
      var bonus = 0, run = 0, where = 2, weight = 1;
      function closeRun() {
        if (run > 1 && where) bonus += weight * (where === 2 ? 4 : 2);
        run = 0; where = 2; weight = 1;
      }
      plain.forEach(function (word, i) {
        var before = plain[i - 1];
        if (!word || !before) { closeRun(); if (word) { run = 1; weight = 1 + idf(word); } return; }
        var found = pairIn(before, word, id);
        bonus += found * 1.5 * (1 + idf(before) + idf(word));
        if (!found) { closeRun(); run = 1; weight = 1 + idf(word); return; }
        run += 1;
        weight += idf(word);
        where = Math.min(where, found);
      });
      closeRun();
      total.set(id, score + bonus);
    });
    return total;
  }
  function say(key, values) {
    var text = status.getAttribute("data-" + key) || "";
    Object.keys(values || {}).forEach(function (k) { text = text.replace("{" + k + "}", Number(values[k]).toLocaleString("vi-VN")); });
    status.textContent = text;
  }
  // `text` from `begin` to `end` into `into`, the words sought in <mark>.
  function marked(into, text, tokens, begin, end) {
    var at = begin;
    tokens.forEach(function (t) {
      if (!t.hit || t.start < begin || t.end > end) return;
      into.appendChild(document.createTextNode(text.slice(at, t.start)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(t.start, t.end);
      into.appendChild(mark);
      at = t.end;
    });
    into.appendChild(document.createTextNode(text.slice(at, end)));
  }
  // The words of a text, where they are and whether they are sought: a
  // word of the query, or a whole phrase of the glossary.
  function tokenize(text, sought) {
    var tokens = [], m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) tokens.push({ start: m.index, end: m.index + m[0].length, folded: fold(m[0]) });
    tokens.forEach(function (t, i) {
      t.hit = t.hit || sought.word(t.folded);
      sought.phrases.forEach(function (phrase) {
        var fits = phrase.every(function (w, k) { return tokens[i + k] && tokens[i + k].folded === w.folded; });
        if (fits) phrase.forEach(function (w, k) { tokens[i + k].hit = true; });
      });
    });
    return tokens;
  }
  // The passage of the text with the most of the words sought (about 30
  // words, cut at word boundaries), their words marked.
  var SPAN = 30;
  function snippet(into, text, sought) {
    var tokens = tokenize(text, sought);
    if (!tokens.length) return;
    var best = 0, bestScore = -1;
    for (var i = 0; i < tokens.length; i++) {
      if (!tokens[i].hit) continue;
      var seen = {}, score = 0;
      for (var k = i; k < Math.min(tokens.length, i + SPAN); k++) {
        if (!tokens[k].hit) continue;
        score += seen[tokens[k].folded] ? 1 : 10;
        if (k > i && tokens[k - 1].hit) score += 3;
        seen[tokens[k].folded] = true;
      }
      if (score > bestScore) { best = i; bestScore = score; }
    }
    var from = Math.max(0, best - 6), to = Math.min(tokens.length - 1, from + SPAN - 1);
    if (from > 0) into.appendChild(document.createTextNode("… "));
    marked(into, text, tokens, from > 0 ? tokens[from].start : 0, to < tokens.length - 1 ? tokens[to].end : text.length);
    if (to < tokens.length - 1) into.appendChild(document.createTextNode(" …"));
  }
  var organNames = {};
  Array.prototype.forEach.call(field.organ.options, function (o) { if (o.value) organNames[o.value] = o.textContent; });
  // Shows the results `from` … `from + PAGE` of the current search.
  function show(current, from) {
    var ids = current.ranked.slice(from, from + PAGE);
    var meta = current.meta;
    var chunks = {};
    ids.forEach(function (id) { chunks[Math.floor(id / meta.chunk)] = true; });
    var wanted = Object.keys(chunks).map(function (c) { return get("d/" + c + ".json"); });
    return Promise.all(wanted).then(function (loaded) {
      if (current.ticket !== latest) return;
      var docs = {};
      Object.keys(chunks).forEach(function (c, k) { docs[c] = loaded[k] || []; });
      if (!from) {
        if (near) near.disconnect();
        list.textContent = "";
      }
      var first = null;
      ids.forEach(function (id) {
        var doc = docs[Math.floor(id / meta.chunk)][id % meta.chunk];
        if (!doc) return;
        var li = document.createElement("li");
        var h = document.createElement("h2");
        var a = document.createElement("a");
        a.href = {% if folder %}"{{ folder }}" + {% endif %}doc[1];
        marked(a, doc[0], tokenize(doc[0], current.sought), 0, doc[0].length);
        h.appendChild(a);
        var p = document.createElement("p");
        p.className = "meta";
        var organ = organNames[meta.organs[meta.organ_of[id]]];
        if (organ) p.appendChild(document.createTextNode(organ + list.getAttribute("data-separator")));
        var time = document.createElement("time");
        time.dateTime = doc[2];
        var parts = doc[2].split("-");
        time.textContent = Number(parts[2]) + "/" + Number(parts[1]) + "/" + parts[0];
        p.appendChild(time);
        var passage = document.createElement("p");
        passage.className = "tom-tat";
        passage.setAttribute("data-id", id);
        passage.sought = current.sought;
        if (near) near.observe(passage); else fill(passage);
        li.appendChild(h);
        li.appendChild(p);
        li.appendChild(passage);
        list.appendChild(li);
        first = first || a;
      });
      current.shown = from + ids.length;
      var total = current.ranked.length;
      if (total > current.shown) say("more", { shown: current.shown, n: total }); else say("found", { n: total });
      more.hidden = total <= current.shown;
      if (from && first) first.focus();
    });
  }
  // A result's snippet, from its article's text, fetched when the result
  // comes near the screen (the texts are most of a search's bytes); its
  // height is reserved in the stylesheet.
  function fill(passage) {
    get("v/" + passage.getAttribute("data-id") + ".json").then(function (text) {
      if (!passage.firstChild) snippet(passage, text || "", passage.sought);
    });
  }
  var near = window.IntersectionObserver && new IntersectionObserver(function (entries) {
    entries.forEach(function (e) {
      if (!e.isIntersecting) return;
      near.unobserve(e.target);
      fill(e.target);
    });
  }, { rootMargin: "50% 0px" });
  var latest = 0, current = null;
  function clear(key) {
    if (near) near.disconnect();
    list.textContent = "";
    more.hidden = true;
    current = null;
    say(key);
  }
  function search() {
    var ticket = ++latest;
    var typed = parse(field.q.value);
    var organ = field.organ.value, year = field.year.value;
    if (!typed.length) { clear("empty"); return; }
    say("loading");
    Promise.all([get("tu.json"), get("meta.json")]).then(function (loaded) {
      var vocabulary = loaded[0] || [], meta = loaded[1];
      if (!meta) return;
      var query = terms(typed, meta.glossary || []);
      var words = {};
      query.forEach(function (alternatives) {
        alternatives.forEach(function (phrase) {
          phrase.forEach(function (w) { w.key = w.folded + (w.whole ? "" : "*"); words[w.key] = w; });
        });
      });
      var keys = Object.keys(words);
      // Pairs: of the words typed one after another, and within each phrase of the glossary.
      var wanted = {};
      query.forEach(function (alternatives, i) {
        var before = query[i - 1];
        if (before && before.length === 1 && before[0].length === 1 && alternatives.length === 1 && alternatives[0].length === 1) wanted[pairOf(before[0][0], alternatives[0][0])] = true;
        alternatives.forEach(function (phrase) {
          for (var k = 1; k < phrase.length; k++) wanted[pairOf(phrase[k - 1], phrase[k])] = true;
        });
      });
      var pairKeys = Object.keys(wanted);
      return Promise.all([
        Promise.all(keys.map(function (k) { return lookup(words[k], vocabulary); })),
        Promise.all(pairKeys.map(function (p) { return lookupPair(p, meta); })),
      ]).then(function (found) {
        if (ticket !== latest) return;
        var info = {}, pairs = {};
        keys.forEach(function (k, i) { info[k] = found[0][i]; });
        pairKeys.forEach(function (p, i) { pairs[p] = found[1][i]; });
        var range = year && meta.years[year];
        var organIndex = organ ? meta.organs.indexOf(organ) : -1;
        var ranked = [];
        rank(query, info, pairs, meta).forEach(function (score, id) {
          if (year && (!range || id < range[0] || id > range[1])) return;
          if (organ && meta.organ_of[id] !== organIndex) return;
          ranked.push([score, id]);
        });
        // Ties: the newer article (the higher id) first.
        ranked.sort(function (x, y) { return y[0] - x[0] || y[1] - x[1]; });
        if (!ranked.length) { clear("none"); return; }
        // Marked: the words of single-word alternatives, whole or as the
        // prefix typed, and the phrases of several words.
        var whole = {}, prefixes = [], phrases = [];
        query.forEach(function (alternatives) {
          alternatives.forEach(function (phrase) {
            if (phrase.length > 1) phrases.push(phrase);
            else if (phrase[0].whole) whole[phrase[0].folded] = true;
            else prefixes.push(phrase[0].folded);
          });
        });
        current = {
          ticket: ticket,
          meta: meta,
          ranked: ranked.map(function (r) { return r[1]; }),
          sought: {
            phrases: phrases,
            word: function (folded) { return whole[folded] === true || prefixes.some(function (p) { return folded.lastIndexOf(p, 0) === 0; }); },
          },
        };
        return show(current, 0);
      });
    });
  }
  // The search in the address: typing replaces the entry, a search asked
  // for (a filter, the button) adds one, so Back returns to the last.
  function remember(add) {
    var params = new URLSearchParams();
    if (field.q.value.trim()) params.set("q", field.q.value);
    if (field.organ.value) params.set("co-quan", field.organ.value);
    if (field.year.value) params.set("nam", field.year.value);
    var query = params.toString();
    var url = location.pathname + (query ? "?" + query : "");
    if (url !== location.pathname + location.search) history[add ? "pushState" : "replaceState"](null, "", url);
  }
  function restore() {
    var params = new URLSearchParams(location.search);
    field.q.value = params.get("q") || "";
    field.organ.value = params.get("co-quan") || "";
    field.year.value = params.get("nam") || "";
    search();
  }
  var timer;
  form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); remember(true); search(); });
  field.q.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { remember(false); search(); }, 120);
  });
  [field.organ, field.year].forEach(function (f) { f.addEventListener("change", function () { remember(true); search(); }); });
  more.addEventListener("click", function () { if (current) show(current, current.shown); });
  window.addEventListener("popstate", restore);
  restore();
})();
