/* Log in with a digital signature: get a one-time challenge from the server, have NCALayer sign
   it (attached CMS, so the signed bytes travel with the signature) and post the result with the
   page's ordinary form, CSRF token included. Messages come translated from data- attributes and,
   for NCALayer's own errors, from js/ncalayer.js reading #ncalayer-messages. */
(function () {
  "use strict";

  var form = document.getElementById("eds-form");
  var button = document.getElementById("eds-button");
  var status = document.getElementById("eds-status");
  if (!form || !button || !status) {
    return;
  }

  function say(text, isError) {
    status.textContent = text;
    status.className = isError ? "error" : "";
  }

  function csrfToken() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function fetchChallenge() {
    return fetch(form.dataset.challengeUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) {
        throw new Error(form.dataset.msgChallengeFailed);
      }
      return response.json();
    }, function () {
      throw new Error(form.dataset.msgChallengeFailed);
    });
  }

  function sign(nonce) {
    if (!window.NCALayer || typeof window.NCALayer.sign !== "function") {
      return Promise.reject(new Error(form.dataset.msgNoScript));
    }
    // The nonce goes as base64 and NCALayer decodes it: the signed bytes are the nonce's ASCII.
    return window.NCALayer.sign(window.btoa(nonce), { attached: true });
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    say(form.dataset.msgWorking, false);
    fetchChallenge()
      .then(function (challenge) {
        return sign(challenge.nonce).then(function (cms) {
          form.elements.nonce.value = challenge.nonce;
          form.elements.cms.value = cms;
          say(form.dataset.msgSending, false);
          form.submit();
        });
      })
      .catch(function (error) {
        say(error && error.message ? error.message : String(error), true);
        button.disabled = false;
        button.removeAttribute("aria-busy");
        button.focus();
      });
  });

  // After a refused login the page comes back with the reason; move focus to it.
  if (status.textContent.trim()) {
    status.focus();
  }
})();
