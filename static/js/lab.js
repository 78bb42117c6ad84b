// The cookie lab's live parts. The page works without them: it is drawn by
// the server from what the browser sent, and a reload shows any change.
//
// - A countdown for a cookie about to expire; when it ends, the page loads
//   again, so it shows what the browser sends once the cookie is gone.
// - What page scripts see: document.cookie, which leaves out HttpOnly
//   cookies, compared with the cookies the browser sent to the server.
//
// Every word it writes comes from the page (data-lab-* attributes), so it
// speaks the page's language.
(function () {
  "use strict";

  // A moment past the expiry, so the browser has surely dropped the cookie.
  var MARGIN_MS = 500;

  // "{n} second" or "{n} seconds", as the page words them.
  function seconds(timer, count) {
    var words = timer.getAttribute(count === 1 ? "data-lab-one" : "data-lab-many");
    return words.replace("{n}", String(count));
  }

  function countdown() {
    var timer = document.getElementById("lab-countdown");
    if (!timer) {
      return;
    }
    var left = timer.querySelector("[data-lab-left]");
    // Counted from when the page arrived, so the visitor's clock does not matter.
    var deadline = Date.now() + parseFloat(timer.getAttribute("data-lab-seconds")) * 1000;

    function tick() {
      var count = Math.ceil((deadline - Date.now()) / 1000);
      if (count > 0) {
        left.textContent = seconds(timer, count);
        window.setTimeout(tick, 250);
        return;
      }
      left.textContent = timer.getAttribute("data-lab-gone");
      window.setTimeout(function () {
        // A GET of this address without its #fragment: a plain reload would
        // post a form again, and a fragment alone would not load anything.
        window.location.assign(window.location.href.split("#")[0]);
      }, MARGIN_MS);
    }

    tick();
  }

  function scriptView() {
    var jar = document.cookie;
    var names = jar ? jar.split("; ").map(function (pair) {
      return pair.split("=")[0];
    }) : [];
    var raw = document.getElementById("lab-document-cookie");
    if (raw) {
      raw.textContent = "document.cookie = " + JSON.stringify(jar);
    }
    document.querySelectorAll("[data-lab-script]").forEach(function (cell) {
      var seen = names.indexOf(cell.getAttribute("data-lab-script")) !== -1;
      var table = cell.closest("table");
      cell.textContent = table.getAttribute(seen ? "data-lab-yes" : "data-lab-no");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    scriptView();
    countdown();
  });
})();
