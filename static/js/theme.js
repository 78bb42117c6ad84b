// The "auto" colour mode for browsers that do not send the
// Sec-CH-Prefers-Color-Scheme client hint: follow the system setting.
// Loaded in <head> only for "auto", so it runs before the page is drawn;
// light and dark are rendered by the server and need no script at all.
(function () {
  "use strict";
  var root = document.documentElement;
  var media = window.matchMedia("(prefers-color-scheme: dark)");

  function apply() {
    var mode = media.matches ? "dark" : "light";
    root.setAttribute("data-bs-theme", mode);
    // Keep the navbar toggle truthful: it switches away from what is shown.
    var shown = document.getElementById("theme-shown");
    var button = document.getElementById("theme-toggle");
    if (shown && button) {
      var other = mode === "dark" ? "light" : "dark";
      shown.value = mode;
      button.setAttribute("aria-label", "Switch to " + other + " mode");
      button.textContent = (other === "dark" ? "\u{1F319} Dark" : "\u2600\uFE0F Light");
    }
  }

  apply();
  media.addEventListener("change", apply);
  document.addEventListener("DOMContentLoaded", apply);
})();
