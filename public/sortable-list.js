// Lists reordered by drag (SortableJS; the arrows beside each row work without scripts):
// <tbody data-sortable="/things/{id}/position" data-sortable-target="#things-list"> whose rows
// carry data-sortable-id. Dropping a row by its .drag-handle posts its new place (position=N,
// counted from 1) to the URL with the row's id, as the arrows post up or down; the answer (the
// list, re-rendered) replaces the target. Used by Admin > Rules and Knowledge Base > Categories.
(function () {
  if (window.sportelloSortableList) return;
  window.sportelloSortableList = true;

  function wire(root) {
    if (!window.Sortable || !window.htmx || !root.querySelectorAll) return;
    var bodies = Array.from(root.querySelectorAll('tbody[data-sortable]'));
    if (root.matches && root.matches('tbody[data-sortable]')) bodies.push(root);
    bodies.forEach(function (body) {
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
          var url = body.dataset.sortable.replace('{id}', encodeURIComponent(event.item.dataset.sortableId));
          window.htmx.ajax('POST', url, {
            source: body, target: body.dataset.sortableTarget, swap: 'outerHTML',
            values: { position: String(event.newIndex + 1) },
          });
        },
      });
    });
  }

  function ready() {
    wire(document);
    if (window.htmx) window.htmx.onLoad(function (elt) { wire(elt.parentNode || elt); });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', ready);
  else ready();
})();
