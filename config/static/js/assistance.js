// Richiedi assistenza: the service list shows only the chosen category's services (without JavaScript every
// service is listed, grouped by category, and the server checks the pair).
(function () {
  var category = document.getElementById("id_category");
  var service = document.getElementById("id_service");
  if (!category || !service) return;
  var labels = {};
  Array.prototype.forEach.call(category.options, function (o) { labels[o.value] = o.text; });
  function filter() {
    var chosen = labels[category.value];
    Array.prototype.forEach.call(service.querySelectorAll("optgroup"), function (group) {
      var show = !category.value || category.value === "urp" || group.label === chosen;
      group.hidden = !show;
      group.disabled = !show;
      if (!show && service.selectedOptions[0] && service.selectedOptions[0].parentNode === group) service.value = "";
    });
  }
  category.addEventListener("change", filter);
  filter();
})();
