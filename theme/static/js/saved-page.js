/* papershelf reading list page (/saved/): the saved papers, newest saved first, with
 * the reader's notes, read/unread filters, export (BibTeX, JSON, a share link) and
 * import (JSON, a share link). What a paper's card shows is cached in its entry and
 * refreshed from the paper's own page, fetched a few at a time and parsed with
 * DOMParser (never run, never inserted as HTML); a page that answers 404 marks the
 * paper "no longer on this site" and keeps it. The store is saved.js; export and
 * import are saved-transfer.js. */
(function () {
  "use strict";

  var root = document.getElementById("saved");
  var api = window.papershelfSaved;
  if (!root) return;
  function $(id) { return document.getElementById(id); }
  if (!api) {
    $("saved-unavailable").hidden = false;
    return;
  }
  var _ = api._, ngettext = api.ngettext;
  var CONCURRENCY = 4;
  var filter = "all";
  var items = {}; // id -> its <li>
  var pages = {}; // id -> promise of {status: "ok" | "gone" | "error", meta, bibtex}
  var noteIds = 0;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function button(text, onClick, className) {
    var node = element("button", className || "button", text);
    node.type = "button";
    node.addEventListener("click", onClick);
    return node;
  }

  /* ---- each paper's own page, a few at a time ---- */
  var queue = [], running = 0;
  function pump() {
    while (running < CONCURRENCY && queue.length) {
      running++;
      queue.shift()().then(function () { running--; pump(); });
    }
  }
  function page(id, url) {
    if (pages[id]) return pages[id];
    pages[id] = new Promise(function (done) {
      queue.push(function () {
        var address = api.resolve(url);
        // Revalidated: a paper removed since it was cached must answer 404.
        return fetch(address, { credentials: "same-origin", cache: "no-cache" }).then(function (response) {
          if (response.status === 404 || response.status === 410) return done({ status: "gone" });
          if (!response.ok) return done({ status: "error" });
          return response.text().then(function (html) {
            var doc = new DOMParser().parseFromString(html, "text/html");
            // A host may answer a missing page with its 404 page and status 200.
            if (!doc.querySelector("article.paper")) return done({ status: "gone" });
            var bibtex = doc.querySelector("pre.bibtex");
            done({ status: "ok", meta: api.readPage(doc, address), bibtex: bibtex ? bibtex.textContent.trim() : "" });
          });
        }).then(null, function () { done({ status: "error" }); });
      });
      pump();
    });
    return pages[id];
  }
  // What a fetched page said goes into the stored entry (if the paper is still saved).
  function check(id, entry) {
    return page(id, entry.url).then(function (found) {
      if (found.status === "error") return found;
      api.update(function (state) {
        var kept = state.papers[id];
        if (!kept) return false;
        var before = JSON.stringify([kept.title, kept.meta]);
        kept.meta = found.status === "gone" ? Object.assign({}, kept.meta, { gone: true }) : found.meta;
        if (found.status === "ok" && found.meta.title) kept.title = found.meta.title;
        api.clean(id, kept);
        return JSON.stringify([kept.title, kept.meta]) !== before; // unchanged: nothing written
      });
      return found;
    });
  }

  /* ---- the list ---- */
  function sorted(papers) {
    return Object.keys(papers).sort(function (a, b) {
      return papers[a].saved < papers[b].saved ? 1 : papers[a].saved > papers[b].saved ? -1 : (a < b ? -1 : 1);
    });
  }
  function item(id) {
    var li = element("li");
    var card = element("article", "card saved-item");
    var heading = element("h3", "card-title");
    var meta = element("p", "card-meta");
    var summary = element("p", "card-summary");
    var tags = element("ul", "chips");
    tags.setAttribute("aria-label", _("Tags"));
    var noteId = "saved-note-" + (++noteIds);
    var label = element("label", "saved-note-label", _("Your note"));
    label.htmlFor = noteId;
    var note = element("textarea", "saved-note");
    note.id = noteId;
    note.rows = 2;
    note.maxLength = 2000;
    note.addEventListener("change", function () {
      var value = note.value;
      if (api.update(function (state) { if (state.papers[id]) state.papers[id].note = value; })) {
        api.announce(_("Note saved."));
      }
    });
    var actions = element("p", "saved-buttons");
    var readButton = button("", function () {
      var now;
      api.update(function (state) {
        if (state.papers[id]) now = state.papers[id].read = !state.papers[id].read;
      });
      if (now !== undefined) api.announce(now ? _("Marked as read.") : _("Marked as unread."));
    });
    var remove = button(_("Remove"), function () {
      var title = heading.textContent;
      var next = li.nextElementSibling || li.previousElementSibling;
      api.update(function (state) { delete state.papers[id]; });
      api.announce(_("Removed from your reading list: %(title)s", { title: title }));
      focusIn(next);
    });
    actions.append(readButton, " ", remove);
    card.append(heading, meta, summary, tags, label, note, actions);
    li.appendChild(card);
    li.parts = { heading: heading, meta: meta, summary: summary, tags: tags, note: note, read: readButton };
    return li;
  }
  function fill(li, id, entry) {
    var parts = li.parts, m = entry.meta;
    var title = m.title || entry.title;
    li.dataset.read = entry.read ? "read" : "unread";
    li.hidden = filter !== "all" && filter !== li.dataset.read;
    if (document.activeElement !== parts.note) parts.note.value = entry.note;
    parts.read.textContent = entry.read ? _("Mark as unread") : _("Mark as read");
    // Rebuilt only when it changed: a link the reader is on keeps the focus.
    var shown = JSON.stringify([title, entry.url, entry.saved, entry.read, m]);
    if (li.shown === shown) return;
    li.shown = shown;
    var focused = parts.heading.contains(document.activeElement);
    parts.heading.textContent = "";
    if (m.gone) {
      parts.heading.appendChild(element("span", "", title));
    } else {
      var link = element("a", "", title);
      link.href = api.resolve(entry.url);
      parts.heading.appendChild(link);
    }
    parts.heading.lang = api.textLang(title);
    parts.meta.textContent = "";
    if (m.date) {
      var day = element("time", "", api.dateText(m.date));
      day.setAttribute("datetime", m.date.slice(0, 10));
      parts.meta.appendChild(day);
    }
    parts.meta.appendChild(element("span", "", _("saved %(day)s", { day: api.dateText(entry.saved) })));
    if (entry.read) parts.meta.appendChild(element("span", "badge", _("read")));
    if (m.gone) parts.meta.appendChild(element("span", "badge badge-muted", _("no longer on this site")));
    parts.summary.textContent = m.summary;
    parts.summary.lang = api.textLang(m.summary);
    parts.summary.hidden = !m.summary;
    parts.tags.textContent = "";
    m.tags.forEach(function (tag) {
      var chip = element(tag[1] ? "a" : "span", "chip", tag[0]);
      if (tag[1]) chip.href = api.resolve(tag[1]);
      chip.lang = api.textLang(tag[0]);
      parts.tags.appendChild(element("li")).appendChild(chip);
    });
    parts.tags.hidden = !m.tags.length;
    if (focused && !li.hidden) focusIn(li);
  }
  function focusIn(li) {
    var target = li && !li.hidden && li.querySelector("h3 a, h3 span");
    if (target && target.tagName === "SPAN") target.tabIndex = -1;
    (target || $("saved-title")).focus();
  }
  function render() {
    var state = api.read().state, papers = state.papers, list = $("saved-list");
    var ids = sorted(papers), focused = document.activeElement, lost = null;
    Object.keys(items).forEach(function (id) {
      if (!papers[id]) { items[id].remove(); delete items[id]; }
    });
    ids.forEach(function (id, at) {
      var li = items[id] || (items[id] = item(id));
      if (list.children[at] !== li) list.insertBefore(li, list.children[at] || null);
      var was = li.hidden;
      fill(li, id, papers[id]);
      if (!was && li.hidden && li.contains(focused)) lost = li;
    });
    if (lost) focusIn(Array.prototype.filter.call(list.children, function (li) { return !li.hidden; })[0]);
    var read = ids.filter(function (id) { return papers[id].read; }).length;
    $("saved-count").textContent = ids.length ? ngettext("%(num)s paper saved, %(read)s read",
      "%(num)s papers saved, %(read)s read", ids.length, { num: ids.length, read: read }) : "";
    var shown = filter === "all" ? ids.length : filter === "read" ? read : ids.length - read;
    var emptyNote = $("saved-empty");
    emptyNote.hidden = shown > 0;
    emptyNote.textContent = !ids.length ? _("Nothing saved yet. Press Save on a paper, a card or a search result, and it appears here.")
      : filter === "read" ? _("No paper marked as read yet.") : _("Every saved paper is read.");
    $("saved-share").value = location.href.split("#")[0] + "#papers=" + ids.map(encodeURIComponent).join(",");
    $("saved-share-copy").disabled = $("saved-bibtex").disabled = $("saved-json").disabled = !ids.length;
  }

  function download(name, type, body) {
    var link = element("a");
    link.href = URL.createObjectURL(new Blob([body], { type: type }));
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
  }
  // For saved-transfer.js (export and import), loaded after this file.
  api.list = { $: $, element: element, page: page, check: check, sorted: sorted, download: download };

  /* ---- start: once saved-transfer.js has run too (deferred scripts all run before
   * DOMContentLoaded) and the catalog is in ---- */
  var loaded = new Promise(function (done) {
    if (document.readyState === "complete") done();
    else document.addEventListener("DOMContentLoaded", done);
  });
  Promise.all([api.ready, loaded]).then(function () {
    var current = api.read();
    if (current.status === "unavailable") { $("saved-unavailable").hidden = false; return; }
    if (current.status === "newer") { $("saved-newer").hidden = false; return; }
    var aside = api.store.getItem(api.ASIDE);
    if (aside !== null) {
      $("saved-broken").hidden = false;
      $("saved-broken-download").addEventListener("click", function () {
        download("reading-list-unreadable.txt", "text/plain", api.store.getItem(api.ASIDE) || "");
      });
      $("saved-broken-delete").addEventListener("click", function () {
        api.store.removeItem(api.ASIDE);
        $("saved-broken").hidden = true;
        api.announce(_("The unreadable data was deleted."));
        $("saved-title").focus();
      });
    }
    $("saved-main").hidden = false;
    Array.prototype.forEach.call(root.querySelectorAll("[data-filter]"), function (choice, at, all) {
      choice.addEventListener("click", function () {
        filter = choice.dataset.filter;
        Array.prototype.forEach.call(all, function (other) {
          other.setAttribute("aria-pressed", other === choice ? "true" : "false");
        });
        render();
      });
    });
    document.addEventListener("papershelf-saved", render);
    render();
    var papers = api.read().state.papers;
    sorted(papers).forEach(function (id) { check(id, papers[id]); });
    var transfer = api.transfer;
    if (!transfer) return; // saved-transfer.js did not load: the list works without it
    $("saved-bibtex").addEventListener("click", transfer.exportBibtex);
    $("saved-json").addEventListener("click", transfer.exportJson);
    $("saved-share-copy").addEventListener("click", transfer.copyLink);
    $("saved-import-file").addEventListener("change", function (event) {
      if (event.target.files[0]) transfer.importFile(event.target.files[0]);
      event.target.value = "";
    });
    transfer.offerShared();
    // A share link followed from this very page changes only the fragment.
    window.addEventListener("hashchange", transfer.offerShared);
  });
})();
