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
 *
 * Languages: every text the widget shows comes from STRINGS (one table per language). The first
 * language follows the browser (fr* -> French); the EN / FR switch in the header changes it for this
 * page only (kept in memory, like the conversation).
 */
(function () {
  "use strict";

  // ---------------------------------------------------------------------------------------------
  // FALLBACK CONTACTS - the single place where the widget's own phone numbers live.
  // Shown when the assistant cannot be reached, when it gives no answer, and (the first, the
  // emergency number) in the default greeting. The array is written as strict JSON so that a test
  // can read it and check it against the project's service directory.
  // ---------------------------------------------------------------------------------------------
  // A contact's "fr" object holds its French label and note (the number is the same).
  var FALLBACK_CONTACTS = [
    {
      "id": "emergency",
      "label": "In danger: call",
      "number": "911",
      "note": "",
      "fr": { "label": "En danger\u00a0: appelez le", "note": "" }
    },
    {
      "id": "hotline",
      "label": "Canadian Human Trafficking Hotline:",
      "number": "1-833-900-1010",
      "note": "(24/7, confidential)",
      "fr": {
        "label": "Canadian Human Trafficking Hotline (ligne contre la traite des personnes)\u00a0:",
        "note": "(24 h sur 24, 7 jours sur 7, confidentiel)"
      }
    }
  ];

  // ---------------------------------------------------------------------------------------------
  // STRINGS - every text the widget shows, one table per language. "{emergency}" is the first
  // fallback contact's number, "{max}" the longest message. Host pages may replace the texts marked
  // HOST_TEXTS (see readConfig).
  // ---------------------------------------------------------------------------------------------
  var STRINGS = {
    en: {
      languageName: "English",
      languageGroup: "Language",
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
      exitLabel: "Quick exit",
      exitHint: ": leaves this page and clears the chat. Shortcut: press Escape twice.",
      clear: "Clear chat",
      clearName: "Clear chat",
      minimise: "Minimise chat",
      launcher: "Chat: ",
      conversation: "Conversation",
      typing: "The assistant is typing\u2026",
      messageLabel: "Your message",
      send: "Send",
      formLabel: "Send a message",
      hint: "Enter sends. Shift+Enter adds a line.",
      charactersUsed: " characters used",
      youSaid: "You said: ",
      assistantSaid: "Assistant said: ",
      suggestedReplies: "Suggested replies",
      opensNewTab: " (opens in a new tab)",
      refused: "Sorry, I could not take that message. You can try other words, or reach a person:",
      notSent: "Not sent. You can send it again once the chat is back.",
      noAnswer: "Sorry, I do not have an answer for that. You can try other words, or reach a person:",
      reconnected: "Reconnected. You can send messages again.",
      offlineTitle: "The assistant cannot be reached right now.",
      offlineNotSent: " Your message was not sent.",
      offlineHelp: "It will reconnect by itself. You can still get help now:",
      limit: "Messages can be up to {max} characters.",
      cleared: "Chat cleared."
    },
    // Written by the development team; not yet reviewed by a fluent speaker (see TRANSLATION_REVIEW).
    fr: {
      languageName: "Fran\u00e7ais",
      languageGroup: "Langue",
      title: "Posez une question",
      subtitle: "Travail du sexe, exploitation et traite des personnes en C.-B.",
      greeting:
        "Bonjour\u00a0! Je suis un assistant automatique, pas une personne. Je r\u00e9ponds aux questions " +
        "sur le travail du sexe, l'exploitation sexuelle des jeunes et la traite des personnes en C.-B. " +
        "Je peux aussi vous aider \u00e0 trouver du soutien.\n" +
        "Je ne demande aucun renseignement personnel. Merci de ne pas en donner.\n" +
        "Si vous \u00eates en danger maintenant, appelez le {emergency}.",
      greetingButtons: [
        { title: "C'est quoi, la traite\u00a0?", payload: "/faq/what_is_human_trafficking" },
        { title: "Travail du sexe ou traite\u00a0?", payload: "/faq/sex_work_vs_trafficking" },
        { title: "O\u00f9 trouver de l'aide\u00a0?", payload: "/request_help_trafficking" }
      ],
      note: "Assistant automatique, pas une personne. Ne donnez pas de renseignements personnels (nom, adresse, t\u00e9l\u00e9phone).",
      exitLabel: "Sortie rapide",
      exitHint: "\u00a0: quitte cette page et efface la discussion. Raccourci\u00a0: appuyez deux fois sur \u00c9chap.",
      clear: "Effacer",
      clearName: "Effacer la discussion",
      minimise: "R\u00e9duire la discussion",
      launcher: "Discussion\u00a0: ",
      conversation: "Conversation",
      typing: "L'assistant \u00e9crit\u2026",
      messageLabel: "Votre message",
      send: "Envoyer",
      formLabel: "Envoyer un message",
      hint: "Entr\u00e9e envoie. Maj+Entr\u00e9e ajoute une ligne.",
      charactersUsed: " caract\u00e8res utilis\u00e9s",
      youSaid: "Vous avez dit\u00a0: ",
      assistantSaid: "L'assistant a dit\u00a0: ",
      suggestedReplies: "R\u00e9ponses sugg\u00e9r\u00e9es",
      opensNewTab: " (s'ouvre dans un nouvel onglet)",
      refused: "D\u00e9sol\u00e9, je ne peux pas prendre ce message. Essayez d'autres mots, ou parlez \u00e0 une personne\u00a0:",
      notSent: "Pas envoy\u00e9. Vous pourrez le renvoyer quand la discussion sera de retour.",
      noAnswer: "D\u00e9sol\u00e9, je n'ai pas de r\u00e9ponse. Essayez d'autres mots, ou parlez \u00e0 une personne\u00a0:",
      reconnected: "La connexion est revenue. Vous pouvez de nouveau envoyer des messages.",
      offlineTitle: "L'assistant ne r\u00e9pond pas pour le moment.",
      offlineNotSent: " Votre message n'a pas \u00e9t\u00e9 envoy\u00e9.",
      offlineHelp: "Il va se reconnecter tout seul. Vous pouvez quand m\u00eame avoir de l'aide maintenant\u00a0:",
      limit: "Un message peut avoir au plus {max} caract\u00e8res.",
      cleared: "Discussion effac\u00e9e."
    }
  };
  var LANGUAGES = ["en", "fr"];
  // The assistant's language choice (the payload of its own language buttons).
  var LANGUAGE_PAYLOAD = /^\/choose_language\{\s*"language"\s*:\s*"([a-z]+)"\s*\}$/;
  function languagePayload(lang) {
    return '/choose_language{"language": "' + lang + '"}';
  }
  // Texts a host page may set: a plain value replaces the English text, an object
  // {"en": ..., "fr": ...} sets each language.
  var HOST_TEXTS = ["title", "subtitle", "greeting", "greetingButtons", "note", "exitLabel"];

  // Who checked each translated table, as in data/translations/review.yml (strict JSON, so that a
  // check can read it). reviewed_by stays null until a fluent speaker has read every string.
  var TRANSLATION_REVIEW = {
    "fr": { "name": "French", "reviewed_by": null, "reviewed_on": null }
  };

  var DEFAULTS = {
    serverUrl: "http://localhost:5005",
    // HOST_TEXTS: null means the widget's own text in the current language (STRINGS).
    title: null,
    subtitle: null,
    greeting: null,
    greetingButtons: null,
    note: null,
    exitLabel: null,
    exitUrl: "https://www.google.ca/search?q=weather",
    // "auto": the browser's language (fr* -> French, otherwise English); or "en" / "fr".
    language: "auto",
    // The host page follows the widget's language: <html lang>, the elements marked
    // data-cw-page-lang="en|fr" (only those of the current language are shown) and pageTitle.
    translatePage: false,
    pageTitle: null,
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
      if (d.language) fromData.language = d.language;
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
    if (LANGUAGES.indexOf(cfg.language) < 0) cfg.language = "auto";
    return cfg;
  }

  function browserLanguage() {
    var nav = window.navigator || {};
    var first = (nav.languages && nav.languages[0]) || nav.language || "";
    return /^fr\b/i.test(String(first)) ? "fr" : "en";
  }

  // The one language in use (a page has one widget); set by Widget.setLanguage.
  var ui = { lang: "en", cfg: null };

  // A host value for a language: an object by language, or a plain value (English only).
  function hostValue(value, lang) {
    if (value === null || value === undefined) return undefined;
    if (typeof value === "object" && !Array.isArray(value)) {
      return Object.prototype.hasOwnProperty.call(value, lang) ? value[lang] : undefined;
    }
    return lang === "en" ? value : undefined;
  }

  function t(key, lang) {
    lang = lang || ui.lang;
    if (ui.cfg && HOST_TEXTS.indexOf(key) >= 0) {
      var own = hostValue(ui.cfg[key], lang);
      if (own !== undefined) return own;
    }
    var table = STRINGS[lang] || STRINGS.en;
    return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : STRINGS.en[key];
  }

  // Marks a node whose text (or attribute) is the string `key`, so a language change updates it.
  function tr(node, key, attr) {
    node.setAttribute("data-cw-i18n", key);
    if (attr) {
      node.setAttribute("data-cw-i18n-attr", attr);
      node.setAttribute(attr, t(key));
    } else {
      node.textContent = t(key);
    }
    return node;
  }

  function retranslate(scope) {
    var nodes = scope.querySelectorAll("[data-cw-i18n]");
    for (var i = 0; i < nodes.length; i++) {
      var n = nodes[i];
      var attr = n.getAttribute("data-cw-i18n-attr");
      if (attr) n.setAttribute(attr, t(n.getAttribute("data-cw-i18n")));
      else n.textContent = t(n.getAttribute("data-cw-i18n"));
    }
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

  function srText(key) {
    return tr(el("span", { className: "cw-sr" }), key);
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
      a.appendChild(srText("opensNewTab"));
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
    var own = contact[ui.lang] && typeof contact[ui.lang] === "object" ? contact[ui.lang] : null;
    var label = own && typeof own.label === "string" ? own.label : contact.label;
    var note = own && typeof own.note === "string" ? own.note : contact.note;
    var p = el("p", { className: "cw-contact", lang: ui.lang });
    if (label) p.appendChild(document.createTextNode(String(label) + " "));
    p.appendChild(linkNode(telHref(contact.number), String(contact.number), false));
    if (note) p.appendChild(document.createTextNode(" " + String(note)));
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
    this.offlineAgain = false;
    ui.cfg = cfg;
    ui.lang = cfg.language === "auto" ? browserLanguage() : cfg.language;
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
    this.exitBtn = el("button", { type: "button", className: "cw-exit", "data-cw": "exit", lang: ui.lang }, [
      tr(el("span", { "data-cw": "exit-label" }), "exitLabel"),
      srText("exitHint")
    ]);
    this.exitBtn.addEventListener("click", function () { self.quickExit(); });

    var heading = tr(el("h" + cfg.headingLevel, { id: ids.title, className: "cw-title" }), "title");
    var headerText = el("div", { className: "cw-heading" }, [heading]);
    this.subtitleEl = tr(el("p", { className: "cw-subtitle" }), "subtitle");
    headerText.appendChild(this.subtitleEl);

    // The language switch: one button per language, named in its own language.
    this.langBtns = {};
    var langGroup = tr(el("div", { className: "cw-lang", role: "group", "data-cw": "lang" }), "languageGroup", "aria-label");
    LANGUAGES.forEach(function (code) {
      var btn = el("button", {
        type: "button", className: "cw-btn cw-lang-btn", "data-cw": "lang-" + code, lang: code,
        "aria-pressed": code === ui.lang ? "true" : "false"
      }, [
        el("span", { "aria-hidden": "true", text: code.toUpperCase() }),
        srOnly(STRINGS[code].languageName)
      ]);
      btn.addEventListener("click", function () { self.chooseLanguage(code); });
      self.langBtns[code] = btn;
      langGroup.appendChild(btn);
    });

    // a node carries one translated string: the visible label is a span, the full name an attribute
    this.clearBtn = tr(el("button", { type: "button", className: "cw-btn cw-clear", "data-cw": "clear" }, [
      tr(el("span"), "clear")
    ]), "clearName", "aria-label");
    this.clearBtn.addEventListener("click", function () { self.clearChat(); });
    var actions = el("div", { className: "cw-actions" }, [langGroup, this.clearBtn]);
    if (mode === "floating") {
      this.closeBtn = tr(el("button", {
        type: "button", className: "cw-btn cw-close", "data-cw": "close"
      }, [el("span", { "aria-hidden": "true", text: "\u2212" })]), "minimise", "aria-label");
      this.closeBtn.addEventListener("click", function () { self.setOpen(false, true); });
      actions.appendChild(this.closeBtn);
    }

    this.status = el("div", { className: "cw-status", role: "status", "aria-live": "polite", "data-cw": "status" });
    this.logEl = el("div", {
      className: "cw-log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
      tabindex: "0", "data-cw": "log"
    });
    tr(this.logEl, "conversation", "aria-label");
    this.typing = el("div", { className: "cw-typing", "data-cw": "typing", hidden: true }, [
      el("span", { className: "cw-dots", "aria-hidden": "true" }, [el("span"), el("span"), el("span")]),
      tr(el("span", { className: "cw-typing-text" }), "typing")
    ]);

    this.input = el("textarea", {
      id: ids.input, className: "cw-input", rows: "1", maxlength: String(cfg.maxLength),
      autocomplete: "off", autocapitalize: "sentences", spellcheck: "true",
      "aria-describedby": ids.hint + " " + ids.counter, "data-cw": "input"
    });
    this.sendBtn = tr(el("button", { type: "submit", className: "cw-send", "data-cw": "send" }), "send");
    this.counter = el("span", { id: ids.counter, className: "cw-counter", "data-cw": "counter" });
    this.form = el("form", { className: "cw-form", "data-cw": "form" }, [
      tr(el("label", { "for": ids.input, className: "cw-sr" }), "messageLabel"),
      el("div", { className: "cw-row" }, [this.input, this.sendBtn]),
      el("div", { className: "cw-meta" }, [
        tr(el("span", { id: ids.hint, className: "cw-hint" }), "hint"),
        this.counter
      ])
    ]);
    tr(this.form, "formLabel", "aria-label");

    this.panel = el("section", {
      id: ids.panel, className: "cw-panel", "aria-labelledby": ids.title, "data-cw": "panel"
    }, [
      el("header", { className: "cw-header" }, [headerText, actions]),
      tr(el("p", { id: ids.note, className: "cw-note", "data-cw": "note" }), "note"),
      this.status,
      this.logEl,
      this.typing,
      this.form
    ]);

    this.root = el("div", { className: "cw-root cw-" + mode, "data-cw": "root", lang: ui.lang });
    this.applyColours(this.root);
    this.applyColours(this.exitBtn);

    if (mode === "floating") {
      this.launcher = el("button", {
        type: "button", className: "cw-launcher", "aria-expanded": "false", "aria-controls": ids.panel,
        "data-cw": "launcher"
      }, [
        el("span", { className: "cw-launcher-icon", "aria-hidden": "true" }),
        tr(el("span"), "launcher"),
        tr(el("span"), "title")
      ]);
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
    this.setLanguage(ui.lang);
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
    return String(t("greeting")).replace(/\{emergency\}/g, String(emergency.number));
  };

  // withButtons false: the suggestions were already used or dismissed (a language change redraws
  // the greeting in place without bringing them back).
  Widget.prototype.renderGreeting = function (withButtons) {
    var buttons = withButtons === false ? [] : cleanButtons(t("greetingButtons"));
    var node = this.messageNode({ who: "bot", text: this.greetingText(), buttons: buttons });
    node.classList.add("cw-greeting");
    node.setAttribute("data-cw-greeting", "true");
    var old = this.greetingNode;
    this.greetingNode = node;
    if (old && old.parentNode === this.logEl) this.logEl.replaceChild(node, old);
    else this.logEl.insertBefore(node, this.logEl.firstChild);
  };

  // ---------------------------------------------------------------- language
  Widget.prototype.setLanguage = function (lang) {
    ui.lang = lang;
    this.root.setAttribute("lang", lang);
    this.exitBtn.setAttribute("lang", lang);
    retranslate(this.root);
    retranslate(this.exitBtn);
    this.subtitleEl.hidden = !t("subtitle");
    for (var code in this.langBtns) this.langBtns[code].setAttribute("aria-pressed", code === lang ? "true" : "false");
    this.updateCounter(true);
    if (this.greetingNode) this.renderGreeting(!!this.greetingNode.querySelector(".cw-buttons"));
    if (this.status.querySelector("[data-cw=offline]")) this.showOffline(this.offlineAgain);
    if (this.cfg.translatePage) this.translatePage(lang);
  };

  Widget.prototype.translatePage = function (lang) {
    document.documentElement.setAttribute("lang", lang);
    var blocks = document.querySelectorAll("[data-cw-page-lang]");
    for (var i = 0; i < blocks.length; i++) blocks[i].hidden = blocks[i].getAttribute("data-cw-page-lang") !== lang;
    var title = hostValue(this.cfg.pageTitle, lang);
    if (typeof title === "string" && title) document.title = title;
  };

  // The person pressed EN or FR. The assistant is told too (the same payload its own language
  // buttons send), so its replies follow; while it cannot be reached only the widget changes.
  Widget.prototype.chooseLanguage = function (lang) {
    if (lang === ui.lang || LANGUAGES.indexOf(lang) < 0 || this.destroyed) return;
    this.setLanguage(lang);
    if (this.online === true) {
      this.send(languagePayload(lang), STRINGS[lang].languageName);
    }
  };

  Widget.prototype.messageNode = function (entry) {
    var self = this;
    var who = entry.who === "user" ? "user" : "bot";
    var wrap = el("div", {
      className: "cw-msg cw-msg--" + who + (entry.local ? " cw-msg--local" : ""), "data-who": who,
      lang: entry.local ? ui.lang : null
    });
    var bubble = el("div", { className: "cw-bubble" }, [srText(who === "user" ? "youSaid" : "assistantSaid")]);
    if (entry.text) renderText(bubble, entry.text);
    wrap.appendChild(bubble);
    if (entry.local) {
      // the widget's own fallback answer: always ends with ways to reach a person
      this.cfg.fallbackContacts.forEach(function (c) { bubble.appendChild(contactLine(c)); });
    }
    if (entry.buttons && entry.buttons.length) {
      var group = tr(el("div", { className: "cw-buttons", role: "group", "data-cw": "buttons" }), "suggestedReplies", "aria-label");
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
  function randomId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  Widget.prototype.sender = function () {
    if (!this.senderId) this.senderId = randomId();
    return this.senderId;
  };

  // A message sent again after "not sent" keeps its id: if the first try did reach the
  // assistant, the server answers with the replies it gave then instead of a second turn.
  Widget.prototype.messageId = function (message) {
    var failed = this.failedMessage;
    this.failedMessage = null;
    return failed && failed.message === message ? failed.id : randomId();
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
    // one of the assistant's language buttons: the widget follows it
    var chosen = LANGUAGE_PAYLOAD.exec(button.payload);
    if (chosen && LANGUAGES.indexOf(chosen[1]) >= 0 && chosen[1] !== ui.lang) this.setLanguage(chosen[1]);
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
    var messageId = this.messageId(message);
    return this.fetchWithTimeout(this.cfg.serverUrl + "/webhooks/rest/webhook", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ sender: this.sender(), message: message, message_id: messageId, metadata: {} })
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
          self.showReplies([], t("refused"));
        } else {
          self.showReplies(Array.isArray(data) ? data : []);
        }
      })
      .catch(function () {
        if (self.destroyed) return;
        self.setTyping(false);
        self.failedMessage = { message: message, id: messageId };
        userNode.classList.add("cw-msg--failed");
        userNode.appendChild(el("p", { className: "cw-failed", lang: ui.lang, text: t("notSent") }));
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
        text: emptyText || t("noAnswer")
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
        this.showNotice(t("reconnected"), "cw-notice--ok", "reconnected");
      }
    } else if (was !== false) {
      this.showOffline(false);
      this.schedulePoll();
    }
  };

  Widget.prototype.showOffline = function (again) {
    this.offlineAgain = !!again;
    var box = el("div", { className: "cw-notice cw-notice--offline", "data-cw": "offline", lang: ui.lang }, [
      el("p", { className: "cw-notice-title", text: t("offlineTitle") + (again ? t("offlineNotSent") : "") }),
      el("p", { text: t("offlineHelp") })
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
  Widget.prototype.updateCounter = function (quiet) {
    var n = this.input.value.length;
    var max = this.cfg.maxLength;
    this.counter.textContent = n + " / " + max;
    this.counter.appendChild(srOnly(t("charactersUsed")));
    this.counter.classList.toggle("cw-counter--near", n >= max * 0.9);
    if (n >= max && !quiet) this.showNotice(String(t("limit")).replace("{max}", String(max)), "", "limit");
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
    this.showNotice(t("cleared"), "", "cleared");
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
    fallbackContacts: FALLBACK_CONTACTS.map(function (c) { return { id: c.id, label: c.label, number: c.number, note: c.note }; }),
    languages: LANGUAGES.slice(),
    language: function () { return ui.lang; },
    setLanguage: function (lang) { if (instance) instance.chooseLanguage(lang); },
    translationReview: JSON.parse(JSON.stringify(TRANSLATION_REVIEW))
  };

  var auto = !(currentScript && currentScript.dataset && currentScript.dataset.autoInit === "false");
  if (auto) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { init(); });
    else init();
  }
})();
