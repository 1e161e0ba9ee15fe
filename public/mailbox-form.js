// The support address form: its IMAP password field shows for the Password sign-in method only
// (a Microsoft 365 or Google mailbox signs in with its grant). The page is rendered that way; this
// follows the method as it is switched, and keeps a hidden password from being sent.
(function () {
  if (window.sportelloMailboxForm) return;
  window.sportelloMailboxForm = true;

  function follow(select) {
    var form = select.form;
    var field = form && form.querySelector('[data-password-field]');
    if (!field) return;
    var hide = select.value !== 'password';
    field.hidden = hide;
    field.querySelectorAll('input').forEach(function (input) { input.disabled = hide; });
  }

  document.addEventListener('change', function (event) {
    var select = event.target;
    if (select instanceof HTMLSelectElement && select.name === 'authMethod' && select.closest('form.mailbox-form')) follow(select);
  });

  function ready() {
    document.querySelectorAll('form.mailbox-form select[name=authMethod]').forEach(follow);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', ready);
  else ready();
})();
