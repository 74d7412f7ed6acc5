// TODOs admin: live updates of the tenants table. The server sends an event
// "tenants" on /events whenever any tenant changes; the table section
// (#tenant-list, an htmx element triggered by "tenants-changed") then
// re-fetches itself with the current query. EventSource reconnects by
// itself and sends Last-Event-ID, so nothing is missed across a drop.
// Without JavaScript the dashboard is an ordinary page.
(function () {
  'use strict';

  var pending = false;

  // While the admin types in the table (a purge confirmation), a refresh
  // would throw the text away: it waits until focus leaves the table.
  function busy(section) {
    var el = document.activeElement;
    return el && el !== document.body && section.contains(el) &&
      (el.tagName === 'INPUT' || el.tagName === 'SELECT' || el.tagName === 'TEXTAREA');
  }

  function refresh() {
    var section = document.getElementById('tenant-list');
    if (!section) return;
    if (busy(section)) {
      pending = true;
      return;
    }
    pending = false;
    document.body.dispatchEvent(new CustomEvent('tenants-changed'));
  }

  document.addEventListener('focusout', function () {
    if (pending) setTimeout(refresh, 0);
  });

  function setState(state, text) {
    var badge = document.getElementById('live-status');
    if (!badge) return;
    badge.setAttribute('data-state', state);
    badge.textContent = text;
  }

  function connect() {
    var root = document.querySelector('[data-live-events]');
    if (!root || !window.EventSource) return;
    var source = new EventSource(root.getAttribute('data-live-events'));
    source.addEventListener('open', function () { setState('open', 'live'); });
    source.addEventListener('error', function () { setState('error', 'reconnecting'); });
    source.addEventListener('tenants', refresh);
    window.addEventListener('pagehide', function () { source.close(); });
    // A form sent by script is about to replace the page (below).
    window.addEventListener('todos:replace', function () { source.close(); });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', connect);
  } else {
    connect();
  }
})();

