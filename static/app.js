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
        markTitle(input, ok);
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

  // Editing: double-click a title, or press Enter or F2 on an item's
  // checkbox (F2 anywhere in the item); Enter or blur saves, Escape cancels
  // and gives focus back to the checkbox.
  document.addEventListener('dblclick', function (e) {
    var label = e.target.closest && e.target.closest('.todo-list li label');
    if (label) startEdit(label.closest('li'));
  });
  document.addEventListener('keydown', function (e) {
    var t = e.target;
    if (!t.closest || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    var onItem = (e.key === 'F2' && t.closest('.todo-list li .view')) ||
      (e.key === 'Enter' && t.matches('.todo-list li .toggle'));
    if (!onItem) return;
    e.preventDefault();
    startEdit(t.closest('li'));
  });

  function focusToggle(li) {
    var toggle = li && li.isConnected && li.querySelector('.toggle');
    if (toggle) toggle.focus();
  }

  function startEdit(li) {
    if (!li || !window.htmx || li.classList.contains('editing')) return;
    var label = li.querySelector('label');
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
      focusToggle(li);
    }
    function save() {
      if (state !== 'editing') return;
      state = 'saving';
      var values = { title: input.value, filter: currentFilter() };
      send('/todos/' + li.dataset.id + '/edit', values, li, 'outerHTML', document.getElementById('todoapp'))
        .then(function (ok) {
          if (ok) {
            state = 'done';
            input.removeAttribute('aria-invalid');
          } else if (li.isConnected) {
            state = 'editing'; // keep the text so the user can fix it
            input.setAttribute('aria-invalid', 'true');
            input.setAttribute('aria-describedby', 'alerts');
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
  }

  // Focus survives swaps: when an answer replaces the element that had
  // focus (a toggled, edited or deleted item, the toggle-all checkbox), focus
  // goes to the same item's checkbox, else the next item's, else the
  // previous one's, else the new-todo input; an element with an id gets its
  // replacement focused. Focus the user moved elsewhere is left alone.
  var refocus = null;
  document.addEventListener('htmx:beforeSwap', function (e) {
    var active = document.activeElement;
    var target = e.detail.target;
    if (!active || active === document.body || !target || !target.contains(active)) return;
    var li = active.closest('.todo-list li');
    var next = li && li.nextElementSibling;
    var prev = li && li.previousElementSibling;
    refocus = {
      from: active,
      id: li ? '' : active.id,
      items: [li && li.id, next && next.id, prev && prev.id]
    };
  });
  function restoreFocus() {
    if (!refocus || refocus.from.isConnected) return;
    var active = document.activeElement;
    if (active && active !== document.body && active.isConnected) {
      refocus = null; // the user, or the answer's autofocus, chose
      return;
    }
    var el = refocus.id && document.getElementById(refocus.id);
    for (var i = 0; !el && i < refocus.items.length; i++) {
      var li = refocus.items[i] && document.getElementById(refocus.items[i]);
      if (li) el = li.querySelector('.toggle');
    }
    el = el || document.querySelector('.new-todo');
    if (!el) return;
    // A swapped item keeps its old attributes (say, "editing", which hides
    // its checkbox) until it settles: if focus cannot land yet, a later
    // event (htmx:afterSettle) tries again.
    el.focus();
    if (document.activeElement === el) refocus = null;
  }
  ['htmx:afterSwap', 'htmx:afterSettle', 'htmx:afterRequest', 'htmx:oobAfterSwap'].forEach(function (name) {
    document.addEventListener(name, restoreFocus);
  });

  // "N items left" is a live region: a new footer sent with an answer
  // updates the count in place, so screen readers announce the change (a
  // replaced live region is not announced), and replaces the rest.
  document.addEventListener('htmx:oobBeforeSwap', function (e) {
    var footer = e.detail.target;
    var fresh = e.detail.fragment && e.detail.fragment.querySelector('#footer');
    var count = footer && footer.id === 'footer' && footer.querySelector('.todo-count');
    var freshCount = fresh && fresh.querySelector('.todo-count');
    if (!count || !freshCount) return;
    e.detail.shouldSwap = false;
    if (count.innerHTML !== freshCount.innerHTML) count.innerHTML = freshCount.innerHTML;
    freshCount.remove();
    Array.prototype.slice.call(footer.childNodes).forEach(function (child) {
      if (child !== count) child.remove();
    });
    while (fresh.firstChild) footer.appendChild(fresh.firstChild); // after the count, as rendered
    htmx.process(footer);
  });

  // A title the server refused leaves the new-todo input marked invalid and
  // tied to the message until the next add succeeds.
  function markTitle(input, ok) {
    if (ok) {
      input.removeAttribute('aria-invalid');
      input.removeAttribute('aria-describedby');
    } else {
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', 'alerts');
    }
  }

  // A page restored from the back/forward cache may be stale: reload it.
  window.addEventListener('pageshow', function (e) {
    if (e.persisted) window.location.reload();
  });
})();
