/* Rich text and drafts kept in the browser (templates/_richtext.html, app/richtext.py).

   <textarea data-richtext data-html="…">  becomes a Quill editor (static/vendor/quill, loaded only on pages that
     have one). Without JavaScript the textarea stays and sends plain text, which the server reads as paragraphs.
     The editor writes its HTML back into the textarea on every change, so the form posts it as before.
   <form data-autosave data-saved-at="ms">  keeps what is typed in its text fields and editors in localStorage,
     per page and field. On the next visit a draft newer than the server's copy (data-saved-at) is put back with a
     notice; a page that reports success after the form was sent clears the drafts it sent.
   Quill sets styles through the DOM only (allowed by the Content-Security-Policy); nothing here is inline. */
(function () {
  "use strict";

  var script = document.currentScript;
  var DRAFT = "prachum:draft:";
  var SENT = "prachum:sent";
  var editors = {};  // textarea id → Quill

  function storage(kind) {
    try { return window[kind]; } catch (e) { return null; }  // blocked storage: drafts are simply not kept
  }

  function semanticHTML(quill) {
    if (quill.getLength() <= 1) { return ""; }
    // Quill 2.0.3 writes every space as &nbsp;, which would stop Thai lines from wrapping
    return quill.getSemanticHTML().replace(/&nbsp;/g, " ").replace(/\u00a0/g, " ");
  }

  function loadQuill(done) {
    if (window.Quill) { done(); return; }
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = script.getAttribute("data-quill-css");
    document.head.appendChild(css);
    var js = document.createElement("script");
    js.src = script.getAttribute("data-quill-js");
    js.onload = done;
    document.head.appendChild(js);
  }

  function makeEditor(area) {
    var toolbar = document.getElementById(area.id + "-toolbar");
    var holder = document.createElement("div");
    holder.className = "richtext-editor";
    area.parentNode.insertBefore(holder, area.nextSibling);
    if (toolbar) {
      toolbar.hidden = false;
      holder.parentNode.insertBefore(toolbar, holder);
    }
    var quill = new window.Quill(holder, {
      theme: "snow",
      formats: ["bold", "italic", "underline", "list"],
      modules: { toolbar: toolbar || false }
    });
    var html = area.getAttribute("data-html") || "";
    quill.setContents(quill.clipboard.convert({ html: html }), "silent");
    var root = quill.root;
    root.setAttribute("role", "textbox");
    root.setAttribute("aria-multiline", "true");
    var label = document.querySelector("label[for='" + area.id + "']");
    if (label) {
      if (!label.id) { label.id = area.id + "-label"; }
      root.setAttribute("aria-labelledby", label.id);
      label.addEventListener("click", function () { quill.focus(); });
    } else if (area.getAttribute("aria-label")) {
      root.setAttribute("aria-label", area.getAttribute("aria-label"));
    }
    if (area.classList.contains("is-invalid")) {
      holder.classList.add("is-invalid");
      root.setAttribute("aria-invalid", "true");
    }
    area.hidden = true;
    area.value = semanticHTML(quill);
    quill.on("text-change", function (delta, old, source) {
      area.value = semanticHTML(quill);
      if (source === "user") { area.dispatchEvent(new Event("input", { bubbles: true })); }  // typed: keep a draft
    });
    editors[area.id] = quill;
  }

  // --- drafts -----------------------------------------------------------------------------------

  function draftKey(field) {
    return DRAFT + window.location.pathname + ":" + field.name;
  }

  function fieldValue(field) {
    return field.value;
  }

  function putValue(field, value) {
    var quill = editors[field.id];
    if (quill) {
      quill.setContents(quill.clipboard.convert({ html: value }), "user");
    } else {
      field.value = value;
    }
  }

  function clearSentDrafts(local) {
    var session = storage("sessionStorage");
    if (!session || !local) { return; }
    var sent = JSON.parse(session.getItem(SENT) || "[]");
    if (sent.length && document.querySelector(".alert-success")) {
      sent.forEach(function (key) { local.removeItem(key); });
    }
    session.removeItem(SENT);
  }

  function watchForm(form, local) {
    var savedAt = parseInt(form.getAttribute("data-saved-at") || "0", 10);
    var fields = Array.prototype.filter.call(form.elements, function (field) {
      return field.name && (field.tagName === "TEXTAREA" ||
        (field.tagName === "INPUT" && (field.type === "text" || field.type === "time" || field.type === "date")));
    });
    var restored = 0;
    fields.forEach(function (field) {
      var key = draftKey(field);
      var draft = null;
      try { draft = JSON.parse(local.getItem(key) || "null"); } catch (e) { draft = null; }
      if (draft && draft.at > savedAt && draft.value !== fieldValue(field)) {
        field.setAttribute("data-server-value", fieldValue(field));
        putValue(field, draft.value);
        restored += 1;
      } else if (draft) {
        local.removeItem(key);
      }
      var timer = null;
      field.addEventListener("input", function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(function () {
          try { local.setItem(key, JSON.stringify({ value: fieldValue(field), at: Date.now() })); } catch (e) { /* full */ }
        }, 400);
      });
    });
    if (restored) { showRestored(form, fields, local); }
    form.addEventListener("submit", function () {
      var session = storage("sessionStorage");
      if (!session) { return; }
      var sent = JSON.parse(session.getItem(SENT) || "[]");
      fields.forEach(function (field) { sent.push(draftKey(field)); });
      session.setItem(SENT, JSON.stringify(sent));
    });
  }

  function showRestored(form, fields, local) {
    var notice = document.getElementById(form.id + "-restored") || form.querySelector(".draft-restored");
    if (!notice) { return; }
    notice.hidden = false;
    var discard = notice.querySelector("[data-discard-draft]");
    if (discard) {
      discard.addEventListener("click", function () {
        fields.forEach(function (field) {
          if (field.hasAttribute("data-server-value")) {
            putValue(field, field.getAttribute("data-server-value"));
            local.removeItem(draftKey(field));
          }
        });
        notice.hidden = true;
      });
    }
  }

  function start() {
    var local = storage("localStorage");
    clearSentDrafts(local);
    var forms = document.querySelectorAll("form[data-autosave]");
    if (local) { Array.prototype.forEach.call(forms, function (form) { watchForm(form, local); }); }
  }

  var areas = document.querySelectorAll("textarea[data-richtext]");
  if (areas.length) {
    loadQuill(function () {
      Array.prototype.forEach.call(areas, makeEditor);
      start();
    });
  } else {
    start();
  }
})();
