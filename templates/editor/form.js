// The figures' table: rows added and removed, the unit of the chosen
// indicator shown. Without JavaScript the form posts its empty rows as they are.
(function () {
  var body = document.querySelector("#bang-so-lieu tbody");
  if (!body) return;
  function number() {
    // Rows are posted as f0-…, f1-…: the server reads up to the first gap.
    Array.prototype.forEach.call(body.rows, function (row, i) {
      row.querySelectorAll("[name]").forEach(function (input) {
        input.name = input.name.replace(/^f\d+-/, "f" + i + "-");
        var label = input.getAttribute("aria-label");
        if (label) input.setAttribute("aria-label", label.replace(/\d+$/, String(i + 1)));
      });
      var remove = row.querySelector(".xoa-dong");
      remove.textContent = remove.textContent.replace(/\d+$/, String(i + 1));
    });
  }
  function unit(select) {
    var option = select.options[select.selectedIndex];
    var cell = select.closest("tr").querySelector(".don-vi");
    cell.textContent = (option && option.getAttribute("data-unit")) || "";
    // A unit typed in the file belonged to the indicator chosen before.
    select.closest("td").querySelector("input[type=hidden]").value = "";
  }
  body.addEventListener("change", function (event) {
    if (event.target.classList.contains("chi-tieu")) unit(event.target);
  });
  body.addEventListener("click", function (event) {
    if (!event.target.classList.contains("xoa-dong")) return;
    var row = event.target.closest("tr");
    if (body.rows.length > 1) row.remove();
    else row.querySelectorAll("input, select").forEach(function (i) { i.value = ""; i.checked = false; });
    number();
  });
  var add = document.getElementById("them-dong");
  add.addEventListener("click", function () {
    var row = body.rows[body.rows.length - 1].cloneNode(true);
    row.querySelectorAll("input, select").forEach(function (i) { i.value = ""; i.checked = false; });
    row.querySelectorAll("pre").forEach(function (p) { p.remove(); });
    row.querySelector(".don-vi").textContent = "";
    body.appendChild(row);
    number();
    row.querySelector("select").focus();
  });
  add.hidden = false;
  body.querySelectorAll(".xoa-dong").forEach(function (b) { b.hidden = false; });
})();
// The live preview: the form posted (as it would be saved) a moment after
// the last keystroke; the server renders the page as `build` does.
(function () {
  var frame = document.getElementById("xem-truoc");
  if (!frame || !window.fetch) return;
  var form = frame.closest("form");
  var status = document.getElementById("xem-truoc-trang-thai");
  var problems = document.getElementById("xem-truoc-loi");
  var timer = null;
  var asked = 0;
  frame.closest("section").hidden = false;
  function show() {
    var mine = ++asked;
    status.textContent = "Đang cập nhật…";
    var body = new URLSearchParams(new FormData(form));
    body.delete("publish");
    fetch(form.getAttribute("action") + "?xem-truoc", { method: "POST", body: body })
      .then(function (answer) { return answer.text().then(function (text) { return [answer.ok, text]; }); })
      .then(function (got) {
        if (mine !== asked) return;
        problems.hidden = got[0];
        if (got[0]) frame.srcdoc = got[1]; else problems.textContent = got[1];
        status.textContent = got[0] ? "Đã cập nhật." : "Chưa xem trước được: bài còn lỗi.";
      })
      .catch(function () { status.textContent = "Không kết nối được với bantin serve."; });
  }
  function later() {
    clearTimeout(timer);
    timer = setTimeout(show, 500);
  }
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  show();
})();
// Photos chosen or dropped on the body: each saved beside the article by
// the server, which answers its file name, then written into the body
// where the cursor is, with the caption typed (the alt text).
(function () {
  var body = document.getElementById("body");
  var chooser = document.getElementById("anh");
  if (!body || !chooser || !window.fetch) return;
  var form = body.form;
  var status = document.getElementById("anh-trang-thai");
  var caption = document.getElementById("chu-thich-anh");
  chooser.closest("fieldset").hidden = false;
  // A paragraph of its own: one blank line before and after it.
  function insert(image) {
    var before = body.value.slice(0, body.selectionEnd).replace(/\n*$/, "");
    var after = body.value.slice(body.selectionEnd).replace(/^\n*/, "");
    var head = (before ? before + "\n\n" : "") + image + "\n";
    body.value = head + (after ? "\n" + after : "");
    body.selectionStart = body.selectionEnd = head.length;
    body.dispatchEvent(new Event("input", { bubbles: true }));
  }
  function send(file) {
    var url = form.getAttribute("action").replace(/^\/_soan\//, "/_soan-anh/") +
      "?ten=" + encodeURIComponent(file.name);
    status.textContent = "Đang lưu ảnh " + file.name + "…";
    return fetch(url, { method: "POST", body: file, headers: { "{{ token_header }}": form.elements.token.value } }).then(function (answer) {
      return answer.text().then(function (name) {
        if (!answer.ok) {
          // The server's refusal page says why (too large, not a photo…).
          var page = new DOMParser().parseFromString(name, "text/html").querySelector("main p");
          status.textContent = "Ảnh " + file.name + " chưa lưu: " + (page ? page.textContent.replace(/\s+/g, " ").trim() : answer.status);
          return;
        }
        var alt = caption.value.replace(/[\[\]]/g, "");
        insert("![" + alt + "](" + name + ")");
        status.textContent = "Đã lưu ảnh " + name + " cạnh bài viết.";
      });
    }).catch(function () { status.textContent = "Không kết nối được với bantin serve."; });
  }
  function all(files) {
    Array.prototype.reduce.call(files, function (done, file) {
      return done.then(function () { return send(file); });
    }, Promise.resolve());
  }
  chooser.addEventListener("change", function () { all(chooser.files); chooser.value = ""; });
  body.addEventListener("dragover", function (event) {
    if (event.dataTransfer.types.indexOf("Files") >= 0) event.preventDefault();
  });
  body.addEventListener("drop", function (event) {
    if (!event.dataTransfer.files.length) return;
    event.preventDefault();
    all(event.dataTransfer.files);
  });
})();
// Validation as you type: the form posted a moment after the last change;
// the server answers the problems a save would meet, by field, and each is
// shown beside its field (the ones shown before are taken away).
(function () {
  var title = document.getElementById("title");
  if (!title || !window.fetch) return;
  var form = title.form;
  var hints = { date: "date-hint", tags: "tags-hint" };
  var timer = null;
  var asked = 0;
  function place(key) {
    if (/^f\d+-/.test(key)) {
      var cell = form.elements[key];
      return cell && { inside: cell.closest("td"), input: cell };
    }
    if (key === "indicators") return { after: document.getElementById("bang-so-lieu").parentNode };
    var input = document.getElementById(key);
    return input && { after: document.getElementById(hints[key]) || input, input: input };
  }
  function show(found) {
    form.querySelectorAll("pre.problems").forEach(function (p) {
      if (p.id !== "xem-truoc-loi") p.remove();
    });
    form.querySelectorAll("[data-hint]").forEach(function (input) {
      input.setAttribute("aria-describedby", input.getAttribute("data-hint"));
    });
    Object.keys(found).forEach(function (key) {
      var where = place(key);
      if (!where) return;
      var pre = document.createElement("pre");
      pre.className = "problems";
      pre.id = key + "-problem";
      pre.textContent = found[key];
      if (where.inside) where.inside.appendChild(pre);
      else where.after.insertAdjacentElement("afterend", pre);
      if (where.input) {
        var hint = where.input.getAttribute("aria-describedby") || "";
        if (!where.input.hasAttribute("data-hint")) where.input.setAttribute("data-hint", hint.replace(/ ?\S+-problem/, ""));
        where.input.setAttribute("aria-describedby", (where.input.getAttribute("data-hint") + " " + pre.id).trim());
      }
    });
  }
  function check() {
    var mine = ++asked;
    var body = new URLSearchParams(new FormData(form));
    body.delete("publish");
    fetch(form.getAttribute("action") + "?kiem-tra", { method: "POST", body: body })
      .then(function (answer) { return answer.ok ? answer.json() : null; })
      .then(function (found) { if (found && mine === asked) show(found); })
      .catch(function () {});
  }
  function later() {
    clearTimeout(timer);
    timer = setTimeout(check, 400);
  }
  form.addEventListener("input", later);
  form.addEventListener("change", later);
})();
// The organ found by typing part of its name or alias, with or without
// diacritics (the server gave each option its words as slugs); a tag
// chosen among the site's added to the list.
(function () {
  var select = document.getElementById("organ");
  var search = document.getElementById("tim-co-quan");
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d")
      .toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  }
  if (select && search && select.tagName === "SELECT") {
    search.closest("div").hidden = false;
    search.addEventListener("input", function () {
      var words = fold(search.value);
      var first = null;
      Array.prototype.forEach.call(select.options, function (option) {
        var match = !words || (option.getAttribute("data-tim") || "").indexOf(words) >= 0;
        option.hidden = !match;
        if (match && !first) first = option;
      });
      if (first && words) { select.value = first.value; select.dispatchEvent(new Event("change", { bubbles: true })); }
    });
  }
  var tag = document.getElementById("them-the");
  if (tag) {
    var tags = document.getElementById("tags");
    tag.closest("div").hidden = false;
    document.getElementById("nut-them-the").addEventListener("click", function () {
      var added = tag.value.trim();
      if (!added) return;
      var list = tags.value.split(",").map(function (t) { return t.trim(); }).filter(Boolean);
      if (list.indexOf(added) < 0) list.push(added);
      tags.value = list.join(", ");
      tag.value = "";
      tags.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }
})();
// The body's toolbar (Markdown around the selection, or at the start of its
// lines), the date picked on a calendar written the Vietnamese way, and the
// summary's length against what `check` wants.
(function () {
  var body = document.getElementById("body");
  var bar = document.querySelector(".cong-cu");
  if (body && bar) {
    bar.hidden = false;
    bar.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) return;
      var start = body.selectionStart, end = body.selectionEnd, text = body.value;
      var line = button.getAttribute("data-dong");
      var out;
      if (line) {
        var from = text.lastIndexOf("\n", start - 1) + 1;
        var lines = text.slice(from, end).split("\n").map(function (l) { return line + l; }).join("\n");
        out = text.slice(0, from) + lines + text.slice(end);
        body.value = out;
        body.selectionStart = from;
        body.selectionEnd = from + lines.length;
      } else {
        var before = button.getAttribute("data-truoc"), after = button.getAttribute("data-sau");
        body.value = text.slice(0, start) + before + text.slice(start, end) + after + text.slice(end);
        body.selectionStart = start + before.length;
        body.selectionEnd = end + before.length;
      }
      body.focus();
      body.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }
  var picker = document.getElementById("chon-ngay");
  var date = document.getElementById("date");
  if (picker && date) {
    picker.closest("div").hidden = false;
    var found = /^(\d{4})-(\d{2})-(\d{2})/.exec(date.value) || /^(\d{1,2})\/(\d{1,2})\/(\d{4})/.exec(date.value);
    if (found) {
      var iso = found[1].length === 4 ? found.slice(1, 4) : [found[3], found[2], found[1]];
      picker.value = iso[0] + "-" + ("0" + iso[1]).slice(-2) + "-" + ("0" + iso[2]).slice(-2);
    }
    picker.addEventListener("change", function () {
      var parts = picker.value.split("-");
      if (parts.length !== 3) return;
      var time = (/\s(\d{1,2}:\d{2})$/.exec(date.value) || [])[1];
      date.value = Number(parts[2]) + "/" + Number(parts[1]) + "/" + parts[0] + (time ? " " + time : "");
      date.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }
  var summary = document.getElementById("summary");
  var count = document.getElementById("summary-count");
  if (summary && count) {
    var max = Number(summary.getAttribute("data-max"));
    var show = function () {
      var length = Array.from(summary.value.trim()).length;
      count.textContent = length ? "Hiện có " + length + " ký tự" + (length > max ? ", dài quá." : ".") : "";
    };
    summary.addEventListener("input", show);
    show();
  }
})();
// The glossary's abbreviations the body uses, listed with their meaning as
// the body changes (the page gives each its <abbr>).
(function () {
  var body = document.getElementById("body");
  var list = document.getElementById("viet-tat");
  if (!body || !list) return;
  body.addEventListener("input", function () {
    var text = body.value.normalize("NFC");
    list.querySelectorAll("li").forEach(function (item) {
      item.hidden = text.indexOf(item.getAttribute("data-chu")) < 0;
    });
  });
})();
