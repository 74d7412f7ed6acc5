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

  // A successful request clears old error messages; notices marked
  // data-keep (an undo offer, say) stay until they go on their own.
  document.addEventListener('htmx:afterRequest', function (e) {
    var xhr = e.detail.xhr;
    if (e.detail.successful && xhr && xhr.status < 400 && xhr.getResponseHeader('HX-Retarget') !== '#alerts') {
      clearAlerts();
    }
  });

  // clearAlerts removes the messages in #alerts but those marked data-keep.
  function clearAlerts() {
    var alerts = document.getElementById('alerts');
    if (!alerts) return;
    Array.prototype.slice.call(alerts.childNodes).forEach(function (node) {
      if (!(node.matches && node.matches('[data-keep]'))) node.remove();
    });
  }

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

    // editing, saving, failed (not saved: blur does not send the same text
    // again, which would replace the failure's message while its Retry or
    // "Sign in again" is being clicked), done.
    var state = 'editing';
    function cancel() {
      state = 'done';
      input.remove();
      li.classList.remove('editing');
      focusToggle(li);
    }
    function save() {
      if (state !== 'editing' && state !== 'failed') return;
      state = 'saving';
      var values = { title: input.value, filter: currentFilter() };
      send('/todos/' + li.dataset.id + '/edit', values, li, 'outerHTML', document.getElementById('todoapp'))
        .then(function (ok) {
          if (ok) {
            state = 'done';
            input.removeAttribute('aria-invalid');
          } else if (li.isConnected) {
            state = 'failed'; // keep the text so the user can fix it
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
    input.addEventListener('input', function () {
      if (state === 'failed') state = 'editing';
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

  // Failed saves: a write that gets no answer (offline, aborted, timed
  // out) or a 401, 408, 429 or 5xx is never silent. The page keeps the
  // server's state (a ticked box is unticked again; the item, an open
  // editor, a put-back title stay) and #alerts says what failed, with
  // Retry (the same request, same values and idempotency key) or, when the
  // session ended, "Sign in again" with what was typed kept for after it.
  // Values the server refused (422 and other 4xx) show its message as before.
  function isWrite(detail) {
    var cfg = detail.requestConfig;
    return !!cfg && String(cfg.verb).toLowerCase() === 'post' && /^\/todos(\/|$)/.test(cfg.path);
  }

  function notSaved(xhr) {
    var status = xhr ? xhr.status : 0;
    return status === 0 || status === 401 || status === 408 || status === 429 || status >= 500;
  }

  // An ended session keeps the page: no HX-Redirect to the sign-in page.
  document.addEventListener('htmx:beforeOnLoad', function (e) {
    if (isWrite(e.detail) && e.detail.xhr.status === 401) e.preventDefault();
  });
  // A failed answer replaces nothing: the failure message says it all.
  document.addEventListener('htmx:beforeSwap', function (e) {
    if (isWrite(e.detail) && notSaved(e.detail.xhr)) e.detail.shouldSwap = false;
  });
  document.addEventListener('htmx:afterRequest', function (e) {
    var d = e.detail;
    if (!isWrite(d) || (d.successful && d.xhr.status < 400)) return;
    var elt = d.elt;
    if (elt && elt.type === 'checkbox') elt.checked = elt.defaultChecked; // as rendered: the saved state
    if (notSaved(d.xhr)) showFailure(saveOf(d), d.xhr);
  });

  // saveOf describes a request so that it can be sent again as it was.
  function saveOf(d) {
    var cfg = d.requestConfig;
    var values = {};
    cfg.formData.forEach(function (v, k) { values[k] = v; });
    var swap = (d.etc && d.etc.swapOverride) || (d.elt && d.elt.getAttribute('hx-swap')) || 'none';
    var target = cfg.target && cfg.target.id ? '#' + cfg.target.id : '#todoapp';
    return { path: cfg.path, values: values, target: target, swap: swap };
  }

  function showFailure(save, xhr) {
    var alerts = document.getElementById('alerts');
    if (!alerts) return;
    if (xhr.status === 401) keepDrafts(save);
    clearAlerts();
    alerts.appendChild(failureMessage(save, xhr));
  }

  // failureMessage builds the message for a failed save: what failed, why
  // (the server's own message when it sent one), and what to do about it.
  function failureMessage(save, xhr) {
    var status = xhr.status;
    var why = status === 0 ? 'you appear to be offline.'
      : status === 401 ? 'your session has ended. What you typed is kept.'
      : serverMessage(xhr) || (status === 429 ? 'too many changes at once; wait a moment.'
        : status === 507 ? 'the storage is full.' : 'the server had a problem (' + status + ').');
    var p = document.createElement('p');
    p.className = 'alert';
    p.setAttribute('role', 'alert');
    p.setAttribute('data-failed-save', '');
    p.textContent = 'Could not ' + actionOf(save) + ': ' + why + ' ';
    var action;
    if (status === 401) {
      action = document.createElement('a');
      action.href = '/login';
      action.textContent = 'Sign in again';
    } else {
      action = document.createElement('button');
      action.type = 'button';
      action.textContent = 'Retry';
      action.addEventListener('click', function () {
        action.disabled = true;
        retry(save);
      });
    }
    action.className = 'alert-action';
    p.appendChild(action);
    return p;
  }

  // actionOf names what a save was doing: "save 'Buy milk'".
  function actionOf(save) {
    if (save.path === '/todos/toggle-all') return 'mark every todo as ' + (save.values.completed ? 'complete' : 'active');
    if (save.path === '/todos/clear-completed') return 'clear the completed todos';
    var m = save.path.match(/^\/todos\/(\d+)\/(\w+)/);
    var label = m && document.querySelector('#todo-' + m[1] + ' label');
    var title = save.values.title || (label ? label.textContent : 'the todo');
    return (m && m[2] === 'delete' ? 'delete' : 'save') + " '" + title + "'";
  }

  // serverMessage is the text of the alert an error answer carries, if any.
  function serverMessage(xhr) {
    var alert = new DOMParser().parseFromString(xhr.responseText || '', 'text/html').querySelector('.alert');
    return alert ? alert.textContent.trim() : '';
  }

  // retry sends a failed save again (its answer updates the list as the
  // first would have); an add that succeeds takes its title, put back after
  // the failure, out of the new-todo input.
  function retry(save) {
    if (!document.querySelector(save.target)) { // the item went meanwhile
      save.target = '#todoapp';
      save.swap = 'none';
    }
    send(save.path, save.values, save.target, save.swap).then(function (ok) {
      var input = document.querySelector('.new-todo');
      if (ok && save.path === '/todos' && input && input.value === save.values.title) {
        input.value = '';
        markTitle(input, true);
      }
    });
  }

  // Drafts: when the session ends, the new-todo text and an open edit are
  // kept in sessionStorage; the list puts them back after signing in (never
  // sending them by itself).
  var DRAFTS = 'todos:drafts';
  function keepDrafts(save) {
    var input = document.querySelector('.new-todo');
    var edit = document.querySelector('.todo-list li.editing input.edit');
    var drafts = {
      title: (input && input.value) || (save.path === '/todos' ? save.values.title : ''),
      edit: edit ? { id: edit.closest('li').dataset.id, title: edit.value } : null
    };
    try { sessionStorage.setItem(DRAFTS, JSON.stringify(drafts)); } catch (err) { /* storage off */ }
  }
  function restoreDrafts() {
    var input = document.querySelector('#new-todo-form .new-todo');
    if (!input) return; // not the list (the sign-in page): keep them for it
    var drafts = null;
    try {
      drafts = JSON.parse(sessionStorage.getItem(DRAFTS) || 'null');
      sessionStorage.removeItem(DRAFTS);
    } catch (err) { return; }
    if (!drafts) return;
    if (drafts.title && !input.value) input.value = drafts.title;
    var li = drafts.edit && document.getElementById('todo-' + drafts.edit.id);
    if (li) {
      startEdit(li);
      var edit = li.querySelector('input.edit');
      if (edit) edit.value = drafts.edit.title;
    }
  }
  restoreDrafts();

  // Notices with data-expires-in (an undo offer, "Restored 1 item.") leave
  // the alert area that many milliseconds after they arrive: an undo offer
  // when the server would no longer undo. A notice holding focus (the Undo
  // button) gives it to the new-todo input as it goes.
  function expireNotices() {
    var notices = document.querySelectorAll('#alerts [data-expires-in]:not([data-timer])');
    Array.prototype.forEach.call(notices, function (el) {
      el.setAttribute('data-timer', '');
      setTimeout(function () {
        var focused = el.contains(document.activeElement);
        el.remove();
        var input = focused && document.querySelector('.new-todo');
        if (input) input.focus();
      }, Number(el.getAttribute('data-expires-in')) || 0);
    });
  }
  // An undo's notice names the first item it brought back (data-focus):
  // focus, lost with the Undo button the notice replaced, goes to that
  // item's checkbox. Focus the user has put elsewhere stays.
  function focusRestored() {
    var notice = document.querySelector('#alerts [data-focus]:not([data-focused])');
    if (!notice) return;
    notice.setAttribute('data-focused', '');
    var active = document.activeElement;
    if (active && active !== document.body && active.isConnected) return;
    var toggle = document.querySelector('#' + notice.getAttribute('data-focus') + ' .toggle');
    if (toggle) toggle.focus();
  }

  // Notices arrive with answers, out of band and in pages loaded by the
  // filters (which replace the body's content): watch the whole body.
  function watchNotices() {
    new MutationObserver(function () {
      expireNotices();
      focusRestored();
    }).observe(document.body, { childList: true, subtree: true });
    expireNotices();
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', watchNotices);
  } else {
    watchNotices();
  }

  // A page restored from the back/forward cache may be stale: reload it.
  window.addEventListener('pageshow', function (e) {
    if (e.persisted) window.location.reload();
  });
})();
