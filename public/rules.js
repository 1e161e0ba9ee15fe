// Admin > Ticket Automation Rules, with scripts (everything works without them; the list's drag
// to reorder is public/sortable-list.js):
// - a refused form (422) is swapped in like any answer, so its errors show where it was;
// - a condition's or action's fields follow its property, operator or action type, and a
//   rule's hours field shows for the time-based trigger only;
// - the Add New Rule modal takes the focus, and Escape or Cancel closes it.
(function () {
  if (window.sportelloRules) return;
  window.sportelloRules = true;

  document.addEventListener('htmx:beforeSwap', function (event) {
    var elt = event.detail.elt;
    if (event.detail.xhr.status === 422 && elt instanceof Element && elt.closest('[data-rules]')) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener('change', function (event) {
    var trigger = event.target;
    if (trigger instanceof HTMLSelectElement && trigger.name === 'trigger') {
      var hours = trigger.form && trigger.form.querySelector('[data-trigger-hours]');
      if (hours) hours.hidden = trigger.value !== 'ticket_unanswered';
    }
  });

  document.addEventListener('change', function (event) {
    var select = event.target;
    if (!(select instanceof HTMLSelectElement) || !/^(property|operator|kind)$/.test(select.name)) return;
    var form = select.closest('form.rule-row');
    var marker = form && form.querySelector('[data-row-url]');
    if (!marker || !window.htmx) return;
    // The row's own values in the query (not the CSRF token); the hidden marker as the source, so htmx adds nothing of the form's again.
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) { if (name !== '_csrf' && typeof value === 'string') params.append(name, value); });
    var focused = select.id;
    window.htmx.ajax('GET', marker.dataset.rowUrl + '?' + params.toString(), { source: marker, target: form, swap: 'outerHTML' }).then(function () {
      var again = document.getElementById(focused);
      if (again) again.focus();
    });
  });

  function closeDialog() {
    var slot = document.getElementById('rule-dialog');
    if (slot) slot.innerHTML = '';
  }

  document.addEventListener('click', function (event) {
    var link = event.target instanceof Element ? event.target.closest('[data-close-dialog]') : null;
    if (!link) return;
    event.preventDefault();
    closeDialog();
  });

  document.addEventListener('keydown', function (event) {
    if (event.key === 'Escape' && document.querySelector('#rule-dialog [role=dialog]')) closeDialog();
  });

  document.addEventListener('htmx:afterSettle', function (event) {
    var target = event.detail.target;
    if (target && target.id === 'rule-dialog') {
      var first = target.querySelector('.has-error input, .has-error select, input:not([type=hidden]), select, textarea');
      if (first) first.focus();
    }
  });
})();
