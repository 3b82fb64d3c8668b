// Signs the filing and each attached PDF with NCALayer (detached CMS), then submits the form.
(function () {
  "use strict";
  var form = document.getElementById("submit-form");
  if (!form) { return; }
  var errorBox = document.getElementById("sign-error");

  function toBase64(buffer) {
    var bytes = new Uint8Array(buffer), binary = "", chunk = 0x8000;
    for (var i = 0; i < bytes.length; i += chunk) {
      binary += String.fromCharCode.apply(null, bytes.subarray(i, i + chunk));
    }
    return btoa(binary);
  }

  function addField(name, value) {
    var input = document.createElement("input");
    input.type = "hidden"; input.name = name; input.value = value;
    form.appendChild(input);
  }

  // An error page (login expired, server error) must never be signed: say so in the page's language.
  function checked(response) {
    var type = response.headers.get("Content-Type") || "";
    if (!response.ok || type.indexOf("text/html") === 0) { throw new Error(form.dataset.loadError); }
    return response;
  }

  form.addEventListener("submit", function (event) {
    if (form.dataset.signed === "1") { return; }
    event.preventDefault();
    errorBox.textContent = "";
    var button = document.getElementById("sign-submit");
    button.disabled = true;
    fetch(form.dataset.payloadUrl, {credentials: "same-origin"})
      .then(checked)
      .then(function (r) { return r.json(); })
      .then(function (payload) {
        return window.NCALayer.sign(payload.payload_base64, {attached: false}).then(function (bodyCms) {
          document.getElementById("body_cms").value = bodyCms;
          return payload.documents.reduce(function (chain, doc) {
            return chain.then(function () {
              return fetch(doc.url, {credentials: "same-origin"})
                .then(checked)
                .then(function (r) { return r.arrayBuffer(); })
                .then(function (buf) { return window.NCALayer.sign(toBase64(buf), {attached: false}); })
                .then(function (cms) { addField("doc_cms_" + doc.id, cms); });
            });
          }, Promise.resolve());
        });
      })
      .then(function () { form.dataset.signed = "1"; form.submit(); })
      .catch(function (err) {
        button.disabled = false;
        errorBox.textContent = (err && err.message) ? err.message : String(err);
      });
  });
})();
