/* Prachum's page behaviour, served from /static so the Content-Security-Policy needs no inline script
   (app/security.py). Templates mark elements with data- attributes instead of onclick=/onsubmit=/onchange=:
     <form data-confirm="ลบวาระนี้?">  asks before submitting;
     <a data-print>                      prints the page instead of following the link;
     <select data-autosubmit>            submits its form when the choice changes. */
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-print]");
    if (link) {
      event.preventDefault();
      window.print();
    }
  });

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.hasAttribute && field.hasAttribute("data-autosubmit") && field.form) {
      if (field.form.requestSubmit) {
        field.form.requestSubmit();
      } else {
        field.form.submit();
      }
    }
  });

  /* A table wider than the screen scrolls sideways inside its .table-responsive box, not the page. The box then
     takes keyboard focus (arrow keys scroll it, WCAG 2.1.1) and is named after its table's caption or the
     heading above it. */
  function nameOfBox(box) {
    var caption = box.querySelector("caption");
    if (caption) { return caption.textContent.trim(); }
    for (var node = box; node && node !== document.body; node = node.parentElement) {
      for (var before = node.previousElementSibling; before; before = before.previousElementSibling) {
        if (/^H[1-6]$/.test(before.tagName)) { return before.textContent.trim(); }
      }
    }
    return document.title.split(" · ")[0];
  }

  function markScrollingTables() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", nameOfBox(box));
        box.setAttribute("data-scroll-box", "");
      } else if (!scrolls && box.hasAttribute("data-scroll-box")) {
        ["tabindex", "role", "aria-label", "data-scroll-box"].forEach(function (name) { box.removeAttribute(name); });
      }
    });
  }
  markScrollingTables();
  window.addEventListener("load", markScrollingTables);  // web fonts may widen the tables
  var resizing = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizing);
    resizing = window.setTimeout(markScrollingTables, 150);
  });
  document.addEventListener("toggle", markScrollingTables, true);  // a <details> opened shows its table
})();
