// Knowledge Base > Categories, with scripts (the arrows work without them): the list reorders
// by drag (SortableJS), posting the new place as the arrows post up or down; htmx swaps the list.
(function () {
  if (window.sportelloKbCategories) return;
  window.sportelloKbCategories = true;

  function sortable(root) {
    if (!window.Sortable || !root.querySelectorAll) return;
    root.querySelectorAll('[data-sortable-categories]').forEach(function (body) {
      if (body.dataset.sortableReady) return;
      body.dataset.sortableReady = '1';
      window.Sortable.create(body, {
        handle: '.drag-handle',
        animation: 0,
        onEnd: function (event) {
          // Sortable leaves empty style attributes behind, which htmx's settle would copy onto
          // the list it swaps in: an inline style the CSP refuses.
          body.querySelectorAll('[style]').forEach(function (el) { el.removeAttribute('style'); });
          if (event.oldIndex === event.newIndex) return;
          var form = event.item.querySelector('form.drag-form');
          form.querySelector('input[name=position]').value = String(event.newIndex + 1);
          form.requestSubmit();
        },
      });
    });
  }

  function ready() {
    sortable(document);
    if (window.htmx) window.htmx.onLoad(function (elt) { sortable(elt.parentNode || elt); });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', ready);
  else ready();
})();
