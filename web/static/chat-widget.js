/*
 * chat-widget.js - an accessible, privacy-first chat widget for a Rasa REST channel.
 *
 * Plain JavaScript, no dependencies, no build step. No cookies, no web storage, no trackers:
 * the conversation lives only in the page's memory, so it is gone when the page is reloaded or left,
 * when the tab closes (a tab reopened with "reopen closed tab" has no chat), and after "Quick exit"
 * (button, or Escape twice) or "Clear chat". Quick exit also leaves no Back path to the chat. Message text is always rendered with DOM nodes and textContent (never innerHTML);
 * only **bold**, line breaks, web addresses, e-mail addresses and phone numbers are turned into markup.
 *
 * Embed on any site with one tag (the stylesheet next to the script is loaded automatically):
 *   <script src="https://your.site/chat-widget.js" defer
 *           data-server-url="https://rasa.your.site" data-title="Ask a question"></script>
 * Configuration is read, later wins, from: the defaults below, a JSON block
 * <script type="application/json" id="chat-widget-config">{...}</script>, then data-* attributes
 * on the script tag. See the README for every option.
 */
(function () {
  "use strict";

  // ---------------------------------------------------------------------------------------------
  // FALLBACK CONTACTS - the single place where the widget's own phone numbers live.
  // Shown when the assistant cannot be reached, when it gives no answer, and (the first, the
  // emergency number) in the default greeting. The array is written as strict JSON so that a test
  // can read it and check it against the project's service directory.
  // ---------------------------------------------------------------------------------------------
  var FALLBACK_CONTACTS = [
    { "id": "emergency", "label": "In danger: call", "number": "911", "note": "" },
    {
      "id": "hotline",
      "label": "Canadian Human Trafficking Hotline:",
      "number": "1-833-900-1010",
      "note": "(24/7, confidential)"
    }
  ];

  var DEFAULTS = {
    serverUrl: "http://localhost:5005",
    title: "Ask a question",
    subtitle: "Sex work, exploitation and trafficking in BC",
    greeting:
      "Hi! I am an automated assistant, not a person. I can answer questions about sex work, " +
      "youth sexual exploitation and human trafficking in BC, and help you find support.\n" +
      "I will not ask for personal details, and please do not share any.\n" +
      "If you are in danger right now, call {emergency}.",
    // Suggested first questions, with the payloads the assistant's own buttons use.
    greetingButtons: [
      { title: "What is trafficking?", payload: "/faq/what_is_human_trafficking" },
      { title: "Sex work vs trafficking", payload: "/faq/sex_work_vs_trafficking" },
      { title: "Where can I get help?", payload: "/request_help_trafficking" }
    ],
    note: "Automated assistant, not a person. Please do not share personal details (name, address, phone).",
    exitUrl: "https://www.google.ca/search?q=weather",
    exitLabel: "Quick exit",
    // "inline": drawn inside `container` (always open). "floating": a launcher button and a panel.
    // "auto": inline when the container exists on the page, floating otherwise.
    mode: "auto",
    container: "#chat-widget",
    startOpen: false,
    headingLevel: 2,
    colours: {},
    fallbackContacts: FALLBACK_CONTACTS,
    maxLength: 2000,
    requestTimeoutMs: 20000,
    healthTimeoutMs: 5000,
    reconnectInitialMs: 2000,
    reconnectMaxMs: 30000,
    // Quick exit empties the whole sessionStorage of the page (the widget keeps nothing there;
    // the host page might), so no trace of the visit is left in the tab. Set false if the host
    // page needs its own.
    exitClearsAllSessionStorage: true,
    loadStylesheet: true
  };

  // colour option name -> CSS custom property
  var COLOUR_VARS = {
    primary: "--cw-primary",
    primaryText: "--cw-primary-text",
    background: "--cw-bg",
    text: "--cw-text",
    muted: "--cw-muted",
    botBubble: "--cw-bot-bg",
    botText: "--cw-bot-text",
    userBubble: "--cw-user-bg",
    userText: "--cw-user-text",
    link: "--cw-link",
    exit: "--cw-exit-bg",
    exitText: "--cw-exit-text",
    focus: "--cw-focus"
  };

  // Keys of earlier versions, which kept the chat in sessionStorage: removed on load.
  var STORE_PREFIX = "chatWidget.";
  var MAX_LOG_ENTRIES = 200;
  var ESC_WINDOW_MS = 1500;
  var TOLL_FREE = { "800": 1, "833": 1, "844": 1, "855": 1, "866": 1, "877": 1, "888": 1 };

  var currentScript = document.currentScript;

  // ------------------------------------------------------------------ storage: only ever emptied
  // Browsers write sessionStorage to disk and give it back to a tab reopened with "reopen closed
  // tab", so the widget keeps its conversation in memory only.
  var store = {
    clearOwn: function () {
      try {
        var keys = [];
        for (var i = 0; i < window.sessionStorage.length; i++) {
          var k = window.sessionStorage.key(i);
          if (k && k.indexOf(STORE_PREFIX) === 0) keys.push(k);
        }
        keys.forEach(function (k) { window.sessionStorage.removeItem(k); });
      } catch (e) { /* ignore */ }
    },
    clearAll: function () {
      try { window.sessionStorage.clear(); } catch (e) { /* ignore */ }
    }
  };

  // ------------------------------------------------------------------ config
  function isHttpUrl(s) {
    return typeof s === "string" && /^https?:\/\/[^\s]+$/i.test(s);
  }

  function readConfig(overrides) {
    var cfg = {};
    var k;
    for (k in DEFAULTS) cfg[k] = DEFAULTS[k];
    cfg.colours = {};

    var sources = [];
    var block = document.getElementById("chat-widget-config");
    if (block) {
      try { sources.push(JSON.parse(block.textContent || "{}")); } catch (e) { /* bad JSON: ignore */ }
    }
    if (currentScript && currentScript.dataset) {
      var d = currentScript.dataset;
      var fromData = {};
      if (d.serverUrl) fromData.serverUrl = d.serverUrl;
      if (d.title) fromData.title = d.title;
      if (d.subtitle) fromData.subtitle = d.subtitle;
      if (d.greeting) fromData.greeting = d.greeting;
      if (d.exitUrl) fromData.exitUrl = d.exitUrl;
      if (d.mode) fromData.mode = d.mode;
      if (d.container) fromData.container = d.container;
      if (d.startOpen) fromData.startOpen = d.startOpen === "true";
      if (d.primaryColour || d.primaryColor) fromData.colours = { primary: d.primaryColour || d.primaryColor };
      sources.push(fromData);
    }
    if (overrides && typeof overrides === "object") sources.push(overrides);

    sources.forEach(function (src) {
      if (!src || typeof src !== "object") return;
      for (var key in src) {
        if (!Object.prototype.hasOwnProperty.call(src, key)) continue;
        if (key === "colours" || key === "colors") {
          var c = src[key] || {};
          for (var ck in c) if (COLOUR_VARS[ck] && typeof c[ck] === "string") cfg.colours[ck] = c[ck];
        } else if (Object.prototype.hasOwnProperty.call(DEFAULTS, key)) {
          cfg[key] = src[key];
        }
      }
    });

    if (!isHttpUrl(cfg.serverUrl)) cfg.serverUrl = DEFAULTS.serverUrl;
    cfg.serverUrl = cfg.serverUrl.replace(/\/+$/, "");
    if (!isHttpUrl(cfg.exitUrl)) cfg.exitUrl = DEFAULTS.exitUrl;
    if (Array.isArray(cfg.fallbackContacts)) {
      cfg.fallbackContacts = cfg.fallbackContacts.filter(function (c) {
        return c && typeof c === "object" && typeof c.number === "string" && /\d/.test(c.number);
      });
    }
    if (!Array.isArray(cfg.fallbackContacts) || !cfg.fallbackContacts.length) cfg.fallbackContacts = FALLBACK_CONTACTS;
    ["requestTimeoutMs", "healthTimeoutMs", "reconnectInitialMs", "reconnectMaxMs"].forEach(function (k) {
      var n = Number(cfg[k]);
      cfg[k] = isFinite(n) && n >= 500 ? n : DEFAULTS[k];
    });
    cfg.maxLength = Math.max(1, Math.min(parseInt(cfg.maxLength, 10) || 2000, 10000));
    cfg.headingLevel = Math.max(2, Math.min(parseInt(cfg.headingLevel, 10) || 2, 6));
    if (!Array.isArray(cfg.greetingButtons)) cfg.greetingButtons = [];
    return cfg;
  }

  // ------------------------------------------------------------------ small DOM helpers
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      for (var a in attrs) {
        if (attrs[a] === null || attrs[a] === undefined || attrs[a] === false) continue;
        if (a === "text") node.textContent = attrs[a];
        else if (a === "className") node.className = attrs[a];
        else node.setAttribute(a, attrs[a] === true ? "" : String(attrs[a]));
      }
    }
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  function srOnly(text) {
    return el("span", { className: "cw-sr", text: text });
  }

  var idCounter = 0;
  function uid(name) {
    idCounter += 1;
    return "cw-" + name + "-" + idCounter;
  }

  // ------------------------------------------------------------------ safe text rendering
  // web address with scheme | e-mail | bare domain (common TLDs) | North American number | short numbers
  var TOKEN_RE = new RegExp(
    [
      "(\\bhttps?:\\/\\/[^\\s<>\"'`]+)",
      "(\\b[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9-]+\\.)+[A-Za-z]{2,}\\b)",
      "(\\b(?:www\\.)?(?:[A-Za-z0-9-]+\\.)+(?:ca|com|org|net|info)\\b(?:\\/[^\\s<>\"'`]*)?)",
      "((?:\\+?1[ .-]?)?(?:\\(\\d{3}\\)|\\b\\d{3})[ .-]?\\d{3}[ .-]\\d{4}\\b)",
      "(\\b(?:911|310-1234|2-1-1|211)\\b)"
    ].join("|"),
    "g"
  );

  function telHref(text) {
    var digits = String(text).replace(/\D/g, "");
    if (digits.length === 10 && TOLL_FREE[digits.slice(0, 3)]) digits = "1" + digits;
    return "tel:" + digits;
  }

  function trimUrl(url) {
    // drop trailing punctuation, and a closing bracket that has no opening one in the address
    var m = url.match(/[.,;:!?'"]+$/);
    var tail = "";
    if (m) { tail = m[0]; url = url.slice(0, -tail.length); }
    while (url.slice(-1) === ")" && (url.split("(").length < url.split(")").length)) {
      tail = ")" + tail;
      url = url.slice(0, -1);
    }
    return { url: url, tail: tail };
  }

  function linkNode(href, text, external) {
    var a = el("a", { href: href, className: "cw-link" }, [text]);
    if (external) {
      a.setAttribute("target", "_blank");
      a.setAttribute("rel", "noopener noreferrer");
      a.appendChild(srOnly(" (opens in a new tab)"));
    }
    return a;
  }

  function appendLinkified(parent, text) {
    var last = 0;
    var m;
    TOKEN_RE.lastIndex = 0;
    while ((m = TOKEN_RE.exec(text)) !== null) {
      if (m.index > last) parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      var token = m[0];
      var after = "";
      if (m[1] || m[3]) {
        var t = trimUrl(token);
        token = t.url;
        after = t.tail;
        var href = m[1] ? token : "https://" + token;
        if (/^https?:\/\/[^\s]+$/i.test(href)) parent.appendChild(linkNode(href, token, true));
        else parent.appendChild(document.createTextNode(token));
      } else if (m[2]) {
        parent.appendChild(linkNode("mailto:" + token, token, false));
      } else {
        parent.appendChild(linkNode(telHref(token), token, false));
      }
      if (after) parent.appendChild(document.createTextNode(after));
      last = m.index + m[0].length;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function appendInline(parent, line) {
    var parts = line.split(/\*\*([^*\n]+?)\*\*/g); // odd indexes are bold
    parts.forEach(function (part, i) {
      if (!part) return;
      if (i % 2 === 1) {
        var strong = el("strong");
        appendLinkified(strong, part);
        parent.appendChild(strong);
      } else {
        appendLinkified(parent, part);
      }
    });
  }

  function renderText(parent, text) {
    var lines = String(text).replace(/\r\n?/g, "\n").split("\n");
    lines.forEach(function (line, i) {
      if (i > 0) parent.appendChild(el("br"));
      appendInline(parent, line);
    });
    return parent;
  }

  function contactLine(contact) {
    var p = el("p", { className: "cw-contact" });
    if (contact.label) p.appendChild(document.createTextNode(String(contact.label) + " "));
    p.appendChild(linkNode(telHref(contact.number), String(contact.number), false));
    if (contact.note) p.appendChild(document.createTextNode(" " + String(contact.note)));
    return p;
  }

  function cleanButtons(buttons) {
    if (!Array.isArray(buttons)) return [];
    return buttons
      .filter(function (b) {
        return b && typeof b === "object" && typeof b.title === "string" && b.title.trim() &&
          typeof b.payload === "string" && b.payload.trim();
      })
      .slice(0, 10)
      .map(function (b) { return { title: b.title.slice(0, 200), payload: b.payload.slice(0, 2000) }; });
  }

  // ------------------------------------------------------------------ the widget
  function Widget(cfg) {
    this.cfg = cfg;
    this.log = [];
    this.online = null; // unknown until the first health check
    this.pollTimer = null;
    this.pollDelay = cfg.reconnectInitialMs;
    this.noticeTimer = null;
    this.queue = Promise.resolve();
    this.inflight = [];
    this.lastEsc = 0;
    this.destroyed = false;
  }

  Widget.prototype.mount = function () {
    var cfg = this.cfg;
    var self = this;
    var container = null;
    try { container = cfg.container ? document.querySelector(cfg.container) : null; } catch (e) { container = null; }
    var mode = cfg.mode;
    if (mode === "auto" || (mode !== "inline" && mode !== "floating")) mode = container ? "inline" : "floating";
    if (mode === "inline" && !container) mode = "floating";
    this.mode = mode;

    var ids = {
      panel: uid("panel"), title: uid("title"), input: uid("input"), counter: uid("counter"),
      hint: uid("hint"), note: uid("note")
    };
    this.ids = ids;

    // Quick exit: first focusable element of the page, always visible (fixed), for every mode.
    this.exitBtn = el("button", { type: "button", className: "cw-exit", "data-cw": "exit" }, [
      cfg.exitLabel,
      srOnly(": leaves this page and clears the chat. Shortcut: press Escape twice.")
    ]);
    this.exitBtn.addEventListener("click", function () { self.quickExit(); });

    var heading = el("h" + cfg.headingLevel, { id: ids.title, className: "cw-title", text: cfg.title });
    var headerText = el("div", { className: "cw-heading" }, [heading]);
    if (cfg.subtitle) headerText.appendChild(el("p", { className: "cw-subtitle", text: cfg.subtitle }));

    this.clearBtn = el("button", { type: "button", className: "cw-btn cw-clear", "data-cw": "clear" }, ["Clear chat"]);
    this.clearBtn.addEventListener("click", function () { self.clearChat(); });
    var actions = el("div", { className: "cw-actions" }, [this.clearBtn]);
    if (mode === "floating") {
      this.closeBtn = el("button", {
        type: "button", className: "cw-btn cw-close", "data-cw": "close", "aria-label": "Minimise chat"
      }, [el("span", { "aria-hidden": "true", text: "\u2212" })]);
      this.closeBtn.addEventListener("click", function () { self.setOpen(false, true); });
      actions.appendChild(this.closeBtn);
    }

    this.status = el("div", { className: "cw-status", role: "status", "aria-live": "polite", "data-cw": "status" });
    this.logEl = el("div", {
      className: "cw-log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
      "aria-label": "Conversation", tabindex: "0", "data-cw": "log"
    });
    this.typing = el("div", { className: "cw-typing", "data-cw": "typing", hidden: true }, [
      el("span", { className: "cw-dots", "aria-hidden": "true" }, [el("span"), el("span"), el("span")]),
      el("span", { className: "cw-typing-text", text: "The assistant is typing\u2026" })
    ]);

    this.input = el("textarea", {
      id: ids.input, className: "cw-input", rows: "1", maxlength: String(cfg.maxLength),
      autocomplete: "off", autocapitalize: "sentences", spellcheck: "true",
      "aria-describedby": ids.hint + " " + ids.counter, "data-cw": "input"
    });
    this.sendBtn = el("button", { type: "submit", className: "cw-send", "data-cw": "send" }, ["Send"]);
    this.counter = el("span", { id: ids.counter, className: "cw-counter", "data-cw": "counter" });
    this.form = el("form", { className: "cw-form", "data-cw": "form", "aria-label": "Send a message" }, [
      el("label", { "for": ids.input, className: "cw-sr", text: "Your message" }),
      el("div", { className: "cw-row" }, [this.input, this.sendBtn]),
      el("div", { className: "cw-meta" }, [
        el("span", { id: ids.hint, className: "cw-hint", text: "Enter sends. Shift+Enter adds a line." }),
        this.counter
      ])
    ]);

    this.panel = el("section", {
      id: ids.panel, className: "cw-panel", "aria-labelledby": ids.title, "data-cw": "panel"
    }, [
      el("header", { className: "cw-header" }, [headerText, actions]),
      el("p", { id: ids.note, className: "cw-note", "data-cw": "note", text: cfg.note }),
      this.status,
      this.logEl,
      this.typing,
      this.form
    ]);

    this.root = el("div", { className: "cw-root cw-" + mode, "data-cw": "root" });
    this.applyColours(this.root);
    this.applyColours(this.exitBtn);

    if (mode === "floating") {
      this.launcher = el("button", {
        type: "button", className: "cw-launcher", "aria-expanded": "false", "aria-controls": ids.panel,
        "data-cw": "launcher"
      }, [el("span", { className: "cw-launcher-icon", "aria-hidden": "true" }), "Chat: " + cfg.title]);
      this.launcher.addEventListener("click", function () { self.setOpen(true, true); });
      this.root.appendChild(this.launcher);
      this.root.appendChild(this.panel);
      document.body.appendChild(this.root);
    } else {
      this.root.appendChild(this.panel);
      container.appendChild(this.root);
    }
    document.body.insertBefore(this.exitBtn, document.body.firstChild);

    // events
    this.form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      self.submitInput();
    });
    this.input.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) {
        ev.preventDefault();
        self.submitInput();
      }
    });
    this.input.addEventListener("input", function () { self.updateCounter(); self.autoGrow(); });
    this.onKeydown = function (ev) {
      if (ev.key !== "Escape" && ev.key !== "Esc") return;
      var now = Date.now();
      if (now - self.lastEsc <= ESC_WINDOW_MS) {
        ev.preventDefault();
        self.quickExit();
      } else {
        self.lastEsc = now;
      }
    };
    document.addEventListener("keydown", this.onKeydown, true);
    this.onOnline = function () { if (self.online === false) self.pollNow(); };
    window.addEventListener("online", this.onOnline);

    this.updateCounter();
    store.clearOwn();
    this.renderGreeting();
    if (mode === "floating") this.setOpen(!!cfg.startOpen, false);
    this.trackHistory();
    this.checkHealth();
  };

  Widget.prototype.applyColours = function (node) {
    var c = this.cfg.colours;
    for (var k in c) {
      // only plain colour values: a CSS colour never needs ; { } or url(
      if (/^[#a-zA-Z0-9(),.%\s-]{1,64}$/.test(c[k]) && !/url\s*\(/i.test(c[k])) {
        node.style.setProperty(COLOUR_VARS[k], c[k]);
      }
    }
  };

  Widget.prototype.setOpen = function (open, moveFocus) {
    if (this.mode !== "floating") return;
    this.root.setAttribute("data-open", open ? "true" : "false");
    this.launcher.setAttribute("aria-expanded", open ? "true" : "false");
    this.panel.hidden = !open;
    this.launcher.hidden = !!open;
    if (moveFocus) {
      if (open) { this.input.focus(); this.scrollToEnd(); } else { this.launcher.focus(); }
    }
  };

  // ---------------------------------------------------------------- conversation log
  Widget.prototype.greetingText = function () {
    var emergency = this.cfg.fallbackContacts[0] || FALLBACK_CONTACTS[0];
    return String(this.cfg.greeting).replace(/\{emergency\}/g, String(emergency.number));
  };

  Widget.prototype.renderGreeting = function () {
    var node = this.messageNode({ who: "bot", text: this.greetingText(), buttons: cleanButtons(this.cfg.greetingButtons) });
    node.classList.add("cw-greeting");
    node.setAttribute("data-cw-greeting", "true");
    this.greetingNode = node;
    this.logEl.appendChild(node);
  };

  Widget.prototype.messageNode = function (entry) {
    var self = this;
    var who = entry.who === "user" ? "user" : "bot";
    var wrap = el("div", { className: "cw-msg cw-msg--" + who + (entry.local ? " cw-msg--local" : ""), "data-who": who });
    var bubble = el("div", { className: "cw-bubble" }, [srOnly(who === "user" ? "You said: " : "Assistant said: ")]);
    if (entry.text) renderText(bubble, entry.text);
    wrap.appendChild(bubble);
    if (entry.local) {
      // the widget's own fallback answer: always ends with ways to reach a person
      this.cfg.fallbackContacts.forEach(function (c) { bubble.appendChild(contactLine(c)); });
    }
    if (entry.buttons && entry.buttons.length) {
      var group = el("div", { className: "cw-buttons", role: "group", "aria-label": "Suggested replies", "data-cw": "buttons" });
      entry.buttons.forEach(function (b) {
        var btn = el("button", { type: "button", className: "cw-choice", "data-payload": b.payload }, [b.title]);
        btn.addEventListener("click", function () { self.choose(b); });
        group.appendChild(btn);
      });
      wrap.appendChild(group);
    }
    return wrap;
  };

  Widget.prototype.addEntry = function (entry) {
    var node = this.messageNode(entry);
    this.logEl.appendChild(node);
    this.log.push({ who: entry.who, text: entry.text, buttons: entry.buttons || [], local: !!entry.local });
    if (this.log.length > MAX_LOG_ENTRIES) this.log.splice(0, this.log.length - MAX_LOG_ENTRIES);
    return node;
  };

  Widget.prototype.removeButtons = function (scope) {
    var groups = (scope || this.logEl).querySelectorAll(".cw-buttons");
    for (var i = 0; i < groups.length; i++) groups[i].parentNode.removeChild(groups[i]);
    if (!scope) this.log.forEach(function (e) { e.buttons = []; });
  };

  Widget.prototype.scrollToEnd = function (firstNew) {
    var log = this.logEl;
    if (firstNew && firstNew.offsetHeight > log.clientHeight) {
      // a long answer: show its beginning rather than its end
      log.scrollTop += firstNew.getBoundingClientRect().top - log.getBoundingClientRect().top - 8;
    } else {
      log.scrollTop = log.scrollHeight;
    }
  };

  // ---------------------------------------------------------------- sending
  Widget.prototype.sender = function () {
    if (!this.senderId) {
      var bytes = new Uint8Array(16);
      window.crypto.getRandomValues(bytes);
      this.senderId = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    }
    return this.senderId;
  };

  Widget.prototype.submitInput = function () {
    var text = this.input.value.replace(/^\s+|\s+$/g, "");
    if (!text) return;
    if (this.online === false) {
      this.showOffline(true);
      return;
    }
    text = text.slice(0, this.cfg.maxLength);
    this.input.value = "";
    this.updateCounter();
    this.autoGrow();
    this.send(text, text);
  };

  Widget.prototype.choose = function (button) {
    this.send(button.payload, button.title);
    this.input.focus();
  };

  Widget.prototype.send = function (message, shownText) {
    var self = this;
    this.removeButtons();
    var userNode = this.addEntry({ who: "user", text: shownText });
    this.scrollToEnd();
    this.queue = this.queue.then(function () { return self.post(message, userNode, shownText); });
    return this.queue;
  };

  Widget.prototype.fetchWithTimeout = function (url, options, ms) {
    var self = this;
    var ctrl = typeof AbortController !== "undefined" ? new AbortController() : null;
    var timer = null;
    if (ctrl) {
      options.signal = ctrl.signal;
      timer = setTimeout(function () { ctrl.abort(); }, ms);
      this.inflight.push(ctrl);
    }
    options.credentials = "omit";
    options.cache = "no-store";
    options.referrerPolicy = "no-referrer";
    options.mode = "cors";
    function done() {
      if (timer) clearTimeout(timer);
      if (ctrl) self.inflight = self.inflight.filter(function (c) { return c !== ctrl; });
    }
    return fetch(url, options).then(
      function (res) { done(); return res; },
      function (err) { done(); throw err; }
    );
  };

  Widget.prototype.post = function (message, userNode, shownText) {
    var self = this;
    if (this.destroyed) return Promise.resolve();
    this.setTyping(true);
    return this.fetchWithTimeout(this.cfg.serverUrl + "/webhooks/rest/webhook", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ sender: this.sender(), message: message, metadata: {} })
    }, this.cfg.requestTimeoutMs)
      .then(function (res) {
        // 4xx: the server is up but refused this message (too long, malformed, rate limited)
        if (res.status >= 400 && res.status < 500) return { refused: res.status };
        if (!res.ok) throw new Error("HTTP " + res.status);
        return res.json();
      })
      .then(function (data) {
        if (self.destroyed) return;
        self.setTyping(false);
        self.setOnline(true);
        if (data && data.refused) {
          self.showReplies([], "Sorry, I could not take that message. You can try other words, or reach a person:");
        } else {
          self.showReplies(Array.isArray(data) ? data : []);
        }
      })
      .catch(function () {
        if (self.destroyed) return;
        self.setTyping(false);
        userNode.classList.add("cw-msg--failed");
        userNode.appendChild(el("p", { className: "cw-failed", text: "Not sent. You can send it again once the chat is back." }));
        if (!self.input.value && shownText === message) { self.input.value = message; self.updateCounter(); }
        self.setOnline(false);
      });
  };

  Widget.prototype.showReplies = function (items, emptyText) {
    var first = null;
    var self = this;
    items.forEach(function (item) {
      if (!item || typeof item !== "object") return;
      var text = typeof item.text === "string" ? item.text : "";
      var buttons = cleanButtons(item.buttons || item.quick_replies);
      if (!text && !buttons.length) return; // images, custom payloads, anything unknown: ignored
      var node = self.addEntry({ who: "bot", text: text, buttons: buttons });
      if (!first) first = node;
    });
    if (!first) {
      first = this.addEntry({
        who: "bot", local: true,
        text: emptyText || "Sorry, I do not have an answer for that. You can try other words, or reach a person:"
      });
    }
    this.scrollToEnd(first);
  };

  Widget.prototype.setTyping = function (on) {
    this.typing.hidden = !on;
    if (on) this.scrollToEnd();
  };

  // ---------------------------------------------------------------- online / offline
  Widget.prototype.checkHealth = function () {
    var self = this;
    return this.fetchWithTimeout(this.cfg.serverUrl + "/", { method: "GET" }, this.cfg.healthTimeoutMs)
      .then(function (res) {
        if (!res.ok) throw new Error("HTTP " + res.status);
        if (!self.destroyed) self.setOnline(true);
      })
      .catch(function () { if (!self.destroyed) self.setOnline(false); });
  };

  Widget.prototype.setOnline = function (up) {
    var was = this.online;
    this.online = up;
    this.root.setAttribute("data-online", up ? "true" : "false");
    this.sendBtn.disabled = !up;
    if (up) {
      this.stopPolling();
      this.pollDelay = this.cfg.reconnectInitialMs;
      if (was === false) {
        this.showNotice("Reconnected. You can send messages again.", "cw-notice--ok", "reconnected");
      }
    } else if (was !== false) {
      this.showOffline(false);
      this.schedulePoll();
    }
  };

  Widget.prototype.showOffline = function (again) {
    var box = el("div", { className: "cw-notice cw-notice--offline", "data-cw": "offline" }, [
      el("p", { className: "cw-notice-title", text: "The assistant cannot be reached right now." + (again ? " Your message was not sent." : "") }),
      el("p", { text: "It will reconnect by itself. You can still get help now:" })
    ]);
    this.cfg.fallbackContacts.forEach(function (c) { box.appendChild(contactLine(c)); });
    this.setStatus(box, null);
  };

  Widget.prototype.showNotice = function (text, cls, tag) {
    var self = this;
    this.setStatus(el("p", { className: "cw-notice " + (cls || ""), "data-cw": tag || "notice", text: text }), 8000);
    return self;
  };

  Widget.prototype.setStatus = function (node, hideAfterMs) {
    var self = this;
    if (this.noticeTimer) { clearTimeout(this.noticeTimer); this.noticeTimer = null; }
    while (this.status.firstChild) this.status.removeChild(this.status.firstChild);
    if (node) this.status.appendChild(node);
    this.scrollToEnd(); // the notice takes room from the conversation: keep the newest message in view
    if (hideAfterMs) {
      this.noticeTimer = setTimeout(function () { self.setStatus(null, null); }, hideAfterMs);
    }
  };

  Widget.prototype.schedulePoll = function () {
    var self = this;
    this.stopPolling();
    this.pollTimer = setTimeout(function () {
      self.pollTimer = null;
      self.checkHealth().then(function () {
        if (self.online === false && !self.destroyed) {
          self.pollDelay = Math.min(self.pollDelay * 2, self.cfg.reconnectMaxMs);
          self.schedulePoll();
        }
      });
    }, this.pollDelay);
  };

  Widget.prototype.pollNow = function () {
    this.pollDelay = this.cfg.reconnectInitialMs;
    this.stopPolling();
    var self = this;
    this.checkHealth().then(function () { if (self.online === false) self.schedulePoll(); });
  };

  Widget.prototype.stopPolling = function () {
    if (this.pollTimer) { clearTimeout(this.pollTimer); this.pollTimer = null; }
  };

  // ---------------------------------------------------------------- input helpers
  Widget.prototype.updateCounter = function () {
    var n = this.input.value.length;
    var max = this.cfg.maxLength;
    this.counter.textContent = n + " / " + max;
    this.counter.appendChild(srOnly(" characters used"));
    this.counter.classList.toggle("cw-counter--near", n >= max * 0.9);
    if (n >= max) this.showNotice("Messages can be up to " + max + " characters.", "", "limit");
  };

  Widget.prototype.autoGrow = function () {
    this.input.style.height = "auto";
    this.input.style.height = Math.min(this.input.scrollHeight + 2, 160) + "px";
  };

  // ---------------------------------------------------------------- clear and quick exit
  Widget.prototype.clearChat = function () {
    this.abortAll();
    this.senderId = null; // a new conversation id: the assistant forgets the old context too
    this.log = [];
    while (this.logEl.firstChild) this.logEl.removeChild(this.logEl.firstChild);
    this.setTyping(false);
    this.renderGreeting();
    this.input.value = "";
    this.updateCounter();
    this.autoGrow();
    this.showNotice("Chat cleared.", "", "cleared");
    this.input.focus();
  };

  Widget.prototype.abortAll = function () {
    this.inflight.forEach(function (c) { try { c.abort(); } catch (e) { /* ignore */ } });
    this.inflight = [];
  };

  // Links inside the page (#privacy) add history entries to the same page. Each is numbered, so
  // quick exit can go back to the page's first entry and replace that one: then neither Back nor
  // these entries lead to the chat.
  Widget.prototype.trackHistory = function () {
    var self = this;
    this.pageDepth = function () {
      var st = window.history.state;
      return st && typeof st.cwDepth === "number" ? st.cwDepth : null;
    };
    this.markEntry = function (depth) {
      try {
        var st = window.history.state && typeof window.history.state === "object" ? window.history.state : {};
        var copy = {};
        for (var k in st) copy[k] = st[k];
        copy.cwDepth = depth;
        window.history.replaceState(copy, "");
      } catch (e) { /* history not writable: quick exit still replaces the current entry */ }
    };
    this.lastDepth = this.pageDepth();
    if (this.lastDepth === null) { this.lastDepth = 0; this.markEntry(0); }
    this.onPopstate = function () {
      var depth = self.pageDepth();
      if (depth === null) { depth = self.lastDepth + 1; self.markEntry(depth); } // a new entry
      self.lastDepth = depth;
    };
    window.addEventListener("popstate", this.onPopstate);
  };

  Widget.prototype.quickExit = function () {
    if (this.destroyed) return;
    this.destroyed = true;
    this.abortAll();
    this.stopPolling();
    if (this.cfg.exitClearsAllSessionStorage) store.clearAll(); else store.clearOwn();
    this.log = [];
    this.senderId = null;
    // wipe what is on screen before the next page starts loading
    if (this.root.parentNode) this.root.parentNode.removeChild(this.root);
    while (this.root.firstChild) this.root.removeChild(this.root.firstChild);
    if (this.exitBtn && this.exitBtn.parentNode) this.exitBtn.parentNode.removeChild(this.exitBtn);
    try { document.title = ""; document.body.style.visibility = "hidden"; } catch (e) { /* ignore */ }
    document.removeEventListener("keydown", this.onKeydown, true);
    var exitUrl = this.cfg.exitUrl;
    var leave = function () { window.location.replace(exitUrl); };
    // a page kept in the back/forward cache and shown again: leave again
    window.addEventListener("pageshow", function (ev) { if (ev.persisted) leave(); });
    var depth = (this.pageDepth && this.pageDepth()) || 0;
    if (depth > 0) {
      window.removeEventListener("popstate", this.onPopstate);
      window.addEventListener("popstate", leave);
      window.setTimeout(leave, 500); // if going back is not possible, leave from here
      window.history.go(-depth);
    } else {
      leave();
    }
  };

  // ------------------------------------------------------------------ start
  var instance = null;

  function init(overrides) {
    if (instance) return instance;
    var cfg = readConfig(overrides);
    if (cfg.loadStylesheet && currentScript && currentScript.src && !document.querySelector("link[data-chat-widget-css]")) {
      var href = currentScript.src.replace(/chat-widget(\.min)?\.js(\?.*)?$/, "chat-widget.css");
      var already = document.querySelector('link[rel="stylesheet"][href$="chat-widget.css"]');
      if (!already && href !== currentScript.src) {
        document.head.appendChild(el("link", { rel: "stylesheet", href: href, "data-chat-widget-css": "true" }));
      }
    }
    instance = new Widget(cfg);
    instance.mount();
    return instance;
  }

  window.ChatWidget = {
    init: init,
    quickExit: function () { if (instance) instance.quickExit(); },
    clear: function () { if (instance) instance.clearChat(); },
    fallbackContacts: FALLBACK_CONTACTS.map(function (c) { return { id: c.id, label: c.label, number: c.number, note: c.note }; })
  };

  var auto = !(currentScript && currentScript.dataset && currentScript.dataset.autoInit === "false");
  if (auto) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { init(); });
    else init();
  }
})();
