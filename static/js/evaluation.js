// EVA-3: the comment of a closed question opens for "No" and "Partly". Without this script
// every comment field simply stays visible; the server keeps a comment only with those answers.
(function () {
  "use strict";
  var form = document.querySelector("[data-evaluation-form]");
  if (!form) return;
  form.querySelectorAll("[data-comment-for]").forEach(function (box) {
    var name = box.getAttribute("data-comment-for");
    var radios = form.querySelectorAll('input[name="' + name + '"]');
    function update() {
      var checked = form.querySelector('input[name="' + name + '"]:checked');
      var open = checked && (checked.value === "no" || checked.value === "partly");
      var hasText = box.querySelector("textarea").value.trim() !== "";
      box.hidden = !(open || (hasText && !checked));
    }
    radios.forEach(function (radio) { radio.addEventListener("change", update); });
    update();
  });
})();
