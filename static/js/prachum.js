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
})();
