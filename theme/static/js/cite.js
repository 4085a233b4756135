/* The copy button and the .bib download of a paper's BibTeX entry
 * (partials/cite.html). Without JavaScript both stay hidden and the entry can be
 * selected by hand. The download is a data: URL of the entry's text.
 * Copies with the Clipboard API, else selects the entry and tries execCommand;
 * says what happened in the polite live region. Its words come translated in
 * the template's data attributes. */
(function () {
  "use strict";

  var section = document.querySelector("section.cite");
  if (!section) return;
  var actions = section.querySelector(".cite-actions");
  var button = section.querySelector(".cite-copy");
  var code = section.querySelector("pre.bibtex code");
  var status = section.querySelector(".cite-status");
  if (!actions || !button || !code || !status) return;

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
    say(copied ? actions.dataset.copied : actions.dataset.failed);
  }

  button.addEventListener("click", function () {
    var text = code.textContent;
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () {
        say(actions.dataset.copied);
      }, fallback);
    } else {
      fallback();
    }
  });
  button.hidden = false;

  if (actions.dataset.download) {
    var download = document.createElement("a");
    download.className = "cite-download";
    download.download = actions.dataset.download;
    download.href = "data:application/x-bibtex;charset=utf-8," + encodeURIComponent(code.textContent);
    download.textContent = actions.dataset.downloadLabel;
    button.insertAdjacentElement("afterend", download);
    button.insertAdjacentText("afterend", " ");
  }
})();
