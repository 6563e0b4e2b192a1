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

/* The footer's link to the PDF report (made by `make pdf`, see mkdocs.yml's copyright) is
   relative; it is made absolute against the site's root, so it works on every page and under
   a preview's sub-path. Material's search dialog gets the accessible name it lacks (axe:
   aria-dialog-name). */
(function () {
  function decorate() {
    var dialog = document.querySelector(".md-search[role=dialog]");
    var input = document.querySelector(".md-search__input");
    if (dialog && !dialog.hasAttribute("aria-label")) {
      dialog.setAttribute("aria-label", (input && input.getAttribute("aria-label")) || "Search");
    }
    if (typeof __md_scope === "undefined") return;
    document.querySelectorAll("a.pr-pdf-link").forEach(function (a) {
      a.href = new URL(a.getAttribute("href").split("/").pop(), __md_scope).href;
    });
  }
  if (typeof document$ !== "undefined") { document$.subscribe(decorate); } else { decorate(); }
})();

/* Tooltips of the marks: the explanation in a mark's (or a sentence's) data-pr-tip shows on
   hover and on keyboard focus, in one role=tooltip element that the mark names with
   aria-describedby. The text is set with textContent, never as HTML: a rule message or a
   sidecar reason is plain text (see render.attr). Material's content.tooltips is off, so
   no other script reads these texts. */
(function () {
  var tip = null, owner = null;
  function target(node) {
    return node && node.closest ? node.closest("[data-pr-tip]") : null;
  }
  function show(el) {
    if (!tip) {
      tip = document.createElement("div");
      tip.id = "pr-tip";
      tip.className = "pr-tip";
      tip.setAttribute("role", "tooltip");
      document.body.appendChild(tip);
    }
    if (owner && owner !== el) owner.removeAttribute("aria-describedby");
    owner = el;
    tip.textContent = el.getAttribute("data-pr-tip");
    el.setAttribute("aria-describedby", tip.id);
    tip.classList.add("pr-tip--active");
    var box = el.getBoundingClientRect();
    var width = Math.min(tip.offsetWidth, document.documentElement.clientWidth - 16);
    var left = Math.max(8, Math.min(box.left, document.documentElement.clientWidth - width - 8));
    tip.style.left = left + window.scrollX + "px";
    tip.style.top = box.bottom + window.scrollY + 6 + "px";
  }
  function hide() {
    if (!tip || !owner) return;
    tip.classList.remove("pr-tip--active");
    owner.removeAttribute("aria-describedby");
    owner = null;
  }
  document.addEventListener("mouseover", function (event) {
    var el = target(event.target);
    if (el) { show(el); } else if (owner && document.activeElement !== owner) { hide(); }
  });
  document.addEventListener("focusin", function (event) {
    var el = target(event.target);
    if (el) { show(el); } else { hide(); }
  });
  document.addEventListener("focusout", function (event) { if (target(event.target) === owner) hide(); });
  document.addEventListener("keydown", function (event) { if (event.key === "Escape") hide(); });
})();
