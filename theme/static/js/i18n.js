/* papershelf: the interface's words and formats for every script, loaded first.
 * The words come from the interface's catalog (theme/i18n/<lang>.json, written by
 * the build from the `js` catalog; its URL is this script's data-messages):
 * _() and ngettext() look them up, English when the catalog is missing or has no
 * entry. `ready` settles once the catalog has loaded or failed. Exposed as
 * window.papershelfI18n. */
(function () {
  "use strict";

  var script = document.currentScript;
  var url = script && script.dataset.messages;
  var catalog = { nplurals: 2, messages: {} };
  var ready = !url || !window.fetch ? Promise.resolve() :
    fetch(url).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (data && data.messages) catalog = data;
    }).then(null, function () {});

  // "%(name)s" -> values.name, as Python's gettext formats.
  function format(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (all, name) {
      return values && name in values ? String(values[name]) : all;
    });
  }

  function _(msgid, values) {
    var found = catalog.messages[msgid];
    return format(typeof found === "string" ? found : msgid, values);
  }

  // Plural forms: Chinese has one (nplurals 1), English two (n != 1).
  function ngettext(singular, plural, n, values) {
    var forms = catalog.messages[singular];
    var index = catalog.nplurals === 1 ? 0 : (n === 1 ? 0 : 1);
    var text = Array.isArray(forms) && forms[index] ? forms[index] : (n === 1 ? singular : plural);
    return format(text, values);
  }

  function locale() {
    return catalog.lang === "zh" ? "zh-Hans" : "en";
  }

  function number(n) {
    return n.toLocaleString(locale());
  }

  // "2025-12-09" as the pages write it: 2025年12月9日, Dec 9, 2025.
  function dateText(day) {
    var parts = /^(\d{4})-(\d{2})-(\d{2})/.exec(day || "");
    if (!parts || !window.Intl) return day || "";
    var when = new Date(Date.UTC(+parts[1], +parts[2] - 1, +parts[3]));
    var month = catalog.lang === "zh" ? "long" : "short";
    return new Intl.DateTimeFormat(locale(), {
      year: "numeric", month: month, day: "numeric", timeZone: "UTC"
    }).format(when);
  }

  // Titles and summaries are content: they say their own language, "zh" when they
  // hold a Han character (HAN_RANGES of papershelf/text.py, as the build decides).
  var HAN_RANGES = [[0x3400, 0x4DBF], [0x4E00, 0x9FFF], [0xF900, 0xFAFF]];
  var HAN = new RegExp("[" + HAN_RANGES.map(function (r) {
    return "\\u" + r[0].toString(16) + "-\\u" + r[1].toString(16);
  }).join("") + "]");
  function textLang(text) {
    return HAN.test(text || "") ? "zh" : "en";
  }

  window.papershelfI18n = {
    ready: ready, _: _, ngettext: ngettext, number: number, dateText: dateText,
    textLang: textLang, lang: function () { return catalog.lang || "en"; }
  };
})();
