/* papershelf search box (every page) and search page (/search/?q=...).
 * The index is loaded by search-worker.js, started when a search box gets focus.
 * Everything from the index is inserted as text (textContent), never as HTML.
 * Its words come from i18n.js. */
(function () {
  "use strict";

  if (!window.Worker || !window.papershelfI18n) return;
  // The worker sits beside this script, whose tag names the site's root; the search
  // page and the index folder are the site's settings (papershelf.site.page_scripts).
  var script = document.currentScript;
  var site = window.papershelfSite || {};
  var workerUrl = new URL("search-worker.js", script.src).href;
  var siteUrl = script.dataset.siteUrl || "";
  var form = document.querySelector("form.site-search") || headerBox(document.querySelector("div.site-search"));
  if (!form) return;
  var searchPage = form.getAttribute("action");
  var searchIndex = form.dataset.searchIndex || siteUrl + (site.searchIndex || "search/");
  var DEBOUNCE_MS = 120;
  var PANEL_SIZE = 8;
  var PAGE_SIZE = 10;
  var worker = null;
  var pending = Object.create(null);
  var lastId = 0;
  // The interface's words and formats (i18n.js); answers are shown once its
  // catalog has loaded or failed (then in English).
  var i18n = window.papershelfI18n;
  var catalogReady = i18n.ready;
  var _ = i18n._, ngettext = i18n.ngettext, number = i18n.number;
  var dateText = i18n.dateText, textLang = i18n.textLang;

  /* The header's search box, made here in place of its slot (partials/search_box.html):
   * search needs JavaScript, so a page without it has no box that could only lead to
   * the search page saying so, and 100,000 paper pages do not carry its 0.3 KB. The
   * slot keeps the box's room, so nothing moves when it appears. */
  function headerBox(slot) {
    if (!slot) return null;
    var i18n = window.papershelfI18n;
    var made = document.createElement("form");
    made.className = "site-search";
    made.setAttribute("role", "search");
    made.method = "get";
    made.setAttribute("action", siteUrl + (site.searchPage || "search/"));
    var box = document.createElement("input");
    box.id = "site-search-q";
    box.className = "search-input";
    box.type = "search";
    box.name = "q";
    box.autocomplete = "off";
    box.spellcheck = false;
    function name() {
      made.setAttribute("aria-label", i18n._("Quick search"));
      box.setAttribute("aria-label", i18n._("Search papers"));
      box.placeholder = i18n._("Search papers, tag:moe, 混合专家");
    }
    name();
    i18n.ready.then(name);
    made.appendChild(box);
    slot.replaceWith(made);
    return made;
  }

  function absolute(url) {
    return new URL(url, document.baseURI).href;
  }

  function startWorker() {
    if (worker) return;
    var base = absolute(searchIndex);
    worker = new Worker(workerUrl + "#" + encodeURIComponent(base));
    worker.onmessage = function (event) {
      var reply = event.data;
      if (reply.type === "ready") return;
      var handle = pending[reply.id];
      // A final answer with more: true is followed by its snippets.
      var last = reply.type !== "results" || (reply.final && !reply.more);
      if (last) delete pending[reply.id];
      if (handle) catalogReady.then(function () { handle(reply); });
    };
    worker.postMessage({ type: "init", base: base, site: absolute(siteUrl) });
  }

  // onReply runs for each answer: the best results first, then the whole page (final),
  // then perhaps their snippets ({type: "snippets"}: see search-worker.js).
  function ask(q, offset, limit, onReply, sort) {
    startWorker();
    var id = ++lastId;
    pending[id] = onReply;
    worker.postMessage({ type: "search", id: id, q: q, sort: sort, offset: offset, limit: limit });
  }

  // The counts beside the results of (q, sort): onReply({type: "facets", counts}).
  function askFacets(q, sort, onReply) {
    startWorker();
    var id = ++lastId;
    pending[id] = onReply;
    worker.postMessage({ type: "facets", id: id, q: q, sort: sort });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Text with <mark> around the [start, end) ranges the worker found.
  function marked(tag, className, text, ranges) {
    var node = element(tag, className);
    var at = 0;
    (ranges || []).forEach(function (range) {
      node.appendChild(document.createTextNode(text.slice(at, range[0])));
      node.appendChild(element("mark", "", text.slice(range[0], range[1])));
      at = range[1];
    });
    node.appendChild(document.createTextNode(text.slice(at)));
    return node;
  }

  function addTag(input, slug) {
    var filter = "tag:" + (/\s/.test(slug) ? '"' + slug + '"' : slug);
    if (input.value.split(/\s+/).indexOf(filter) < 0) {
      // trimEnd, not /\s+$/ (which backtracks quadratically over a long run of spaces).
    input.value = (input.value.trimEnd() + " " + filter + " ").trimStart();
    }
    input.focus();
    input.dispatchEvent(new Event("input"));
  }

  function resultItem(item, input) {
    var doc = item.doc;
    var li = element("li", "search-result");
    li.dataset.ref = String(item.ref);
    var link = element("a", "search-result-title");
    link.href = absolute(siteUrl + doc.u);
    link.appendChild(marked("span", "", doc.t, item.marks.title));
    link.lang = textLang(doc.t);
    li.appendChild(link);
    var meta = element("p", "search-result-meta");
    if (doc.d) {
      var time = element("time", "", dateText(doc.d));
      time.setAttribute("datetime", doc.d);
      meta.appendChild(time);
    } else {
      meta.appendChild(element("span", "muted", _("undated")));
    }
    if (doc.g.length) {
      var chips = element("span", "chips inline");
      doc.g.forEach(function (tag) {
        var chip = element("button", "chip", tag[0]);
        chip.type = "button";
        chip.title = _("Only papers tagged %(tag)s", { tag: tag[0] });
        chip.addEventListener("mousedown", function (event) { event.preventDefault(); });
        chip.addEventListener("click", function () { addTag(input, tag[1]); });
        chips.appendChild(chip);
      });
      meta.appendChild(chips);
    }
    // The reading list's toggle (saved.js), when the site has one.
    if (window.papershelfSaved) meta.appendChild(window.papershelfSaved.button(doc));
    li.appendChild(meta);
    li.appendChild(passage(item));
    return li;
  }

  // Where a snippet comes from, when not the summary.
  function passageSource(field) {
    if (field === "abstract") return _("Abstract:");
    if (field === "note") return _("Curator's note:");
    return "";
  }

  /* The passage under a result: its snippet (the words around the matched ones, from
   * the summary, abstract or note) once the worker has read the paper's page; until
   * then empty (the index holds no summary; a test's doc may). Always there and of
   * fixed height (CSS), so the snippet arriving moves nothing. */
  function passage(item) {
    var snippet = item.snippet || { field: "summary", text: item.doc.s || "", ranges: item.marks.summary };
    var node = marked("p", "search-result-summary", snippet.text, snippet.ranges);
    var source = passageSource(snippet.field);
    if (source) {
      var label = element("span", "search-result-source", source);
      label.lang = document.documentElement.lang;  // the interface's words, not the paper's
      node.insertBefore(document.createTextNode(" "), node.firstChild);
      node.insertBefore(label, node.firstChild);
    }
    if (snippet.text) node.lang = textLang(snippet.text);
    return node;
  }

  // A {type: "snippets"} answer: each listed result's summary gives way to its snippet.
  function showSnippets(list, reply) {
    reply.items.forEach(function (entry) {
      if (!entry.snippet) return;
      var li = list.querySelector('li[data-ref="' + Number(entry.ref) + '"]');
      var old = li && li.querySelector(".search-result-summary");
      if (!old) return;
      old.replaceWith(passage({ doc: {}, marks: {}, snippet: entry.snippet }));
    });
  }

  function countText(total, q) {
    if (!total) return _("No papers match \u201c%(query)s\u201d.", { query: q.trim() });
    return ngettext("%(num)s paper", "%(num)s papers", total, { num: number(total) });
  }

  function emptyHelp() {
    var p = element("p", "search-empty", _("Try fewer or shorter words, a prefix such as quant*, or "));
    var link = element("a", "", _("browse the tags"));
    link.href = absolute(siteUrl + "tags/");
    p.appendChild(link);
    p.appendChild(document.createTextNode(_(".")));
    return p;
  }

  function debounced(fn) {
    var timer = null;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, DEBOUNCE_MS);
    };
  }

  /* ---- the box in the header ----
   * Not a combobox: the panel is a labelled region with a list of plain links (and
   * tag chips), so every result keeps its link semantics. Down moves the focus from
   * the box to the first result, Up/Down between results (Up from the first returns
   * to the box), Escape closes the panel; the count is announced by a live region. */

  var input = form.querySelector("input[name=q]");

  // The panel, its hint and the live region are made here rather than written
  // into every page: without JavaScript the form opens the search page and needs
  // none of them. A page that has them already (a test's) keeps its own.
  function part(selector, make) {
    var node = form.querySelector(selector);
    if (!node) {
      node = make();
      form.appendChild(node);
    }
    return node;
  }
  var hint = part("#site-search-hint", function () {
    var node = element("p", "visually-hidden");
    node.id = "site-search-hint";
    return node;
  });
  // Announced while the panel may still be hidden, so it lives outside it.
  var live = part("#site-search-live", function () {
    var node = element("p", "visually-hidden");
    node.id = "site-search-live";
    node.setAttribute("role", "status");
    node.setAttribute("aria-live", "polite");
    return node;
  });
  var panel = part(".search-panel", function () {
    var node = element("section", "search-panel");
    node.id = "site-search-panel";
    node.hidden = true;
    node.appendChild(element("p", "search-status"));
    var list = element("ol", "search-results");
    list.id = "site-search-results";
    node.appendChild(list);
    var all = element("a", "search-all");
    all.href = searchPage;
    node.appendChild(all);
    return node;
  });
  var panelList = panel.querySelector(".search-results");
  var panelStatus = panel.querySelector(".search-status");
  var allLink = panel.querySelector(".search-all");
  input.setAttribute("aria-controls", panel.id || "site-search-panel");
  catalogReady.then(function () {
    if (!hint.textContent) hint.textContent = _("Results appear as you type; press Down to reach them.");
    if (panel.getAttribute("aria-label") === null) panel.setAttribute("aria-label", _("Search results"));
    if (!allLink.textContent) allLink.textContent = _("All results");
  });
  var panelQuery = 0;

  // The result titles, then "All results": where Up/Down move the focus.
  function panelStops() {
    var stops = Array.prototype.slice.call(panelList.querySelectorAll("a.search-result-title"));
    stops.push(allLink);
    return stops;
  }

  function showPanel(visible) {
    panel.hidden = !visible;
  }

  function closePanel() {
    var inside = panel.contains(document.activeElement);
    showPanel(false);
    if (inside) input.focus();
  }

  function announce(text) {
    if (live && live.textContent !== text) live.textContent = text;
  }

  function updatePanel() {
    var q = input.value;
    if (!q.trim()) {
      showPanel(false);
      announce("");
      return;
    }
    var mine = ++panelQuery;
    ask(q, 0, PANEL_SIZE, function (reply) {
      // Snippets depend on the query's words only, so a later answer to the same words
      // can still take them; those of words since changed are dropped (they are no
      // list of results: shown as one, they threw).
      if (reply.type === "snippets") {
        if (reply.q === input.value) showSnippets(panelList, reply);
        return;
      }
      if (mine !== panelQuery) return;
      panelList.textContent = "";
      if (reply.type === "error") {
        panelStatus.textContent = _("Search is unavailable: %(reason)s", { reason: reply.message });
      } else {
        panelStatus.textContent = countText(reply.total, q);
        reply.items.forEach(function (item) {
          panelList.appendChild(resultItem(item, input));
        });
      }
      announce(panelStatus.textContent);
      // URLSearchParams, not encodeURIComponent: a lone surrogate (half of a pasted
      // emoji) becomes U+FFFD instead of throwing URIError and leaving the panel shut.
      allLink.href = absolute(searchPage) + "?" + new URLSearchParams({ q: q.trim() });
      showPanel(true);
    });
  }

  var onPageSearch = !!document.getElementById("search-page-q");
  input.addEventListener("focus", startWorker);
  if (!onPageSearch) {
    input.setAttribute("aria-describedby", hint.id);
    input.addEventListener("input", debounced(updatePanel));
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        showPanel(false);
      } else if (event.key === "ArrowDown" && input.value.trim() && panelList.firstChild) {
        event.preventDefault();
        if (panel.hidden) showPanel(true);
        else panelStops()[0].focus();
      }
    });
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.preventDefault();
        closePanel();
        return;
      }
      if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
      var stops = panelStops();
      // From a tag chip, move as from the title of its result.
      var item = event.target.closest(".search-result");
      var from = item ? item.querySelector("a.search-result-title") : event.target;
      var at = stops.indexOf(from);
      if (at < 0) return;
      event.preventDefault();
      var next = at + (event.key === "ArrowDown" ? 1 : -1);
      if (next < 0) input.focus();
      else if (stops[next]) stops[next].focus();
    });
    // The result holding the focus is highlighted (.active), as the mouse hovers.
    panel.addEventListener("focusin", function (event) {
      var item = event.target.closest(".search-result");
      Array.prototype.forEach.call(panelList.children, function (li) {
        li.classList.toggle("active", li === item);
      });
    });
    panel.addEventListener("focusout", function (event) {
      var item = event.target.closest(".search-result");
      if (item && !item.contains(event.relatedTarget)) item.classList.remove("active");
    });
    // Tabbing or clicking away from the box and its panel closes the panel.
    form.addEventListener("focusout", function (event) {
      if (event.relatedTarget && !form.contains(event.relatedTarget)) showPanel(false);
    });
    document.addEventListener("click", function (event) {
      if (!form.contains(event.target)) showPanel(false);
    });
  }

  /* ---- the search page ---- */

  var pageInput = document.getElementById("search-page-q");
  if (!pageInput) return;
  var pageList = document.getElementById("search-page-results");
  var pageStatus = document.getElementById("search-page-status");
  var moreButton = document.querySelector(".search-more");
  var pageQuery = 0;
  var shown = 0;
  var currentQuery = "";

  // `kept`: results already on the page that this answer comes after ("Show more").
  function render(reply, kept) {
    if (reply.type === "snippets") return showSnippets(pageList, reply);
    while (pageList.children.length > kept) pageList.lastChild.remove();
    var old = document.querySelector(".search-empty");
    if (old) old.remove();
    if (reply.type === "error") {
      pageStatus.textContent = _("Search is unavailable: %(reason)s", { reason: reply.message });
      moreButton.hidden = true;
      if (facetsBox) facetsBox.hidden = true;
      return;
    }
    pageStatus.textContent = currentQuery.trim() ? countText(reply.total, currentQuery) : "";
    reply.items.forEach(function (item) { pageList.appendChild(resultItem(item, pageInput)); });
    shown = reply.offset + reply.items.length;
    moreButton.hidden = shown >= reply.total;
    if (currentQuery.trim() && !reply.total) pageStatus.after(emptyHelp());
    if (!kept && reply.final !== false) showFacets(reply);
  }

  /* ---- counts beside the results, and the sort ----
   * Each count is a button adding its filter to the query (or, pressed, taking it
   * out again). The box keeps its width as the counts arrive, so nothing moves. */

  var sortSelect = document.getElementById("search-sort");
  var facetsBox = document.getElementById("search-facets");
  var facetRound = 0;

  function currentSort() {
    return sortSelect ? sortSelect.value : "relevance";
  }

  function filterWord(kind, value) {
    return kind + ":" + (/\s/.test(value) ? '"' + value + '"' : value);
  }

  function queryWords() {
    return pageInput.value.split(/\s+/).filter(Boolean);
  }

  function toggleFilter(word) {
    var words = queryWords();
    var lower = word.toLowerCase();
    var kept = words.filter(function (w) { return w.toLowerCase() !== lower; });
    pageInput.value = (kept.length < words.length ? kept : kept.concat([word])).join(" ") + " ";
    pageInput.focus();
    runPageSearch(false);
  }

  function facetButton(kind, value, label, count, pressedWords) {
    var word = filterWord(kind, value);
    var button = element("button", "facet");
    button.type = "button";
    button.appendChild(element("span", "facet-label", label));
    button.appendChild(document.createTextNode(" "));
    button.appendChild(element("span", "facet-count", number(count)));
    button.setAttribute("aria-pressed", String(pressedWords.indexOf(word.toLowerCase()) >= 0));
    button.dataset.filter = word;
    button.addEventListener("click", function () { toggleFilter(word); });
    var li = element("li");
    li.appendChild(button);
    return li;
  }

  function fillFacets(counts) {
    var pressed = queryWords().map(function (w) { return w.toLowerCase(); });
    var groups = {
      cat: counts.categories.map(function (c) { return ["cat", c[0], c[0], c[1]]; }),
      year: counts.years.map(function (y) { return ["year", y[0], y[0], y[1]]; }),
      source: counts.sources.map(function (s) { return ["source", s[0], null, s[1]]; }),
      tag: counts.tags.map(function (t) { return ["tag", t[1], t[0], t[2]]; })
    };
    Array.prototype.forEach.call(facetsBox.querySelectorAll("[data-facet]"), function (section) {
      var list = section.querySelector("ul");
      var entries = groups[section.dataset.facet] || [];
      list.textContent = "";
      entries.forEach(function (e) {
        var label = e[2] === null ? section.getAttribute("data-label-" + e[1]) || e[1] : e[2];
        list.appendChild(facetButton(e[0], e[1], label, e[3], pressed));
      });
      section.hidden = !entries.length;
    });
    facetsBox.setAttribute("aria-busy", "false");
  }

  function showFacets(reply) {
    if (!facetsBox) return;
    var round = ++facetRound;
    var q = currentQuery;
    facetsBox.hidden = reply.type === "error" || !reply.total;
    if (facetsBox.hidden) return;
    facetsBox.setAttribute("aria-busy", "true");
    askFacets(q, currentSort(), function (answer) {
      if (round === facetRound && answer.type === "facets") fillFacets(answer.counts);
    });
  }

  function runPageSearch(append) {
    currentQuery = pageInput.value;
    var mine = ++pageQuery;
    var url = new URL(window.location.href);
    if (currentQuery.trim()) url.searchParams.set("q", currentQuery.trim());
    else url.searchParams.delete("q");
    if (currentSort() !== "relevance") url.searchParams.set("sort", currentSort());
    else url.searchParams.delete("sort");
    history.replaceState(null, "", url);
    if (!currentQuery.trim()) {
      render({ total: 0, offset: 0, items: [] }, 0);
      return;
    }
    var kept = append ? shown : 0;
    ask(currentQuery, kept, PAGE_SIZE, function (reply) {
      // Snippets depend on the query's words only (not its sort or page).
      if (mine === pageQuery || (reply.type === "snippets" && reply.q === currentQuery)) render(reply, kept);
    }, currentSort());
  }

  var params = new URLSearchParams(window.location.search);
  pageInput.value = params.get("q") || "";
  if (sortSelect) {
    var wantedSort = params.get("sort");
    if (wantedSort && sortSelect.querySelector('option[value="' + CSS.escape(wantedSort) + '"]')) {
      sortSelect.value = wantedSort;
    }
    sortSelect.addEventListener("change", function () { runPageSearch(false); });
  }
  pageInput.addEventListener("focus", startWorker);
  pageInput.addEventListener("input", debounced(function () { runPageSearch(false); }));
  pageInput.form.addEventListener("submit", function (event) {
    event.preventDefault();
    runPageSearch(false);
  });
  moreButton.addEventListener("click", function () { runPageSearch(true); });
  pageInput.addEventListener("keydown", function (event) {
    var first = pageList.querySelector("a");
    if (event.key === "ArrowDown" && first) {
      event.preventDefault();
      first.focus();
    }
  });
  pageList.addEventListener("keydown", function (event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    var links = Array.prototype.slice.call(pageList.querySelectorAll("a.search-result-title"));
    var at = links.indexOf(document.activeElement);
    if (at < 0) return;
    event.preventDefault();
    if (event.key === "ArrowUp" && at === 0) pageInput.focus();
    else if (links[at + (event.key === "ArrowDown" ? 1 : -1)]) links[at + (event.key === "ArrowDown" ? 1 : -1)].focus();
  });
  if (pageInput.value.trim()) runPageSearch(false);
})();
