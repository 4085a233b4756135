/* Live preview: loaded only by pages of `papershelf serve --reload` builds
 * (PAPERSHELF_LIVE_RELOAD). Asks the dev server once a second which build it
 * serves, and reloads the page when that changes. Same origin, no inline
 * script: allowed by the site's Content-Security-Policy. */
(function () {
  "use strict";
  var ENDPOINT = "/__papershelf/build";
  var seen = null;

  function check() {
    fetch(ENDPOINT, { cache: "no-store" })
      .then(function (answer) {
        return answer.ok ? answer.text() : null;
      })
      .then(function (build) {
        if (build === null) return;
        if (seen !== null && build !== seen) {
          window.location.reload();
          return;
        }
        seen = build;
        window.setTimeout(check, 1000);
      })
      .catch(function () {
        // The server is stopped or restarting: keep asking, quietly.
        window.setTimeout(check, 1000);
      });
  }

  check();
})();
