// The snippet picker: a button with data-snippet inserts its text at the cursor
// of the last focused [data-snippets] field of its form (else the picker's target).
(function () {
  if (window.sportelloSnippetPicker) return;
  window.sportelloSnippetPicker = true;
  var last = null;
  document.addEventListener('focusin', function (event) {
    if (event.target instanceof HTMLElement && event.target.matches('[data-snippets]')) last = event.target;
  });
  document.addEventListener('click', function (event) {
    var button = event.target instanceof Element ? event.target.closest('button[data-snippet]') : null;
    if (!button) return;
    event.preventDefault();
    var picker = button.closest('.snippet-picker');
    var form = button.closest('form');
    var field = last && document.body.contains(last) && (!form || form.contains(last)) ? last : document.getElementById(picker && picker.dataset.target);
    if (!field) return;
    var text = button.dataset.snippet;
    var start = typeof field.selectionStart === 'number' ? field.selectionStart : field.value.length;
    var end = typeof field.selectionEnd === 'number' ? field.selectionEnd : start;
    field.value = field.value.slice(0, start) + text + field.value.slice(end);
    field.focus();
    field.setSelectionRange(start + text.length, start + text.length);
    field.dispatchEvent(new Event('input', { bubbles: true }));
  });
})();
