// TODOs: progress on forms. A form marked data-busy="Importing…" disables
// its submit button while its request runs: the button is disabled, marked
// aria-busy and relabelled with that text, so it cannot be sent twice. It
// comes back as it was when the page is shown again (Back, the bfcache), or
// when a script that sends the form itself says the request failed
// (TodosBusy.done). A form whose submit event a script cancelled is left to
// that script (it calls TodosBusy.start). Once a page is shown, the first
// field marked invalid and autofocus is focused, also when a script wrote
// the page (autofocus then does nothing by itself). Without JavaScript the
// forms post as usual.
(function () {
  'use strict';

  function submitButton(form) {
    return form.querySelector('button[type="submit"], button:not([type])');
  }

  function start(form) {
    var b = submitButton(form);
    if (!b || b.disabled) return;
    if (!b.hasAttribute('data-label')) b.setAttribute('data-label', b.textContent);
    b.textContent = form.getAttribute('data-busy') || b.textContent;
    b.disabled = true;
    b.setAttribute('aria-busy', 'true');
  }

  function done(form) {
    var b = submitButton(form);
    if (!b || !b.hasAttribute('data-label')) return;
    b.textContent = b.getAttribute('data-label');
    b.removeAttribute('data-label');
    b.removeAttribute('aria-busy');
    b.disabled = false;
  }

  window.TodosBusy = { start: start, done: done };

  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (e.defaultPrevented || !form.hasAttribute || !form.hasAttribute('data-busy')) return;
    start(form);
  });

  window.addEventListener('pageshow', function () {
    var forms = document.querySelectorAll('form[data-busy]');
    for (var i = 0; i < forms.length; i++) done(forms[i]);
  });

  function focusInvalid() {
    var field = document.querySelector('[aria-invalid="true"][autofocus]');
    if (field && document.activeElement !== field) field.focus();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', focusInvalid);
  } else {
    focusInvalid();
  }
})();
