// TODOs: the small amount of script the TODO app needs on top of htmx.
// Everything here has a no-JavaScript fallback in the server-rendered forms.
(function () {
  'use strict';

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : '';
  }

  function currentFilter() {
    var input = document.querySelector('#new-todo-form input[name="filter"]');
    return input ? input.value : 'all';
  }

  // Every htmx request carries the CSRF token as a header.
  document.addEventListener('htmx:configRequest', function (e) {
    e.detail.headers['X-CSRF-Token'] = csrfToken();
  });

  // A successful request clears old error messages.
  document.addEventListener('htmx:afterRequest', function (e) {
    var alerts = document.getElementById('alerts');
    if (e.detail.successful && alerts && e.detail.xhr && !e.detail.xhr.getResponseHeader('HX-Retarget')) {
      alerts.innerHTML = '';
    }
  });

  // New todos: the input is read and cleared at once, and titles are sent one
  // after another in the order typed, so fast typing never loses, duplicates
  // or reorders an item. A refused title is put back for the user to fix.
  // Each is sent with the form's idempotency key, read when it is sent: a
  // saved item's answer brings the next key, a refused one leaves it, so
  // sending a title again after an error cannot store it twice.
  var addQueue = Promise.resolve();
  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (form.id !== 'new-todo-form' || !window.htmx) return;
    e.preventDefault();
    var input = form.querySelector('.new-todo');
    var title = input.value.trim();
    input.value = '';
    if (!title) return;
    addQueue = addQueue.then(function () {
      var values = { title: title, filter: currentFilter() };
      var key = form.querySelector('input[name="idempotency_key"]');
      if (key) values.idempotency_key = key.value;
      return send('/todos', values, '#todoapp', 'none').then(function (ok) {
        if (!ok && input.value === '') input.value = title;
      });
    });
  });

  // send posts values with htmx from the stable #todoapp element and resolves
  // with whether the server accepted them.
  function send(path, values, target, swap, source) {
    return new Promise(function (resolve) {
      var src = source || document.getElementById('todoapp');
      var ok = false;
      var done = function (ev) {
        src.removeEventListener('htmx:afterRequest', done);
        ok = ev.detail.successful && ev.detail.xhr && ev.detail.xhr.status < 300;
      };
      src.addEventListener('htmx:afterRequest', done);
      htmx.ajax('POST', path, { source: src, target: target, swap: swap, values: values })
        .then(function () { resolve(ok); }, function () { resolve(false); });
    });
  }

  // Editing: double-click a title; Enter or blur saves, Escape cancels.
  document.addEventListener('dblclick', function (e) {
    var label = e.target.closest && e.target.closest('.todo-list li label');
    if (!label || !window.htmx) return;
    var li = label.closest('li');
    if (li.classList.contains('editing')) return;
    var original = label.textContent;
    li.classList.add('editing');
    var input = document.createElement('input');
    input.className = 'edit';
    input.setAttribute('aria-label', 'Edit');
    input.value = original;
    li.appendChild(input);
    input.focus();
    input.setSelectionRange(original.length, original.length);

    var state = 'editing'; // editing, saving, done
    function cancel() {
      state = 'done';
      input.remove();
      li.classList.remove('editing');
    }
    function save() {
      if (state !== 'editing') return;
      state = 'saving';
      var values = { title: input.value, filter: currentFilter() };
      send('/todos/' + li.dataset.id + '/edit', values, li, 'outerHTML', document.getElementById('todoapp'))
        .then(function (ok) {
          if (ok) {
            state = 'done';
          } else if (li.isConnected) {
            state = 'editing'; // keep the text so the user can fix it
            input.focus();
          }
        });
    }
    input.addEventListener('keydown', function (ev) {
      if (ev.key === 'Enter') {
        ev.preventDefault();
        save();
      } else if (ev.key === 'Escape') {
        ev.preventDefault();
        cancel();
      }
    });
    input.addEventListener('blur', function () {
      if (state === 'editing') save();
    });
  });

  // A page restored from the back/forward cache may be stale: reload it.
  window.addEventListener('pageshow', function (e) {
    if (e.persisted) window.location.reload();
  });
})();
