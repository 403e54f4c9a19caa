/* Sportello: small progressive enhancements. Every form works without this file. */
(function () {
  "use strict";
  document.querySelectorAll(".feedback-form, .service-rating-form").forEach(function (form) {
    var second = form.querySelector(".cmp-rating__card-second");
    var groups = form.querySelectorAll(".feedback-answers");
    var errorBox = form.querySelector(".feedback-error");
    var thanks = form.parentNode.querySelector(".cmp-rating__card-thanks");
    form.querySelectorAll(".no-js-hint").forEach(function (el) { el.hidden = true; });

    function sync() {
      var checked = form.querySelector("input[name=rating]:checked");
      second.hidden = !checked;
      if (!checked) { return; }
      var kind = parseInt(checked.value, 10) >= 4 ? "positive" : "negative";
      groups.forEach(function (group) {
        var visible = group.getAttribute("data-when") === kind;
        group.hidden = !visible;
        if (!visible) {
          group.querySelectorAll("input").forEach(function (input) { input.checked = false; });
        }
      });
    }
    form.querySelectorAll("input[name=rating]").forEach(function (radio) {
      radio.addEventListener("change", sync);
    });
    sync();

    form.addEventListener("submit", function (event) {
      if (!form.classList.contains("feedback-form") || !window.fetch || !window.FormData) { return; }
      event.preventDefault();
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { "Accept": "application/json" },
        credentials: "same-origin"
      }).then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok && data.ok, data: data }; });
      }).then(function (result) {
        if (result.ok) {
          form.hidden = true;
          thanks.hidden = false;
          thanks.focus();
          return;
        }
        var messages = [];
        Object.keys(result.data.errors || {}).forEach(function (field) {
          result.data.errors[field].forEach(function (error) { messages.push(error.message); });
        });
        errorBox.textContent = messages.join(" ");
        errorBox.hidden = false;
      }).catch(function () { form.submit(); });
    });
  });
})();

/* SAML bindings: post the form on its own (the button stays for users without JavaScript). */
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosubmit]");
  if (form) { form.submit(); }
})();

/* Citizens: warn before the idle timeout, keep the session alive on request, leave when it expires. */
(function () {
  "use strict";
  var body = document.body;
  var timeout = parseInt(body.getAttribute("data-idle-timeout"), 10);
  var warning = parseInt(body.getAttribute("data-idle-warning"), 10);
  var keepAliveUrl = body.getAttribute("data-keepalive-url");
  var box = document.querySelector(".idle-warning");
  if (!timeout || !keepAliveUrl || !box) { return; }
  var warnTimer, saveTimer, expireTimer;
  // A wizard's form (data-save-on-expiry) is saved as a draft just before the session ends: nothing typed is lost.
  var draftForm = document.querySelector("form[data-save-on-expiry]");
  var typed = false;
  if (draftForm) {
    draftForm.addEventListener("input", function () { typed = true; });
    draftForm.addEventListener("change", function () { typed = true; });
  }
  function saveDraft() {
    if (!draftForm || !typed) { return; }
    [["azione", "bozza"], ["scadenza", "1"]].forEach(function (pair) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = pair[0];
      input.value = pair[1];
      draftForm.appendChild(input);
    });
    draftForm.querySelectorAll("[name=wizard_goto_step]").forEach(function (el) { el.disabled = true; });
    HTMLFormElement.prototype.submit.call(draftForm);
  }
  function schedule() {
    clearTimeout(warnTimer);
    clearTimeout(saveTimer);
    clearTimeout(expireTimer);
    box.hidden = true;
    warnTimer = setTimeout(function () {
      box.hidden = false;
      box.querySelector("[data-keepalive]").focus();
    }, Math.max(0, timeout - warning) * 1000);
    saveTimer = setTimeout(saveDraft, Math.max(0, timeout - 45) * 1000);  // the server may count from up to 30 s earlier
    expireTimer = setTimeout(function () {
      window.location.href = "/accedi/?sessione=scaduta";
    }, timeout * 1000);
  }
  box.querySelector("[data-keepalive]").addEventListener("click", function () {
    fetch(keepAliveUrl, { credentials: "same-origin" }).then(schedule);
  });
  schedule();
})();

/* Forms: repeatable boxes ("Aggiungi utente") and confirmation dialogs before important buttons. */
(function () {
  "use strict";
  document.querySelectorAll(".formset-add").forEach(function (button) {
    var form = button.form;
    var container = form.querySelector(".formset");
    var template = form.querySelector("template.formset-empty");
    if (!container || !template) { return; }
    var prefix = container.getAttribute("data-formset-prefix");
    var total = form.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__num__/g, String(index + 1));
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var item = holder.firstElementChild;
      container.appendChild(item);
      total.value = String(index + 1);
      var first = item.querySelector("input, select");
      if (first) { first.focus(); }
    });
  });

  var dialog = document.querySelector("dialog.confirm-dialog");
  document.querySelectorAll("[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!dialog || typeof dialog.showModal !== "function" || button.dataset.confirmed === "1") { return; }
      event.preventDefault();
      dialog.querySelector(".confirm-dialog-message").textContent = button.getAttribute("data-confirm");
      var ok = dialog.querySelector(".confirm-dialog-ok");
      var cancel = dialog.querySelector(".confirm-dialog-cancel");
      function close() { dialog.close(); ok.onclick = null; cancel.onclick = null; button.focus(); }
      cancel.onclick = close;
      ok.onclick = function () {
        dialog.close();
        button.dataset.confirmed = "1";
        if (button.form.requestSubmit) { button.form.requestSubmit(button); } else { button.click(); }
      };
      dialog.showModal();
      ok.focus();
    });
  });
})();

/* Province -> comuni: refill the comuni select when the province changes. */
(function () {
  "use strict";
  document.querySelectorAll("select[data-comuni-of]").forEach(function (select) {
    var province = document.querySelector("select[name='" + select.getAttribute("data-comuni-of") + "']");
    if (!province || !window.fetch) { return; }
    var refresh = select.form.querySelector(".refresh-button");
    if (refresh) { refresh.hidden = true; }
    province.addEventListener("change", function () {
      var first = select.options[0];
      select.length = 1;
      if (!province.value) { return; }
      fetch("/servizi-online/comuni/" + encodeURIComponent(province.value) + "/", { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          first.textContent = first.textContent && "Scegli il comune";
          data.comuni.forEach(function (row) {
            var option = document.createElement("option");
            option.value = row[0];
            option.textContent = row[1];
            select.appendChild(option);
          });
        });
    });
  });
})();

/* "Stampa" buttons. */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
