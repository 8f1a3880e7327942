// The school menu: shows the chosen school's bars. Everything else on the page is static SVG.
(function () {
  "use strict";
  var menu = document.getElementById("school-choice");
  if (!menu) { return; }
  function show() {
    var panels = document.querySelectorAll(".school-panel");
    for (var i = 0; i < panels.length; i++) {
      panels[i].hidden = panels[i].getAttribute("data-panel") !== menu.value;
    }
  }
  menu.addEventListener("change", show);
  show();
})();
