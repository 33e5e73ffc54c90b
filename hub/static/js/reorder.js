/* Drag-and-drop reordering of a collection — an extra on top of the "up"/"down" buttons, which work
   without JavaScript and by keyboard. Each list item carries its move form's URL and CSRF token. */
(function () {
  "use strict";
  var list = document.querySelector("ol[data-reorder-url]");
  if (!list || !window.fetch) { return; }
  var dragged = null;
  var items = function () { return Array.prototype.slice.call(list.querySelectorAll("li[data-practice-id]")); };

  items().forEach(function (item) {
    item.setAttribute("draggable", "true");
    item.classList.add("draggable");
    item.addEventListener("dragstart", function (event) {
      dragged = item;
      event.dataTransfer.effectAllowed = "move";
      item.classList.add("dragging");
    });
    item.addEventListener("dragend", function () { item.classList.remove("dragging"); });
    item.addEventListener("dragover", function (event) { event.preventDefault(); });
    item.addEventListener("drop", function (event) {
      event.preventDefault();
      if (!dragged || dragged === item) { return; }
      var all = items();
      var downwards = all.indexOf(item) > all.indexOf(dragged);
      var next = downwards ? all[all.indexOf(item) + 1] : item;  // dropped on an entry: take its place
      var body = new FormData();
      body.append("csrf_token", list.getAttribute("data-csrf-token"));
      body.append("practice_id", dragged.getAttribute("data-practice-id"));
      body.append("before", next ? next.getAttribute("data-practice-id") : "end");
      fetch(list.getAttribute("data-reorder-url"), { method: "POST", body: body, credentials: "same-origin" })
        .then(function () { window.location.reload(); });
    });
  });
})();
