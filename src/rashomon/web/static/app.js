// The web app's few behaviours: the column chooser of a comparison, "add another article" and
// the busy state of the compare button.
// It only toggles attributes and clones the form's own elements.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("input[name=column]"), function (box) {
    function apply() {
      var heading = document.getElementById(box.getAttribute("data-col"));
      var column = heading ? heading.closest(".col") : null;
      if (column) { column.hidden = !box.checked; }
    }
    box.addEventListener("change", apply);
    apply();
  });
  // a comparison takes seconds: show that it runs, and keep a second click from sending it twice
  var form = document.getElementById("compare-form");
  var submit = document.getElementById("compare-submit");
  if (form && submit) {
    form.addEventListener("submit", function () {
      submit.disabled = true;
      submit.setAttribute("aria-busy", "true");
      submit.textContent = "Comparing\u2026";
      form.setAttribute("aria-busy", "true");
    });
    // a page restored from the back/forward cache gets its button back
    window.addEventListener("pageshow", function () {
      submit.disabled = false;
      submit.removeAttribute("aria-busy");
      submit.textContent = "Compare";
      form.removeAttribute("aria-busy");
    });
  }
  var add = document.getElementById("add-text");
  var texts = document.getElementById("texts");
  if (add && texts) {
    add.addEventListener("click", function () {
      var n = texts.querySelectorAll("textarea[name=text]").length + 1;
      var field = document.createElement("div");
      field.className = "field text-field";
      var label = document.createElement("label");
      label.htmlFor = "text-" + n;
      label.textContent = "Article " + n;
      var area = document.createElement("textarea");
      area.id = "text-" + n;
      area.name = "text";
      area.rows = 8;
      area.placeholder = "Title on the first line, then the text";
      var first = document.getElementById("outlet-1");
      var outletLabel = document.createElement("label");
      outletLabel.htmlFor = "outlet-" + n;
      outletLabel.textContent = "Outlet of article " + n + " (optional)";
      var outlet = document.createElement("input");
      outlet.id = "outlet-" + n;
      outlet.name = "outlet";
      outlet.type = "text";
      outlet.autocomplete = "off";
      if (first) {
        outlet.maxLength = first.maxLength;
        outlet.placeholder = first.placeholder;
      }
      field.appendChild(label);
      field.appendChild(area);
      field.appendChild(outletLabel);
      field.appendChild(outlet);
      texts.appendChild(field);
      area.focus();
    });
  }
})();
