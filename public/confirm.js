// Destructive actions confirm first: a form or a link with data-confirm (the question) opens the
// page's <dialog id="confirm-dialog"> (views/shared/_confirm-dialog.ejs) with data-confirm-text (what
// happens) and a danger button named by data-confirm-submit. Cancel, Escape or a click outside
// leave everything as it was; the danger button goes on: the form is submitted (through htmx if it
// is an htmx form), the link's URL is posted (it is the confirmation page's own URL, whose POST
// deletes). Without this script the link opens that confirmation page and the form posts at once.
(function () {
  if (window.sportelloConfirm) return;
  window.sportelloConfirm = true;

  var pending = null; // what the danger button does, and where the focus goes back to
  var confirmed = new WeakSet(); // forms let through once, after their dialog said yes

  function dialog() {
    var d = document.getElementById('confirm-dialog');
    return d && typeof d.showModal === 'function' ? d : null;
  }

  function ask(d, trigger, proceed) {
    d.querySelector('#confirm-dialog-title').textContent = trigger.dataset.confirm;
    var text = d.querySelector('#confirm-dialog-text');
    text.textContent = trigger.dataset.confirmText || '';
    text.hidden = !trigger.dataset.confirmText;
    d.querySelector('button[value=confirm]').textContent = trigger.dataset.confirmSubmit || trigger.dataset.confirm;
    pending = { proceed: proceed, focus: document.activeElement };
    d.returnValue = '';
    d.showModal();
    d.querySelector('button[value=cancel]').focus();
  }

  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute('hx-headers') || '{}')['X-CSRF-Token'] || ''; } catch (e) { return ''; }
  }

  function post(url) {
    var form = document.createElement('form');
    form.method = 'post';
    form.action = url;
    form.hidden = true;
    var token = document.createElement('input');
    token.type = 'hidden';
    token.name = '_csrf';
    token.value = csrfToken();
    form.appendChild(token);
    document.body.appendChild(form);
    form.submit(); // submit() fires no submit event: nothing asks again
  }

  document.addEventListener('click', function (event) {
    var link = event.target instanceof Element ? event.target.closest('a[data-confirm]') : null;
    var d = dialog();
    if (!link || !d || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    ask(d, link, function () { post(link.href); });
  });

  // In the capture phase, so a form htmx handles is asked before htmx sees its submit.
  document.addEventListener('submit', function (event) {
    var form = event.target;
    var d = dialog();
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-confirm') || !d) return;
    if (confirmed.has(form)) { confirmed.delete(form); return; }
    event.preventDefault();
    event.stopPropagation();
    var submitter = event.submitter;
    ask(d, form, function () {
      confirmed.add(form);
      if (submitter && submitter.form === form) form.requestSubmit(submitter); else form.requestSubmit();
    });
  }, true);

  function wire(d) {
    if (d.dataset.wired) return;
    d.dataset.wired = '1';
    d.addEventListener('close', function () {
      var was = pending;
      pending = null;
      if (!was) return;
      if (d.returnValue === 'confirm') was.proceed();
      else if (was.focus && document.body.contains(was.focus)) was.focus.focus();
    });
    // A click on the backdrop (outside the dialog's box) cancels, as Escape does.
    d.addEventListener('click', function (event) {
      if (event.target !== d) return;
      var box = d.getBoundingClientRect();
      var inside = event.clientX >= box.left && event.clientX <= box.right && event.clientY >= box.top && event.clientY <= box.bottom;
      if (!inside) d.close('cancel');
    });
    // The focus stays on the dialog's two buttons (a modal dialog keeps it out of the page; this keeps it off the browser's own bar too).
    d.addEventListener('keydown', function (event) {
      if (event.key !== 'Tab') return;
      var buttons = d.querySelectorAll('button');
      var first = buttons[0];
      var last = buttons[buttons.length - 1];
      if (event.shiftKey && document.activeElement === first) { event.preventDefault(); last.focus(); }
      else if (!event.shiftKey && document.activeElement === last) { event.preventDefault(); first.focus(); }
    });
  }

  function ready() {
    var d = dialog();
    if (d) wire(d);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', ready);
  else ready();
})();
