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
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', connect);
  } else {
    connect();
  }
})();
