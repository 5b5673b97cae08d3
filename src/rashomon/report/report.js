
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("rashomon-data").textContent);
  var facts = data.facts;
  var status = document.getElementById("fact-status");
  var initial = status ? status.textContent : "";
  function factOf(el) {
    var id = el.getAttribute("data-fact");
    return id !== null && Object.prototype.hasOwnProperty.call(facts, id) ? facts[id] : null;
  }
  function members(el) {
    var fact = factOf(el);
    if (!fact) { return [el]; }
    return fact.sentences.map(function (id) { return document.getElementById(id); })
      .filter(function (m) { return m !== null; });
  }
  function clear(cls) {
    Array.prototype.forEach.call(document.querySelectorAll("." + cls), function (m) {
      m.classList.remove(cls);
    });
  }
  function light(el, cls) {
    clear(cls);
    members(el).forEach(function (m) { m.classList.add(cls); });
    var fact = factOf(el);
    if (status) {
      status.textContent = fact ? fact.label + ": " + (fact.status === "single" ?
        "only in " : "reported by ") + fact.outlets.join(", ") : "Not matched to a fact.";
    }
  }
  function sentenceAt(target) {
    return target && target.closest ? target.closest(".columns .sent") : null;
  }
  document.addEventListener("mouseover", function (ev) {
    var el = sentenceAt(ev.target);
    if (el) { light(el, "linked"); }
  });
  document.addEventListener("mouseout", function (ev) {
    var el = sentenceAt(ev.target);
    if (el && !el.contains(ev.relatedTarget)) {
      clear("linked");
      if (status && !document.querySelector(".pinned")) { status.textContent = initial; }
    }
  });
  document.addEventListener("focusin", function (ev) {
    var el = sentenceAt(ev.target);
    if (el) { light(el, "linked"); }
  });
  function pin(el) {
    if (el.classList.contains("pinned")) { clear("pinned"); return; }
    light(el, "pinned");
  }
  function showCited(domId) {
    var el = document.getElementById(domId);
    if (!el) { return; }
    clear("cited");
    el.classList.add("cited");
    el.scrollIntoView({block: "center"});
    el.focus({preventScroll: true});
  }
  function fromHash(hash) {
    try { return decodeURIComponent(hash.slice(1)); } catch (e) { return hash.slice(1); }
  }
  document.addEventListener("click", function (ev) {
    var link = ev.target.closest ? ev.target.closest("a[href^='#s-']") : null;
    if (link) {
      ev.preventDefault();
      var href = link.getAttribute("href");
      try { history.pushState(null, "", href); } catch (e) { /* file: URLs may refuse */ }
      showCited(fromHash(href));
      return;
    }
    var el = sentenceAt(ev.target);
    if (el) { pin(el); }
  });
  document.addEventListener("keydown", function (ev) {
    var el = sentenceAt(ev.target);
    if (el && (ev.key === "Enter" || ev.key === " ")) { ev.preventDefault(); pin(el); }
    if (ev.key === "Escape") { clear("pinned"); }
  });
  function onHash() {
    if (location.hash.indexOf("#s-") === 0) { showCited(fromHash(location.hash)); }
  }
  window.addEventListener("hashchange", onHash);
  onHash();
})();
