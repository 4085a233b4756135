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

  var button = document.querySelector(".theme-toggle");
  apply(button);
  if (button) {
    button.hidden = false;
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
