/* The copy button and the .bib download of a paper's BibTeX entry, made in their
 * slot (partials/cite.html). Without JavaScript there are neither and the entry can
 * be selected by hand. The download is a data: URL of the entry's text.
 * Copies with the Clipboard API, else selects the entry and tries execCommand;
 * says what happened in the polite live region. Its words come from the
 * interface's catalog (i18n.js), so no paper page carries them. */
(function () {
  "use strict";

  var section = document.querySelector("section.cite");
  if (!section) return;
  var actions = section.querySelector(".cite-actions");
  var code = section.querySelector("pre.bibtex code");
  if (!actions || !code) return;
  var i18n = window.papershelfI18n;
  var _ = i18n ? i18n._ : function (text) { return text; };
  var button = document.createElement("button");
  button.type = "button";
  button.className = "cite-copy";
  var status = document.createElement("span");
  status.className = "cite-status";
  status.setAttribute("role", "status");
  actions.append(button, status);

  // Cleared first, so the same message is announced again on a second click.
  function say(text) {
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 100);
  }

  function selectEntry() {
    var range = document.createRange();
    range.selectNodeContents(code);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function fallback() {
    selectEntry();
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (error) {
      copied = false;
    }
    say(copied ? _("Copied") : _("Could not copy: the entry is selected, press Ctrl+C to copy it."));
  }

  button.addEventListener("click", function () {
    var text = code.textContent;
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () {
        say(_("Copied"));
      }, fallback);
    } else {
      fallback();
    }
  });
  function name() { button.textContent = _("Copy BibTeX"); }
  name();

  // The file is named after the entry's key, its first line's "@misc{key,".
  var key = /^@\w+\{([^,\s]+),/.exec(code.textContent);
  if (key) {
    var download = document.createElement("a");
    download.className = "cite-download";
    download.download = key[1] + ".bib";
    download.href = "data:application/x-bibtex;charset=utf-8," + encodeURIComponent(code.textContent);
    download.textContent = _("Download .bib");
    button.insertAdjacentElement("afterend", download);
    button.insertAdjacentText("afterend", " ");
    // The catalog may still be loading: name the link again once it has.
    if (i18n) i18n.ready.then(function () { download.textContent = _("Download .bib"); });
  }
  if (i18n) i18n.ready.then(name);
})();
