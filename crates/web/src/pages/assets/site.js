// Small comforts only: every page works without this script.
(function () {
  "use strict";
  // Move focus to an error summary or success message so screen readers announce it.
  var focusTarget = document.querySelector("[data-focus]");
  if (focusTarget) { focusTarget.focus(); }
  // Print buttons on the printable forms.
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
  // A form is sent once: a second click while it is on its way does nothing.
  document.querySelectorAll("form[method=post]").forEach(function (f) {
    f.addEventListener("submit", function (e) {
      if (f.dataset.sent === "1") { e.preventDefault(); return; }
      f.dataset.sent = "1";
      setTimeout(function () { f.dataset.sent = ""; }, 8000);
    });
  });
})();