// Forms sent by script, for progress: the import shows how much of its file
// is uploaded; the console shows how long its query has run and can be
// cancelled. Each sends its form with XMLHttpRequest and shows the page the
// server answers (after the server's redirect, which the request follows)
// in place of this one, as the browser would have. A request that fails
// puts its button back and says so beside the form. Without JavaScript both
// forms post as usual; busy.js disables their buttons meanwhile.
(function () {
  'use strict';

  var busy = window.TodosBusy || { start: function () {}, done: function () {} };

  // answered reports whether xhr brought a page to show.
  function answered(xhr) {
    return /^text\/html/.test(xhr.getResponseHeader('Content-Type') || '');
  }

  // show replaces this page with the page xhr brought, at its address.
  function show(xhr) {
    window.dispatchEvent(new CustomEvent('todos:replace'));
    if (xhr.responseURL && xhr.responseURL !== location.href) {
      history.replaceState(null, '', xhr.responseURL);
    }
    document.open();
    document.write(xhr.responseText);
    document.close();
  }

  // refuse shows message beside form, in its error paragraph (id), and
  // puts its button back.
  function refuse(form, id, message) {
    var p = document.getElementById(id);
    if (!p) {
      p = document.createElement('p');
      p.id = id;
      p.className = 'alert';
      p.setAttribute('role', 'alert');
      form.insertBefore(p, form.querySelector('label'));
    }
    p.textContent = message;
    busy.done(form);
  }

  function send(form, xhr) {
    xhr.open('POST', form.action);
    xhr.send(new FormData(form));
  }

  function enhanceImport(form) {
    var box = document.getElementById('import-progress');
    var bar = document.getElementById('import-progress-bar');
    var text = document.getElementById('import-progress-text');
    if (!box || !bar || !text) return;
    function progress(percent, label) {
      box.hidden = false;
      bar.value = percent;
      // The text, read out, moves in steps of ten.
      text.textContent = label || 'Uploading… ' + Math.floor(percent / 10) * 10 + '%';
    }
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      busy.start(form);
      var xhr = new XMLHttpRequest();
      progress(0);
      xhr.upload.addEventListener('progress', function (ev) {
        if (ev.lengthComputable && ev.total > 0) progress(Math.floor(ev.loaded * 100 / ev.total));
      });
      xhr.upload.addEventListener('load', function () {
        progress(100, 'Uploaded 100%: checking the database…');
      });
      xhr.addEventListener('load', function () {
        if (answered(xhr)) return show(xhr);
        box.hidden = true;
        refuse(form, 'import-error', 'The import was refused (' + xhr.status + ' ' + xhr.statusText + ').');
      });
      xhr.addEventListener('error', function () {
        box.hidden = true;
        refuse(form, 'import-error', 'The upload failed: check the connection and try again.');
      });
      send(form, xhr);
    });
  }

  // runID returns the console form's hidden run id input, added on first
  // use.
  function runID(form) {
    var input = form.querySelector('input[name="run_id"]');
    if (!input) {
      input = document.createElement('input');
      input.type = 'hidden';
      input.name = 'run_id';
      form.appendChild(input);
    }
    return input;
  }

  // newRunID returns a random id naming one console query.
  function newRunID() {
    var b = new Uint8Array(12);
    crypto.getRandomValues(b);
    return 'run-' + Array.prototype.map.call(b, function (x) { return ('0' + x.toString(16)).slice(-2); }).join('');
  }

  function enhanceConsole(form) {
    var box = document.getElementById('console-running');
    var status = document.getElementById('console-status');
    var elapsed = document.getElementById('console-elapsed');
    var cancel = document.getElementById('console-cancel');
    if (!box || !status || !elapsed || !cancel) return;
    var xhr = null;
    var timer = 0;
    function stop(message) {
      clearInterval(timer);
      xhr = null;
      status.textContent = message;
      elapsed.hidden = true;
      cancel.hidden = true;
      busy.done(form);
    }
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      if (xhr) return;
      busy.start(form);
      runID(form).value = newRunID();
      var started = Date.now();
      box.hidden = false;
      elapsed.hidden = false;
      cancel.hidden = false;
      status.textContent = 'Running the query…';
      elapsed.textContent = '0 s';
      timer = setInterval(function () {
        elapsed.textContent = Math.floor((Date.now() - started) / 1000) + ' s';
      }, 1000);
      xhr = new XMLHttpRequest();
      var mine = xhr;
      xhr.addEventListener('load', function () {
        if (xhr !== mine) return;
        if (answered(mine)) {
          clearInterval(timer); // timers outlive the page show() replaces
          return show(mine);
        }
        stop('The query failed (' + mine.status + ' ' + mine.statusText + ').');
      });
      xhr.addEventListener('error', function () {
        if (xhr === mine) stop('The query could not be sent: check the connection and try again.');
      });
      send(form, xhr);
    });
    // Cancel stops waiting at once and asks the server to stop the query
    // (it kills the query's process): the run id sent with the query
    // names it.
    cancel.addEventListener('click', function () {
      if (!xhr) return;
      var x = xhr;
      stop('Cancelling the query…');
      x.abort();
      var stopReq = new XMLHttpRequest();
      stopReq.open('POST', form.action + '/cancel');
      stopReq.addEventListener('loadend', function () {
        status.textContent = stopReq.status === 204 ? 'Cancelled: the query was stopped.'
          : stopReq.status === 404 ? 'The query was not running on this server: it had ended, or it runs on another server until its time limit.'
            : 'This page stopped waiting; the server stops the query at its time limit.';
      });
      var data = new FormData();
      data.append('_csrf', form.querySelector('input[name="_csrf"]').value);
      data.append('run_id', runID(form).value);
      stopReq.send(data);
      form.querySelector('textarea').focus();
    });
  }

  function enhance() {
    if (!window.FormData || !window.XMLHttpRequest) return;
    var imp = document.getElementById('admin-import');
    if (imp) enhanceImport(imp);
    var cons = document.getElementById('console');
    if (cons) enhanceConsole(cons);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', enhance);
  } else {
    enhance();
  }
})();
