/* Praxis-Hub editor: live preview, tag and link suggestions, image upload.
   Progressive enhancement only: without this script the form's buttons do the same on the server. */
(function () {
  "use strict";
  var form = document.querySelector("form.editor");
  if (!form) { return; }
  var csrf = form.querySelector("input[name=csrf_token]").value;

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }

  function post(url, data) {
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (json) { return { ok: response.ok, json: json }; });
    });
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : []; });
  }

  function fillDatalist(list, values) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    values.forEach(function (item) {
      var option = document.createElement("option");
      option.value = item.value;
      if (item.label) { option.label = item.label; }
      list.appendChild(option);
    });
  }

  /* live preview: the server renders with the same pipeline as the published page (sanitised HTML) */
  var body = form.querySelector("textarea[name=body]");
  var preview = document.getElementById("preview");
  var sequence = 0;
  var refresh = debounce(function () {
    var mine = ++sequence;
    var data = new FormData();
    data.append("body", body.value);
    post(form.dataset.previewUrl, data).then(function (result) {
      if (mine === sequence && result.ok) { preview.innerHTML = result.json.html; }
    }).catch(function () { /* the "Vorschau" button still works */ });
  }, 400);
  if (body && preview) {
    body.addEventListener("input", refresh);
    refresh();
  }

  /* tags: suggest existing tags for the word being typed; aliases resolve to their tag */
  var tags = form.querySelector("input[name=tags]");
  var tagList = document.getElementById("tag-suggestions");
  var tagHint = document.getElementById("tag-hint");
  if (tags && tagList) {
    tags.addEventListener("input", debounce(function () {
      var parts = tags.value.split(",");
      var current = parts[parts.length - 1].trim();
      var before = parts.slice(0, -1).map(function (p) { return p.trim(); }).filter(Boolean);
      if (current.length < 2) { fillDatalist(tagList, []); tagHint.textContent = ""; return; }
      getJSON(form.dataset.tagsUrl + "?q=" + encodeURIComponent(current)).then(function (items) {
        var prefix = before.length ? before.join(", ") + ", " : "";
        fillDatalist(tagList, items.map(function (item) {
          return { value: prefix + item.name, label: item.alias ? item.alias + " → " + item.name : item.name + " (" + item.count + ")" };
        }));
        var exact = items.some(function (item) { return item.name === current.toLowerCase(); });
        if (items.length && !exact) {
          tagHint.textContent = (form.dataset.msgExisting + " " + items.slice(0, 3).map(function (i) { return i.name; }).join(", "));
        } else {
          tagHint.textContent = "";
        }
      });
    }, 250));
  }

  /* related write-ups: suggest slugs and titles the author can see */
  var practiceList = document.getElementById("practice-suggestions");
  form.querySelectorAll(".related-slug input").forEach(function (input) {
    input.addEventListener("input", debounce(function () {
      var q = input.value.trim();
      if (q.length < 2) { return; }
      getJSON(form.dataset.practicesUrl + "?q=" + encodeURIComponent(q)).then(function (items) {
        fillDatalist(practiceList, items.map(function (item) { return { value: item.slug, label: item.title }; }));
      });
    }, 250));
  });

  /* image upload without leaving the page: insert the Markdown at the cursor */
  var uploadButton = form.querySelector("button[value=upload]");
  var fileInput = form.querySelector("input[name=image]");
  var altInput = form.querySelector("input[name=image_alt]");
  var status = document.getElementById("upload-status");
  if (uploadButton && fileInput) {
    uploadButton.addEventListener("click", function (event) {
      if (!fileInput.files.length) { return; } /* let the server say what is missing */
      event.preventDefault();
      var data = new FormData();
      data.append("image", fileInput.files[0]);
      data.append("alt", altInput.value);
      status.textContent = "…";
      post(form.dataset.uploadUrl, data).then(function (result) {
        if (!result.ok) { status.textContent = result.json.error; return; }
        var at = body.selectionStart || body.value.length;
        body.value = body.value.slice(0, at) + "\n\n" + result.json.markdown + "\n\n" + body.value.slice(at);
        fileInput.value = "";
        altInput.value = "";
        status.textContent = form.dataset.msgInserted + " " + result.json.markdown;
        refresh();
      }).catch(function () { status.textContent = form.dataset.msgFailed; });
    });
  }
})();
