// Signs a judicial act: the server prepares the PDF, NCALayer signs its byte range (detached CMS),
// the form sends the CMS back. Works with NCALayer and with `torelik signer`.
(function () {
  "use strict";
  var form = document.getElementById("sign-form");
  if (!form) { return; }
  var errorBox = document.getElementById("sign-error");
  var button = document.getElementById("sign-button");

  form.addEventListener("submit", function (event) {
    if (form.dataset.signed === "1") { return; }
    event.preventDefault();
    errorBox.textContent = "";
    button.disabled = true;
    var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    fetch(form.dataset.signingUrl, {method: "POST", credentials: "same-origin", headers: {"X-CSRFToken": token}})
      .then(function (r) {
        return r.json().then(function (body) {
          if (!r.ok) { throw new Error(body.message || r.statusText); }
          return body;
        });
      })
      .then(function (prepared) {
        return window.NCALayer.sign(prepared.data, {attached: false, iin: prepared.iin}).then(function (cms) {
          document.getElementById("act-cms").value = cms;
          document.getElementById("act-digest").value = prepared.digest_hex;
        });
      })
      .then(function () { form.dataset.signed = "1"; form.submit(); })
      .catch(function (err) {
        button.disabled = false;
        errorBox.textContent = (err && err.message) ? err.message : String(err);
      });
  });
})();
