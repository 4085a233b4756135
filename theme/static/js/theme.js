/* Light/dark toggle: follows the system until the reader picks one, then
 * remembers the choice (localStorage). Also opens collapsed sections for print. */
(function () {
  "use strict";
  var KEY = "papershelf-theme";
  var root = document.documentElement;
  var system = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  var chosen = null; // "light", "dark" or null (follow the system)

  try {
    chosen = window.localStorage.getItem(KEY);
  } catch (error) {
    chosen = null; // storage blocked: follow the system
  }
  if (chosen !== "light" && chosen !== "dark") chosen = null;

  function shown() {
    return chosen || (system && system.matches ? "dark" : "light");
  }

  function apply(button) {
    if (chosen) root.setAttribute("data-theme", chosen);
    else root.removeAttribute("data-theme");
    if (button) button.setAttribute("aria-pressed", shown() === "dark" ? "true" : "false");
  }

  // The button is made here, not written into every page: without JavaScript it
  // could do nothing (the system setting rules), and it was 0.2 KB of each page.
  // An icon with a hidden label, so the header stays one row.
  function makeButton(row) {
    var made = document.createElement("button");
    made.className = "theme-toggle";
    made.type = "button";
    var icon = document.createElement("span");
    icon.className = "theme-toggle-icon";
    icon.setAttribute("aria-hidden", "true");
    var label = document.createElement("span");
    label.className = "visually-hidden";
    made.append(icon, label);
    var i18n = window.papershelfI18n;
    function name() {
      var text = i18n ? i18n._("Dark mode") : "Dark mode";
      made.title = text;
      label.textContent = text;
    }
    name();
    if (i18n) i18n.ready.then(name);
    row.appendChild(made);
    return made;
  }

  var row = document.querySelector(".site-header .header-row");
  var button = row ? makeButton(row) : null;
  apply(button);
  if (button) {
    button.addEventListener("click", function () {
      chosen = shown() === "dark" ? "light" : "dark";
      try {
        window.localStorage.setItem(KEY, chosen);
      } catch (error) {
        // Not remembered, but still applied to this page.
      }
      apply(button);
    });
    if (system && system.addEventListener) {
      system.addEventListener("change", function () { apply(button); });
    }
  }

  // Printed pages show every summary, not just the open ones.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.slice.call(document.querySelectorAll("details:not([open])"));
    opened.forEach(function (details) { details.open = true; });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (details) { details.open = false; });
    opened = [];
  });
})();
