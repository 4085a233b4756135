/* papershelf reading list page: export (BibTeX from each paper's page, the stored
 * JSON, a share link) and import (a share link, a JSON file). An import never
 * changes the list before the reader has seen what it adds and said yes, and never
 * replaces a note of theirs unless asked. Uses saved.js (the store) and
 * saved-page.js (the list), loaded before it. */
(function () {
  "use strict";

  var api = window.papershelfSaved;
  if (!api || !api.list) return;
  var _ = api._, ngettext = api.ngettext, list = api.list;
  var $ = list.$, element = list.element, page = list.page, check = list.check;
  var sorted = list.sorted, download = list.download;

  /* ---- export ---- */
  // Each entry's key made unique in the file: a second "vaswani2017" becomes "vaswani2017a".
  function uniqueKeys(entries) {
    var used = {};
    return entries.map(function (text) {
      return text.replace(/^(\s*@\w+\s*[{(]\s*)([^,\s]+)/, function (all, head, key) {
        var unique = key, n = 0;
        while (used[unique.toLowerCase()]) {
          unique = key + (n < 26 ? String.fromCharCode(97 + n) : n);
          n++;
        }
        used[unique.toLowerCase()] = true;
        return head + unique;
      });
    });
  }
  function exportBibtex() {
    var papers = api.read().state.papers, ids = sorted(papers);
    var status = $("saved-export-status");
    status.textContent = _("Reading the saved papers' pages…");
    Promise.all(ids.map(function (id) { return page(id, papers[id].url); })).then(function (found) {
      var comment = function (id, why) { // One line, and no "@" that a parser could take for an entry.
        return "% " + id + ": " + why.replace(/[\r\n]+/g, " ").replace(/@/g, "(at)");
      };
      var entries = uniqueKeys(found.filter(function (f) { return f.status === "ok" && f.bibtex; })
        .map(function (f) { return f.bibtex; }));
      var lines = [];
      found.forEach(function (f, at) {
        var id = ids[at], title = papers[id].title;
        if (f.status === "ok" && f.bibtex) lines.push(entries.shift());
        else if (f.status === "gone") lines.push(comment(id, "no longer on this site (" + title + ")"));
        else if (f.status === "ok") lines.push(comment(id, "its page has no BibTeX entry (" + title + ")"));
        else lines.push(comment(id, "its page could not be read (" + title + ")"));
      });
      download("reading-list.bib", "application/x-bibtex", lines.join("\n\n") + "\n");
      status.textContent = ngettext("BibTeX of %(num)s paper downloaded.", "BibTeX of %(num)s papers downloaded.",
        ids.length, { num: ids.length });
    });
  }
  function exportJson() {
    download("reading-list.json", "application/json", JSON.stringify(api.read().state, null, 2) + "\n");
    $("saved-export-status").textContent = _("The list downloaded as JSON.");
  }
  function copyLink() {
    var field = $("saved-share");
    var done = function () { api.announce(_("Link copied.")); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () { field.select(); });
    } else {
      field.select();
      if (document.execCommand("copy")) done();
    }
  }

  /* ---- offers: a share link, an imported file; nothing changes until the reader says so ---- */
  function offer(section, status, lines, apply) {
    var list = $(section + "-list");
    list.textContent = "";
    lines.forEach(function (line) { list.appendChild(line); });
    $(section + "-status").textContent = status;
    $(section).hidden = false;
    $(section + "-title").focus();
    var add = $(section === "saved-offer" ? "saved-offer-add" : "saved-import-apply");
    var cancel = $(section === "saved-offer" ? "saved-offer-dismiss" : "saved-import-cancel");
    function close(message) {
      add.onclick = cancel.onclick = null;
      $(section).hidden = true;
      if (section === "saved-offer") history.replaceState(null, "", location.pathname + location.search);
      api.announce(message);
      $("saved-title").focus();
    }
    add.onclick = function () { close(apply()); };
    cancel.onclick = function () { close(_("Nothing was changed.")); };
  }
  function offerShared() {
    var found = /(?:^#|&)papers=([^&]*)/.exec(location.hash);
    if (!found) return;
    var ids = found[1].split(",").map(function (id) {
      try { return decodeURIComponent(id); } catch (error) { return ""; }
    }).filter(function (id, at, all) { return api.ID.test(id) && all.indexOf(id) === at; }).slice(0, 500);
    var papers = api.read().state.papers;
    var fresh = ids.filter(function (id) { return !papers[id]; });
    var lines = fresh.map(function (id) {
      var li = element("li", "", id);
      page(id, api.urlFor(id)).then(function (f) {
        if (f.status === "ok") { li.textContent = f.meta.title || id; li.lang = api.textLang(li.textContent); }
        if (f.status === "gone") li.textContent = id + " (" + _("no longer on this site") + ")";
      });
      return li;
    });
    var status = ngettext("The link holds %(num)s paper; ", "The link holds %(num)s papers; ", ids.length, { num: ids.length }) +
      (fresh.length ? ngettext("%(num)s of them is not in your list yet.", "%(num)s of them are not in your list yet.",
        fresh.length, { num: fresh.length }) : _("your list has them all already."));
    $("saved-offer-add").hidden = !fresh.length;
    offer("saved-offer", status, lines, function () {
      var now = new Date().toISOString();
      api.update(function (state) {
        fresh.forEach(function (id) {
          if (!state.papers[id]) state.papers[id] = api.clean(id, { url: api.urlFor(id), saved: now });
        });
      });
      fresh.forEach(function (id) { check(id, { url: api.urlFor(id) }); });
      return ngettext("%(num)s paper added to your list.", "%(num)s papers added to your list.", fresh.length, { num: fresh.length });
    });
  }
  function importFile(file) {
    file.text().then(function (body) {
      var data = null;
      try { data = JSON.parse(body); } catch (error) { data = null; }
      if (data && typeof data.version === "number" && data.version > api.VERSION) {
        throw new Error(_("This file was written by a newer version of the site; this page cannot read it."));
      }
      if (!data || data.version !== api.VERSION || !data.papers || typeof data.papers !== "object") {
        throw new Error(_("This file is not a reading list saved by this site."));
      }
      var incoming = {};
      Object.keys(data.papers).slice(0, 5000).forEach(function (id) {
        var entry = api.clean(id, data.papers[id]);
        if (entry) incoming[id] = entry;
      });
      var papers = api.read().state.papers, added = [], differ = [], lines = [];
      Object.keys(incoming).forEach(function (id) {
        var mine = papers[id], theirs = incoming[id];
        if (!mine) added.push(id);
        else if (theirs.note && theirs.note !== mine.note) differ.push(id);
        var text = !mine ? _("New: %(title)s", { title: theirs.title })
          : theirs.note && theirs.note !== mine.note ? _("Note differs: %(title)s", { title: mine.title })
          : _("Already in your list: %(title)s", { title: mine.title });
        lines.push(element("li", "", text));
      });
      $("saved-import-notes").checked = false;
      $("saved-import-notes-row").hidden = !differ.length;
      var status = ngettext("The file holds %(num)s paper: ", "The file holds %(num)s papers: ",
        Object.keys(incoming).length, { num: Object.keys(incoming).length }) +
        ngettext("%(num)s new, ", "%(num)s new, ", added.length, { num: added.length }) +
        ngettext("%(num)s with a note that differs from yours.", "%(num)s with notes that differ from yours.",
          differ.length, { num: differ.length });
      offer("saved-import", status, lines, function () {
        var replace = $("saved-import-notes").checked;
        api.update(function (state) {
          Object.keys(incoming).forEach(function (id) {
            var mine = state.papers[id], theirs = incoming[id];
            if (!mine) { state.papers[id] = theirs; return; }
            mine.read = mine.read || theirs.read;
            if (theirs.saved < mine.saved) mine.saved = theirs.saved;
            if (theirs.note && (!mine.note || replace)) mine.note = theirs.note;
          });
        });
        added.forEach(function (id) { check(id, incoming[id]); });
        return ngettext("%(num)s paper imported.", "%(num)s papers imported.", added.length, { num: added.length });
      });
    }).then(null, function (error) {
      $("saved-export-status").textContent = error.message; // a live region
    });
  }


  api.transfer = {
    exportBibtex: exportBibtex, exportJson: exportJson, copyLink: copyLink,
    offerShared: offerShared, importFile: importFile
  };
})();
