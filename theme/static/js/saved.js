/* papershelf reading list, on every page: the store and the save toggles.
 * The list lives in localStorage under one key per site (its base path: several
 * sites may share an origin), as {"version": 1, "papers": {id: {url, title, saved,
 * read, note, meta}}}. A list of a newer version is never written over; a value
 * that cannot be read is kept aside under KEY + ":unreadable". Without storage the
 * toggles stay hidden (saved-page.js says why). Every write reads the list again
 * first, so two tabs do not undo each other. Data is inserted as text only.
 * Exposed as window.papershelfSaved for search-ui.js and saved-page.js. */
(function () {
  "use strict";

  var VERSION = 1;
  var config = (document.currentScript && document.currentScript.dataset) || {};
  var siteRoot = new URL(config.siteUrl || "./", document.baseURI);
  var KEY = "papershelf-saved:" + siteRoot.pathname;
  var ASIDE = KEY + ":unreadable";
  var i18n = window.papershelfI18n;
  var ready = i18n.ready;
  var _ = i18n._, ngettext = i18n.ngettext, dateText = i18n.dateText, textLang = i18n.textLang;

  /* ---- URLs: stored relative to the site's root, never outside it ---- */
  var ID = /^[^\s\/\\?#%<>"]{1,200}$/;
  var pattern = (window.papershelfSite || {}).articleUrl || "papers/{slug}/";
  var idPattern = new RegExp("^" + pattern.split(/\{(\w+)\}/).map(function (part, i) {
    return i % 2 ? (part === "slug" ? "([^/]+)" : "[^/]+") : part.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
  }).join("") + "$");
  function relative(url) {
    var full = new URL(url, siteRoot);
    if (full.origin !== siteRoot.origin || full.pathname.indexOf(siteRoot.pathname) !== 0) return null;
    return full.pathname.slice(siteRoot.pathname.length);
  }
  function urlFor(id) { return pattern.replace("{slug}", id); }
  function idOf(url) {
    var found = idPattern.exec(relative(url) || "");
    return found ? decodeURIComponent(found[1]) : null;
  }
  function resolve(url) { return new URL(url, siteRoot).href; }

  /* ---- storage ---- */
  var store = (function () {
    try {
      var s = window.localStorage, probe = KEY + ":probe";
      s.setItem(probe, "1");
      s.removeItem(probe);
      return s;
    } catch (error) {
      return null; // disabled, blocked or full: no list here
    }
  })();
  function empty() { return { version: VERSION, papers: {} }; }
  function text(value, limit) { return typeof value === "string" ? value.slice(0, limit) : ""; }
  // One entry as this version knows it; anything else it held is kept as it was.
  function clean(id, entry) {
    if (!ID.test(id) || !entry || typeof entry !== "object") return null;
    entry.url = (typeof entry.url === "string" && relative(entry.url)) || urlFor(id);
    entry.title = text(entry.title, 500) || id;
    entry.saved = text(entry.saved, 40) || "1970-01-01T00:00:00.000Z";
    entry.read = entry.read === true;
    entry.note = text(entry.note, 2000);
    var meta = entry.meta && typeof entry.meta === "object" ? entry.meta : {};
    entry.meta = {
      title: text(meta.title, 500), date: text(meta.date, 40), summary: text(meta.summary, 1000),
      tags: (Array.isArray(meta.tags) ? meta.tags : []).slice(0, 50).map(function (tag) {
        tag = Array.isArray(tag) ? tag : [tag];
        return [text(tag[0], 100), (typeof tag[1] === "string" && relative(tag[1])) || null];
      }).filter(function (tag) { return tag[0]; }),
      gone: meta.gone === true
    };
    return entry;
  }
  // {state, status}: "ok", "unavailable", "newer" (read only) or "broken" (kept aside).
  function read() {
    if (!store) return { state: empty(), status: "unavailable" };
    var raw, data = null;
    try { raw = store.getItem(KEY); } catch (error) { return { state: empty(), status: "unavailable" }; }
    if (raw === null) return { state: empty(), status: "ok" };
    try { data = JSON.parse(raw); } catch (error) { data = null; }
    if (data && typeof data.version === "number" && data.version > VERSION) {
      return { state: empty(), status: "newer" };
    }
    if (!data || data.version !== VERSION || !data.papers || typeof data.papers !== "object") {
      try {
        store.setItem(ASIDE, raw);
        store.removeItem(KEY);
      } catch (error) {
        return { state: empty(), status: "unavailable" };
      }
      return { state: empty(), status: "broken" };
    }
    Object.keys(data.papers).forEach(function (id) {
      if (!clean(id, data.papers[id])) delete data.papers[id];
    });
    return { state: data, status: "ok" };
  }
  // Applies change(state) to the list as stored now (change returns false: it changed
  // nothing, so nothing is written); the new state, or null.
  function update(change) {
    var current = read();
    if (current.status === "unavailable" || current.status === "newer") return null;
    if (change(current.state) === false) return current.state;
    try {
      store.setItem(KEY, JSON.stringify(current.state));
    } catch (error) {
      announce(_("Not saved: this browser's storage for the site is full or turned off."));
      return null;
    }
    refresh();
    return current.state;
  }

  var live = null;
  function announce(message) {
    live = live || document.getElementById("saved-live");
    if (!live) {
      live = document.createElement("p");
      live.className = "visually-hidden";
      live.setAttribute("role", "status");
      live.setAttribute("aria-live", "polite");
      document.body.appendChild(live);
    }
    // Cleared first: the same message twice is announced twice.
    live.textContent = "";
    setTimeout(function () { live.textContent = message; }, 50);
  }

  /* ---- what a page, a card or a search result says of its paper ---- */
  function content(doc, selector) {
    var node = doc.querySelector(selector);
    return node ? (node.getAttribute("content") || "").trim() : "";
  }
  function chips(root) {
    return Array.prototype.map.call(root.querySelectorAll("a.chip"), function (a) {
      return [a.textContent.trim(), a.getAttribute("href")];
    });
  }
  // The first full day among the page's dates (Highwire may give a year alone).
  function bestDay(dates) {
    dates = dates.map(function (day) { return (day || "").replace(/\//g, "-"); });
    return dates.filter(function (day) { return /^\d{4}-\d\d-\d\d/.test(day); })[0] ||
      dates.filter(Boolean)[0] || "";
  }
  // A paper's page (this one, or one fetched and parsed): its meta tags, then its facts.
  // Links in a fetched page are relative to its own address, `base`.
  function readPage(doc, base) {
    // An import's day (time.import-day) is no date of the paper.
    var time = doc.querySelector(".facts time[datetime]:not(.import-day)");
    var data = {}, block = doc.querySelector("script[type='application/ld+json']");
    try { data = JSON.parse(block.textContent) || {}; } catch (error) { data = {}; } // parsed, never run
    var heading = doc.querySelector("article.paper h1");
    var tags = chips(doc.querySelector(".facts") || doc).map(function (tag) {
      return [tag[0], new URL(tag[1], base || document.baseURI).href];
    });
    return {
      title: content(doc, "meta[name=citation_title]") || (heading ? heading.textContent.trim() : "") ||
        content(doc, "meta[property='og:title']"),
      date: bestDay([content(doc, "meta[name=citation_publication_date]"), text(data.datePublished, 40),
        time ? time.getAttribute("datetime") : ""]),
      summary: content(doc, "meta[name=description]"),
      tags: tags,
      gone: false
    };
  }
  function readCard(card) {
    var title = card.querySelector(".card-title"), time = card.querySelector("time[datetime]:not(.import-day)");
    var summary = card.querySelector(".card-summary");
    return {
      title: title ? title.textContent.trim() : "",
      date: time ? time.getAttribute("datetime") : "",
      summary: summary ? summary.textContent.trim() : "",
      tags: chips(card).map(function (tag) { return [tag[0], new URL(tag[1], document.baseURI).href]; }),
      gone: false
    };
  }

  /* ---- the toggles ---- */
  var saved = {};
  function paint(button) {
    var on = !!saved[button.dataset.paper];
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.textContent = on ? _("Saved") : _("Save");
    button.hidden = false;
  }
  function refresh() {
    var current = read();
    if (current.status === "unavailable" || current.status === "newer") return;
    saved = current.state.papers;
    Array.prototype.forEach.call(document.querySelectorAll("button.save[data-paper]"), paint);
    document.dispatchEvent(new CustomEvent("papershelf-saved"));
  }
  function toggle(button, metaOf) {
    var id = button.dataset.paper;
    var meta = null;
    var after = update(function (state) {
      if (state.papers[id]) {
        meta = state.papers[id].meta;
        delete state.papers[id];
        return;
      }
      meta = metaOf();
      state.papers[id] = clean(id, {
        url: button.dataset.url, title: meta.title, saved: new Date().toISOString(),
        read: false, note: "", meta: meta
      });
    });
    if (!after) return;
    var title = meta.title || id;
    announce(after.papers[id] ? _("Saved to your reading list: %(title)s", { title: title })
      : _("Removed from your reading list: %(title)s", { title: title }));
  }
  function metaNear(button) {
    var card = button.closest(".card");
    return card ? readCard(card) : readPage(document);
  }
  // A toggle for a search result (doc: the index's t, u, d, g). Its summary comes
  // from its page, which the reading list reads (saved-page.js).
  function button(doc) {
    var id = idOf(doc.u);
    var node = document.createElement("button");
    node.type = "button";
    node.className = "save";
    node.hidden = true;
    if (!id || !store) return node;
    node.dataset.paper = id;
    node.dataset.url = doc.u;
    node.addEventListener("click", function () {
      toggle(node, function () {
        return { title: doc.t, date: doc.d, summary: "", gone: false,
          tags: (doc.g || []).map(function (tag) { return [tag[0], null]; }) };
      });
    });
    ready.then(function () { paint(node); });
    return node;
  }

  // A paper page's toggle, made in its slot (paper.html): the page's own address
  // names the paper, so no page carries a button that does nothing without
  // JavaScript or storage. Hidden until painted; the slot keeps its room.
  function pageToggle(slot) {
    if (!slot || slot.querySelector("button.save")) return;
    var address = new URL(document.location.href);
    address.search = address.hash = "";
    var url = relative(address.href.replace(/index\.html$/, ""));
    var id = url && idOf(url);
    if (!id) return;
    var node = document.createElement("button");
    node.type = "button";
    node.className = "save";
    node.setAttribute("aria-pressed", "false");
    node.hidden = true;
    node.dataset.paper = id;
    node.dataset.url = url;
    node.textContent = _("Save");
    slot.appendChild(node);
  }

  window.papershelfSaved = {
    VERSION: VERSION, KEY: KEY, ASIDE: ASIDE, ID: ID, store: store, ready: ready,
    _: _, ngettext: ngettext, dateText: dateText, textLang: textLang, announce: announce,
    read: read, update: update, clean: clean, readPage: readPage, button: button,
    relative: relative, resolve: resolve, urlFor: urlFor, idOf: idOf
  };
  if (!store) return;
  pageToggle(document.querySelector("article.paper .paper-actions"));
  Array.prototype.forEach.call(document.querySelectorAll("button.save[data-paper]"), function (node) {
    node.addEventListener("click", function () { toggle(node, function () { return metaNear(node); }); });
  });
  ready.then(refresh);
  // Another tab changed the list: show it here too.
  window.addEventListener("storage", function (event) {
    if (event.key === KEY || event.key === null) refresh();
  });
})();
