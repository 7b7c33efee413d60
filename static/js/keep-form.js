/* What was typed survives the language switch (templates/base.html, app/i18n.py).

   <a data-keep-form href="/language/en?next=…">  before leaving, the values of the page's forms are kept in
     sessionStorage for this page; the switch comes back to the same path and query, and the values are put back
     (a rich-text area gets them through data-html, which static/js/richtext.js reads when it builds its editor).
   Passwords, files, hidden fields (CSRF tokens, versions) and buttons are never kept. */
(function () {
  "use strict";

  var KEY = "prachum:keep-form";
  var SKIPPED = { password: 1, file: 1, hidden: 1, submit: 1, button: 1, reset: 1, image: 1 };

  function session() {
    try { return window.sessionStorage; } catch (e) { return null; }  // blocked storage: nothing is kept
  }

  function here() {
    var params = new URLSearchParams(window.location.search);
    params.delete("lang");
    var query = params.toString();
    return window.location.pathname + (query ? "?" + query : "");
  }

  function formKey(form, index) {
    return form.id || (form.getAttribute("action") || "") + "#" + index;
  }

  function keptFields(form) {
    return Array.prototype.filter.call(form.elements, function (field) {
      return field.name && !SKIPPED[field.type] && !field.disabled;
    });
  }

  function collect() {
    var forms = {};
    Array.prototype.forEach.call(document.forms, function (form, index) {
      if (form.method.toLowerCase() !== "post") { return; }  // search and filter forms live in the query
      var values = keptFields(form).map(function (field) {
        if (field.type === "checkbox" || field.type === "radio") { return { c: field.checked }; }
        if (field.tagName === "SELECT" && field.multiple) {
          return { m: Array.prototype.filter.call(field.options, function (o) { return o.selected; })
            .map(function (o) { return o.value; }) };
        }
        return { v: field.value };
      });
      forms[formKey(form, index)] = { names: keptFields(form).map(function (f) { return f.name; }), values: values };
    });
    return forms;
  }

  function restore(forms) {
    Array.prototype.forEach.call(document.forms, function (form, index) {
      var kept = forms[formKey(form, index)];
      if (!kept) { return; }
      keptFields(form).forEach(function (field, position) {
        var value = kept.values[position];
        if (!value || kept.names[position] !== field.name) { return; }  // the form changed: leave it as served
        if ("c" in value) {
          field.checked = value.c;
        } else if ("m" in value) {
          Array.prototype.forEach.call(field.options, function (o) { o.selected = value.m.indexOf(o.value) >= 0; });
        } else {
          field.value = value.v;
          if (field.hasAttribute("data-richtext")) { field.setAttribute("data-html", value.v); }
        }
        if (!field.hasAttribute("data-autosubmit")) { field.dispatchEvent(new Event("change", { bubbles: true })); }
      });
    });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-keep-form]");
    var store = session();
    if (!link || !store) { return; }
    try { store.setItem(KEY, JSON.stringify({ page: here(), forms: collect() })); } catch (e) { /* full */ }
  });

  var store = session();
  var saved = null;
  if (store) {
    try { saved = JSON.parse(store.getItem(KEY) || "null"); } catch (e) { saved = null; }
    store.removeItem(KEY);
  }
  if (saved && saved.page === here()) { restore(saved.forms || {}); }
})();
