// Admin > Ticket Automation Rules, with scripts (everything works without them):
// - a refused form (422) is swapped in like any answer, so its errors show where it was;
// - a condition's or action's fields follow its property, operator or action type, and a
//   rule's hours field shows for the time-based trigger only;
// - the rules list reorders by drag (SortableJS), posting the new place as the arrows do;
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

  function sortable(root) {
    if (!window.Sortable) return;
    root.querySelectorAll('[data-sortable-rules]').forEach(function (body) {
      if (body.dataset.sortableReady) return;
      body.dataset.sortableReady = '1';
      window.Sortable.create(body, {
        handle: '.drag-handle',
        animation: 0,
        onEnd: function (event) {
          // Sortable leaves empty style attributes behind, and htmx's settle would copy them onto
          // the list it swaps in: an inline style the CSP refuses. Nothing of them is needed.
          body.querySelectorAll('[style]').forEach(function (el) { el.removeAttribute('style'); });
          if (event.oldIndex === event.newIndex) return;
          var form = event.item.querySelector('form.drag-form');
          form.querySelector('input[name=position]').value = String(event.newIndex + 1);
          form.requestSubmit();
        },
      });
    });
  }

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

  function ready() {
    sortable(document);
    if (window.htmx) window.htmx.onLoad(function (elt) { sortable(elt.parentNode || elt); });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', ready);
  else ready();
})();
