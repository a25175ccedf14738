// sok's search box for any page of the website, with search-as-you-type.
//
//   <script src="https://search.example/widget.js" defer></script>
//   <div data-sok-search></div>
//
// or an existing <form data-sok-search> with an <input name="q">. The box
// leads to the results page of the searchd that serves this file. Style it
// with CSS custom properties on the element or any parent:
// --sok-accent, --sok-text, --sok-background, --sok-border, --sok-radius,
// --sok-font. data-lang="en" gives English labels and suggestions first.
//
// The search page uses the same suggestions (window.SokSuggest).
(function () {
  "use strict";

  var script = document.currentScript;
  var origin = script && script.src ? new URL(script.src, location.href).origin : location.origin;

  var LABELS = {
    sv: { query: "Sök", button: "Sök", placeholder: "Sök på webbplatsen", suggestions: "Förslag",
          count: "{n} förslag, bläddra med pilarna" },
    en: { query: "Search", button: "Search", placeholder: "Search the website",
          suggestions: "Suggestions", count: "{n} suggestions, use the arrow keys" }
  };

  var counter = 0;

  // Suggestions under `input`: arrows move, Enter takes one, Escape closes.
  // options: listbox (a <ul> to fill), lang ("sv"/"en"), countLabel ("{n} …"),
  // announce (an aria-live element, optional), choose(text) after a choice.
  function attach(input, options) {
    var listbox = options.listbox;
    var items = [];
    var active = -1;
    var timer = null;
    var asked = 0;
    if (!listbox.id) listbox.id = "sok-suggestions-" + (++counter);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", listbox.id);
    input.setAttribute("aria-expanded", "false");
    listbox.setAttribute("role", "listbox");

    function close() {
      listbox.hidden = true;
      listbox.textContent = "";
      items = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      active = index;
      items.forEach(function (item, i) {
        item.element.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      if (index >= 0) input.setAttribute("aria-activedescendant", items[index].element.id);
      else input.removeAttribute("aria-activedescendant");
    }

    // The input with the suggestion in place of the last word (a word) or
    // of everything (a name or a tag).
    function completed(suggestion) {
      if (suggestion.kind !== "word") return suggestion.text + " ";
      var words = input.value.replace(/\s+$/, "").split(/\s+/);
      words[words.length - 1] = suggestion.text;
      return words.join(" ") + " ";
    }

    function choose(index) {
      var value = completed(items[index].suggestion);
      close();
      input.value = value;
      if (options.choose) options.choose(value);
    }

    function show(suggestions) {
      close();
      suggestions.forEach(function (suggestion, i) {
        var element = document.createElement("li");
        element.id = listbox.id + "-" + i;
        element.setAttribute("role", "option");
        element.setAttribute("aria-selected", "false");
        element.textContent = suggestion.text;
        if (suggestion.kind !== "word") element.className = "sok-" + suggestion.kind;
        element.addEventListener("mousedown", function (event) {
          event.preventDefault();  // keeps the focus in the input
          choose(i);
        });
        listbox.appendChild(element);
        items.push({ element: element, suggestion: suggestion });
      });
      if (!items.length) return;
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
      if (options.announce) {
        options.announce.textContent = options.countLabel.replace("{n}", items.length);
      }
    }

    function ask() {
      var typed = input.value;
      var ticket = ++asked;
      if (!typed.trim()) { close(); return; }
      var url = origin + "/api/suggest?size=8&q=" + encodeURIComponent(typed) +
                (options.lang ? "&lang=" + options.lang : "");
      fetch(url).then(function (response) {
        return response.ok ? response.json() : { suggestions: [] };
      }).then(function (body) {
        if (ticket === asked) show(body.suggestions || []);
      }).catch(close);
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 80);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && items.length) {
        event.preventDefault();
        highlight((active + 1) % items.length);
      } else if (event.key === "ArrowUp" && items.length) {
        event.preventDefault();
        highlight(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Enter") {
        clearTimeout(timer);  // the search goes ahead as typed: no suggestions over its results
        asked++;
        close();
      } else if (event.key === "Escape" && !listbox.hidden) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  var STYLE =
    ".sok-widget{position:relative;display:flex;gap:.5rem;max-width:32rem;" +
    "font:inherit;font-family:var(--sok-font,inherit);color:var(--sok-text,#1a1a1a)}" +
    ".sok-widget input{flex:1;min-width:0;padding:.5rem .75rem;font:inherit;" +
    "color:inherit;background:var(--sok-background,#fff);" +
    "border:1px solid var(--sok-border,#6b6b6b);border-radius:var(--sok-radius,.375rem)}" +
    ".sok-widget button{padding:.5rem 1rem;font:inherit;color:#fff;" +
    "background:var(--sok-accent,#0b5e8e);border:0;border-radius:var(--sok-radius,.375rem);cursor:pointer}" +
    ".sok-widget :focus-visible{outline:3px solid var(--sok-accent,#0b5e8e);outline-offset:2px}" +
    ".sok-widget ul{position:absolute;z-index:10;top:100%;left:0;right:0;margin:.25rem 0 0;padding:0;" +
    "list-style:none;background:var(--sok-background,#fff);border:1px solid var(--sok-border,#6b6b6b);" +
    "border-radius:var(--sok-radius,.375rem)}" +
    ".sok-widget li{padding:.4rem .75rem;cursor:pointer}" +
    ".sok-widget li[aria-selected=true],.sok-widget li:hover{background:var(--sok-accent,#0b5e8e);color:#fff}" +
    ".sok-visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}";

  function addStyle() {
    if (document.getElementById("sok-widget-style")) return;
    var style = document.createElement("style");
    style.id = "sok-widget-style";
    style.textContent = STYLE;
    document.head.appendChild(style);
  }

  // A form for a <div data-sok-search>.
  function buildForm(host, labels) {
    var form = document.createElement("form");
    form.action = origin + "/";
    form.method = "get";
    form.setAttribute("role", "search");
    var id = "sok-q-" + (++counter);
    var label = document.createElement("label");
    label.htmlFor = id;
    label.className = "sok-visually-hidden";
    label.textContent = labels.query;
    var input = document.createElement("input");
    input.id = id;
    input.name = "q";
    input.type = "search";
    input.autocomplete = "off";
    input.placeholder = host.getAttribute("data-placeholder") || labels.placeholder;
    var button = document.createElement("button");
    button.type = "submit";
    button.textContent = labels.button;
    form.append(label, input, button);
    host.appendChild(form);
    return form;
  }

  function mount(host) {
    var lang = host.getAttribute("data-lang") === "en" ? "en" : "sv";
    var labels = LABELS[lang];
    var form = host.tagName === "FORM" ? host : buildForm(host, labels);
    var input = form.querySelector("input[name=q]");
    if (!input) return;
    if (lang === "en" && !form.querySelector("input[name=ui]")) {
      var ui = document.createElement("input");
      ui.type = "hidden";
      ui.name = "ui";
      ui.value = "en";
      form.appendChild(ui);
    }
    form.classList.add("sok-widget");
    var listbox = document.createElement("ul");
    listbox.hidden = true;
    listbox.setAttribute("aria-label", labels.suggestions);
    var announce = document.createElement("div");
    announce.className = "sok-visually-hidden";
    announce.setAttribute("aria-live", "polite");
    form.append(listbox, announce);
    attach(input, { listbox: listbox, lang: lang, countLabel: labels.count, announce: announce,
                    choose: function () { form.submit(); } });
  }

  window.SokSuggest = { attach: attach, origin: origin };

  function start() {
    var hosts = document.querySelectorAll("[data-sok-search]");
    if (hosts.length) addStyle();
    Array.prototype.forEach.call(hosts, mount);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
