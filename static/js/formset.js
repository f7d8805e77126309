/* "添加一行" for the return page's formsets: clones the formset's empty row (a <template>) with the next index. */
(function () {
  document.querySelectorAll("[data-formset-add]").forEach(function (button) {
    var prefix = button.getAttribute("data-formset-add");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = document.getElementById(prefix + "-empty-row");
    var body = document.getElementById(prefix + "-rows");
    if (!total || !template || !body) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      // the form index, and the row number in the inputs' accessible names (第n行 …, communities/returns/forms.py)
      var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__row__/g, String(index + 1));
      body.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
    });
  });
})();
