/* pressreview: the legend's switches hide or show the marks of one category on every page.
   The choice is kept in localStorage; without JavaScript every mark is shown. */
(function () {
  var KEY = "pressreview.hidden";
  function hidden() {
    try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }
  function apply() {
    var off = hidden();
    ["speculative", "promotional"].forEach(function (cat) {
      document.body.classList.toggle("pr-hide-" + cat, off.indexOf(cat) >= 0);
    });
    document.querySelectorAll("input[data-pr-toggle]").forEach(function (box) {
      box.checked = off.indexOf(box.getAttribute("data-pr-toggle")) < 0;
    });
  }
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("input[data-pr-toggle]")) return;
    var cat = box.getAttribute("data-pr-toggle");
    var off = hidden().filter(function (c) { return c !== cat; });
    if (!box.checked) off.push(cat);
    try { localStorage.setItem(KEY, JSON.stringify(off)); } catch (e) { /* private mode */ }
    apply();
  });
  if (typeof document$ !== "undefined") { document$.subscribe(apply); }
  else if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", apply); }
  else { apply(); }
})();
