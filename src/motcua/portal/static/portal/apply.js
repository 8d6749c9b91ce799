/* Online application: small enhancements; every page works without this script.
   - [data-validate] forms: point at missing or malformed answers before sending (the server
     decides anyway), with the same error pattern as the server's (USWDS).
   - [data-upload] forms: show upload progress for large files.
   - [data-submit-once] forms: a second click does nothing (the server is idempotent too).
   - [data-error-summary]: move the focus to the error summary. */
(function () {
  "use strict";
  var lang = document.documentElement.lang || "vi";
  var words = lang === "en"
    ? { required: "This field is required.", format: "The format is not right.", uploading: "Uploading…" }
    : { required: "Trường này là bắt buộc.", format: "Định dạng chưa đúng.", uploading: "Đang tải lên…" };

  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }

  function clearError(input) {
    var group = input.closest(".usa-form-group");
    if (!group) { return; }
    group.classList.remove("usa-form-group--error");
    var old = group.querySelector(".usa-error-message[data-client]");
    if (old) { old.remove(); }
    input.classList.remove("usa-input--error");
    input.removeAttribute("aria-invalid");
  }

  function showError(input, message) {
    var group = input.closest(".usa-form-group");
    if (!group || group.querySelector(".usa-error-message")) { return; }
    group.classList.add("usa-form-group--error");
    var span = document.createElement("span");
    span.className = "usa-error-message";
    span.id = input.id + "_client_error";
    span.setAttribute("data-client", "");
    span.textContent = message;
    var label = group.querySelector("label, legend");
    if (label && label.nextSibling) { label.parentNode.insertBefore(span, label.nextSibling); }
    else { group.insertBefore(span, group.firstChild); }
    input.classList.add("usa-input--error");
    input.setAttribute("aria-invalid", "true");
    var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    described.push(span.id);
    input.setAttribute("aria-describedby", described.join(" "));
  }

  document.querySelectorAll("form[data-validate]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (event.submitter && event.submitter.hasAttribute("formnovalidate")) { return; }
      var first = null;
      form.querySelectorAll("input, select, textarea").forEach(function (input) {
        if (input.type === "hidden" || input.type === "submit") { return; }
        clearError(input);
        if (!input.checkValidity()) {
          showError(input, input.validity.valueMissing ? words.required : words.format);
          first = first || input;
        }
      });
      if (first) { event.preventDefault(); first.focus(); }
    });
  });

  document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
    form.addEventListener("submit", function () {
      if (form.dataset.sent) { return; }
      form.dataset.sent = "1";
      window.setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
      }, 0);
    });
  });

  if (!window.FormData || !window.XMLHttpRequest) { return; }
  document.querySelectorAll("form[data-upload]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var files = form.querySelectorAll("input[type=file]");
      var chosen = Array.prototype.some.call(files, function (f) { return f.files.length > 0; });
      if (!chosen) { return; } // let the browser and the server say what is missing
      event.preventDefault();
      var bar = form.querySelector("progress");
      var buttons = form.querySelectorAll("button[type=submit]");
      buttons.forEach(function (b) { b.disabled = true; });
      if (bar) { bar.hidden = false; bar.value = 0; bar.setAttribute("aria-label", words.uploading); }
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action || window.location.href);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.upload.addEventListener("progress", function (e) {
        if (bar && e.lengthComputable) { bar.value = Math.round((e.loaded / e.total) * 100); }
      });
      xhr.addEventListener("load", function () {
        if (xhr.status < 400) {
          var next = xhr.responseURL;
          try { next = JSON.parse(xhr.responseText).redirect || next; } catch (ignore) { /* HTML */ }
          var target = new URL(next, window.location.href);
          if (target.pathname === window.location.pathname && target.search === window.location.search) {
            window.history.replaceState(null, "", target.href); // same page: a fragment change
            window.location.reload(); // would not load it again
          } else {
            window.location.assign(target.href);
          }
          return;
        }
        var page = new DOMParser().parseFromString(xhr.responseText, "text/html");
        document.replaceChild(document.adoptNode(page.documentElement), document.documentElement);
        var focus = document.querySelector("[data-error-summary], .usa-error-message");
        if (focus) { focus.setAttribute("tabindex", "-1"); focus.focus(); }
      });
      xhr.addEventListener("error", function () { form.submit(); });
      xhr.send(new FormData(form));
    });
  });
})();
