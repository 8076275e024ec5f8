// The issue editor's live preview: a moment after typing stops, the unsaved text is rendered by the server
// exactly as the chosen reader would get it, and shown in the sandboxed frames (or the plain-text tab).
// Without this script the page still works: Save, then the frames show the stored version.
(() => {
  'use strict';
  const editor = document.getElementById('issue-editor');
  if (!editor || !editor.dataset.preview) return;
  const source = editor.elements.namedItem('source');
  const problem = document.getElementById('issue-problem');
  const subject = document.getElementById('preview-subject');
  const text = document.getElementById('preview-text');
  let timer = 0;
  let running = false;
  let again = false;

  function showProblem(message, lineText, line) {
    problem.replaceChildren();
    const p = document.createElement('p');
    p.textContent = message;
    problem.append(p);
    if (lineText !== null && lineText !== undefined) {
      const pre = document.createElement('pre');
      pre.textContent = `${line} | ${lineText}`;
      problem.append(pre);
    }
    problem.hidden = false;
  }

  function show(preview) {
    if (preview.problem) {
      const at = preview.problem.line > 0 ? `Line ${preview.problem.line}: ` : '';
      showProblem(at + preview.problem.reason, preview.problem.lineText, preview.problem.line);
      return;
    }
    problem.hidden = true;
    problem.replaceChildren();
    if (subject) subject.textContent = preview.subject;
    if (text) text.textContent = preview.text;
    for (const frame of document.querySelectorAll('iframe.preview-frame')) frame.srcdoc = preview.html;
  }

  async function refresh() {
    if (running) { again = true; return; }
    running = true;
    try {
      const response = await fetch(editor.dataset.preview, {
        method: 'POST', body: new FormData(editor), credentials: 'same-origin', headers: { Accept: 'application/json' },
      });
      if (response.ok) show(await response.json());
      else showProblem(`The preview failed (HTTP ${response.status}); reload the page to sign in again.`);
    } catch {
      showProblem('The server could not be reached for the preview.');
    } finally {
      running = false;
      if (again) { again = false; refresh(); }
    }
  }

  source.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });
})();
