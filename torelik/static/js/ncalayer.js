/*
 * Signing through NCALayer (NCA RK's local program) from Torelik pages. Plain script, no build.
 *
 *   NCALayer.sign(base64Data, {attached: false, iin: "...", bin: "..."}) -> Promise<base64 CMS>
 *   NCALayer.signBytes(arrayBufferOrUint8Array, options)                  -> Promise<base64 CMS>
 *   NCALayer.signFile(file, options)   (a File/Blob, signed detached)     -> Promise<base64 CMS>
 *
 * The WebSocket URL comes from <body data-ncalayer-url="..."> or <meta name="ncalayer-url">,
 * else wss://127.0.0.1:13579 (NCALayer's own). `torelik signer` speaks the same protocol.
 * Failures reject with an NCALayer.NCALayerError whose `cancelled` is true when the user closed
 * NCALayer's dialog. Messages are English by default; a page may give translated ones as JSON
 * ({"notRunning": "...", ...}) in an element with id "ncalayer-messages" (Django's json_script).
 */
(function (window, document) {
  "use strict";

  var DEFAULT_URL = "wss://127.0.0.1:13579";
  var CONNECT_TIMEOUT_MS = 5000;
  var HEARTBEAT = "--heartbeat--";

  var messages = {
    unsupported: "This browser cannot talk to NCALayer (WebSocket is not available).",
    notRunning: "NCALayer is not running or cannot be reached. Start NCALayer and try again.",
    closed: "NCALayer closed the connection before answering. Try again.",
    cancelled: "Signing was cancelled.",
    failed: "NCALayer could not sign: %s",
    badReply: "NCALayer sent an answer this page does not understand.",
    readFailed: "The file could not be read: %s"
  };

  function message(name, detail) {
    return String(messages[name] || name).replace("%s", detail === undefined ? "" : String(detail));
  }

  function NCALayerError(text, code, cancelled) {
    var error = new Error(text);
    Object.setPrototypeOf(error, NCALayerError.prototype);
    error.name = "NCALayerError";
    error.code = code || "";
    error.cancelled = Boolean(cancelled);
    return error;
  }
  NCALayerError.prototype = Object.create(Error.prototype, {
    constructor: { value: NCALayerError, writable: true, configurable: true }
  });

  function loadMessages() {
    var node = document.getElementById("ncalayer-messages");
    if (!node) return;
    try {
      var given = JSON.parse(node.textContent || "{}");
      Object.keys(given).forEach(function (key) { messages[key] = given[key]; });
    } catch (e) {
      /* keep the defaults */
    }
  }

  function url() {
    var body = document.body;
    var fromBody = body && body.getAttribute("data-ncalayer-url");
    if (fromBody) return fromBody;
    var meta = document.querySelector('meta[name="ncalayer-url"]');
    var fromMeta = meta && meta.getAttribute("content");
    return fromMeta || DEFAULT_URL;
  }

  function locale() {
    var lang = (document.documentElement.getAttribute("lang") || "ru").slice(0, 2).toLowerCase();
    return ["kk", "ru", "en"].indexOf(lang) >= 0 ? lang : "ru";
  }

  // NCALayer greets every connection with {"result": {"version": "..."}} before any answer.
  function isGreeting(reply) {
    return reply && typeof reply === "object" && reply.result && reply.result.version !== undefined &&
      !("status" in reply) && !("code" in reply);
  }

  // One request per connection: NCALayer answers requests in order, and a fresh socket keeps
  // a stale answer (from a dialog the user left open) from being taken for this one.
  function call(payload) {
    return new Promise(function (resolve, reject) {
      if (typeof window.WebSocket !== "function") {
        reject(NCALayerError(message("unsupported"), "unsupported"));
        return;
      }
      var socket;
      var opened = false;
      var settled = false;
      var timer = null;

      function settle(fn, value) {
        if (settled) return;
        settled = true;
        if (timer) window.clearTimeout(timer);
        try { socket.close(); } catch (e) { /* already closed */ }
        fn(value);
      }

      try {
        socket = new window.WebSocket(url());
      } catch (e) {
        reject(NCALayerError(message("notRunning"), "not_running"));
        return;
      }
      timer = window.setTimeout(function () {
        if (!opened) settle(reject, NCALayerError(message("notRunning"), "not_running"));
      }, CONNECT_TIMEOUT_MS);

      socket.onopen = function () {
        opened = true;
        window.clearTimeout(timer);
        timer = null;
        socket.send(JSON.stringify(payload));
      };
      socket.onmessage = function (event) {
        if (event.data === HEARTBEAT) return;
        var reply;
        try {
          reply = JSON.parse(event.data);
        } catch (e) {
          settle(reject, NCALayerError(message("badReply"), "bad_reply"));
          return;
        }
        if (isGreeting(reply)) return;
        settle(resolve, reply);
      };
      socket.onerror = function () {
        settle(reject, opened ? NCALayerError(message("closed"), "closed")
          : NCALayerError(message("notRunning"), "not_running"));
      };
      socket.onclose = function () {
        settle(reject, opened ? NCALayerError(message("closed"), "closed")
          : NCALayerError(message("notRunning"), "not_running"));
      };
    });
  }

  // Both reply shapes: basics {status, body: {result}} and commonUtils {code, responseObject}.
  function signatureFrom(reply) {
    if (reply && typeof reply === "object" && "status" in reply) {
      if (reply.status !== true) {
        var detail = [reply.code, reply.message, reply.details].filter(Boolean).join(": ");
        throw NCALayerError(message("failed", detail), String(reply.code || "error"));
      }
      var body = reply.body || {};
      if (!("result" in body)) {
        throw NCALayerError(message("cancelled"), "cancelled", true);
      }
      var result = body.result;
      if (result && typeof result === "object" && !Array.isArray(result) && result.signatures) {
        result = result.signatures;
      }
      if (Array.isArray(result)) result = result[0];
      if (typeof result !== "string" || !result) {
        throw NCALayerError(message("badReply"), "bad_reply");
      }
      return result.replace(/\s+/g, "");
    }
    if (reply && typeof reply === "object" && "code" in reply) {
      if (String(reply.code) === "200" && typeof reply.responseObject === "string") {
        return reply.responseObject.replace(/\s+/g, "");
      }
      if (reply.message === "action.canceled") {
        throw NCALayerError(message("cancelled"), "cancelled", true);
      }
      throw NCALayerError(message("failed", reply.message || reply.code), String(reply.code));
    }
    if (reply && reply.errorCode) {
      throw NCALayerError(message("failed", reply.errorCode), String(reply.errorCode));
    }
    throw NCALayerError(message("badReply"), "bad_reply");
  }

  /**
   * Sign base64-encoded bytes as CMS. options: attached (encapsulate the data; default false),
   * iin / bin (NCALayer offers only that person's keys), extKeyUsageOids, allowedStorages,
   * timestamp (ask NCALayer for an NCA time-stamp).
   */
  function sign(base64Data, options) {
    options = options || {};
    loadMessages();
    var signerParams = {
      extKeyUsageOids: options.extKeyUsageOids || [],
      // An empty chain accepts keys of any CA; the court checks trust when it verifies.
      chain: []
    };
    if (options.iin) signerParams.iin = String(options.iin);
    if (options.bin) signerParams.bin = String(options.bin);
    var args = {
      format: "cms",
      data: base64Data,
      signingParams: {
        decode: true,
        encapsulate: Boolean(options.attached),
        digested: false,
        tsaProfile: options.timestamp ? {} : null
      },
      signerParams: signerParams,
      locale: locale()
    };
    if (options.allowedStorages) args.allowedStorages = options.allowedStorages;
    return call({ module: "kz.gov.pki.knca.basics", method: "sign", args: args }).then(signatureFrom);
  }

  function bytesToBase64(bytes) {
    var view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
    var chunks = [];
    var size = 0x8000; // String.fromCharCode takes a bounded number of arguments
    for (var i = 0; i < view.length; i += size) {
      chunks.push(String.fromCharCode.apply(null, view.subarray(i, i + size)));
    }
    return window.btoa(chunks.join(""));
  }

  function fileToBase64(file) {
    return new Promise(function (resolve, reject) {
      var reader = new window.FileReader();
      reader.onload = function () {
        var text = String(reader.result || "");
        resolve(text.slice(text.indexOf(",") + 1)); // drop "data:...;base64,"
      };
      reader.onerror = function () {
        reject(NCALayerError(message("readFailed", reader.error ? reader.error.message : ""), "read_failed"));
      };
      reader.readAsDataURL(file);
    });
  }

  function signBytes(bytes, options) {
    return sign(bytesToBase64(bytes), options);
  }

  /** Sign a File or Blob from a form; detached, as documents are stored apart from signatures. */
  function signFile(file, options) {
    var opts = {};
    Object.keys(options || {}).forEach(function (key) { opts[key] = options[key]; });
    opts.attached = false;
    return fileToBase64(file).then(function (b64) { return sign(b64, opts); });
  }

  window.NCALayer = {
    sign: sign,
    signBytes: signBytes,
    signFile: signFile,
    fileToBase64: fileToBase64,
    bytesToBase64: bytesToBase64,
    url: url,
    messages: messages,
    NCALayerError: NCALayerError
  };
})(window, document);
