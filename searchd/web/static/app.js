// The search page's enhancements. Without this script the page works as
// plain links and a form; with it, suggestions appear as you type and
// filters, sorting and pages change the results in place. The URL keeps
// the whole state, so back, forward and bookmarks work.
(function () {
  "use strict";

  var form = document.getElementById("search");
  if (!form || !window.fetch || !window.history.pushState) return;
  document.documentElement.classList.add("js");

  var input = document.getElementById("q");
  var announce = document.getElementById("announce");
  var pending = null;

  // The page's URL for what the form holds now (page 1), without empty
  // fields. Ticked boxes ("type:news") become one list a facet
  // ("type=news,event"), each value encoded so that its own commas are %2C.
  function urlFromForm() {
    var parts = [];
    var lists = {};
    new FormData(form).forEach(function (value, name) {
      var colon = name.indexOf(":");
      if (colon > 0) {
        var facet = name.slice(0, colon);
        (lists[facet] = lists[facet] || []).push(encodeURIComponent(name.slice(colon + 1)));
      } else if (String(value).trim() !== "" && !(name === "sort" && value === "relevance")) {
        parts.push(encodeURIComponent(name) + "=" + encodeURIComponent(value));
      }
    });
    Object.keys(lists).forEach(function (facet) {
      parts.push(facet + "=" + lists[facet].join(","));
    });
    return "/" + (parts.length ? "?" + parts.join("&") : "");
  }

  // What had the focus, so the same control has it after the swap.
  function focusKey() {
    var element = document.activeElement;
    if (!element || !form.contains(element) || element === input) return null;
    if (element.name) return "[name='" + CSS.escape(element.name) + "']";
    return null;
  }

  function swap(html, key) {
    var template = document.createElement("template");
    template.innerHTML = html;
    var fresh = template.content.getElementById("layout");
    var layout = document.getElementById("layout");
    if (!fresh || !layout) return;
    layout.replaceWith(fresh);
    if (key) {
      var again = fresh.querySelector(key) || fresh.querySelector("select[name=sort]");
      if (again) again.focus();
    }
    var status = document.getElementById("status");
    if (status && announce) announce.textContent = status.textContent;
  }

  // Shows the results for `url`; `push` adds a history entry.
  function navigate(url, push) {
    var key = focusKey();
    if (pending) pending.abort();
    pending = new AbortController();
    var results = document.getElementById("results");
    if (results) results.setAttribute("aria-busy", "true");
    fetch(url, { headers: { "X-Sok-Fragment": "results" }, signal: pending.signal })
      .then(function (response) {
        var title = response.headers.get("X-Sok-Title");
        if (title) document.title = decodeURIComponent(title);
        return response.text();
      })
      .then(function (html) {
        if (push) history.pushState(null, "", url);
        input.value = new URL(url, location.href).searchParams.get("q") || "";
        swap(html, key);
      })
      .catch(function (error) {
        if (error.name !== "AbortError") location.href = url;  // the plain page instead
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    navigate(urlFromForm(), true);
  });
  form.addEventListener("change", function (event) {
    if (event.target === input) return;
    navigate(urlFromForm(), true);
  });
  form.addEventListener("click", function (event) {
    var anchor = event.target.closest("a");
    if (!anchor || !document.getElementById("layout").contains(anchor)) return;
    var url = new URL(anchor.href, location.href);
    if (url.origin !== location.origin || url.pathname !== "/") return;
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(url.pathname + url.search, true);
  });
  window.addEventListener("popstate", function () {
    navigate(location.pathname + location.search, false);
  });

  if (window.SokSuggest) {
    window.SokSuggest.attach(input, {
      listbox: document.getElementById("suggestions"),
      countLabel: form.getAttribute("data-suggestions-label") || "{n}",
      announce: announce,
      choose: function () { navigate(urlFromForm(), true); }
    });
  }
})();
