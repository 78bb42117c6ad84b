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
    var other = mode === "dark" ? "light" : "dark";
    root.setAttribute("data-bs-theme", mode);
    // Keep the navbar switch truthful: the button that turns the page to
    // the other mode is the one named "Switch to ... mode".
    var buttons = document.querySelectorAll(".theme-switch button[name=theme]");
    buttons.forEach(function (button) {
      if (button.value === other) {
        button.setAttribute("aria-label", "Switch to " + other + " mode");
      } else {
        button.removeAttribute("aria-label");
      }
    });
  }

  apply();
  media.addEventListener("change", apply);
  document.addEventListener("DOMContentLoaded", apply);
})();
