// The issue editor's live parts: a moment after typing stops, the unsaved text is rendered by the server exactly as
// the chosen reader would get it and shown in the sandboxed frames (or the plain-text tab); a little later the server
// runs the preflight on it and its panel is swapped in. Without this script the page still works: Save, then the
// frames and the preflight show the stored version.
(() => {
  'use strict';
  const editor = document.getElementById('issue-editor');
  if (!editor || !editor.dataset.preview) return;
  const source = editor.elements.namedItem('source');
  const problem = document.getElementById('issue-problem');
  const subject = document.getElementById('preview-subject');
  const text = document.getElementById('preview-text');

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

  function showPreview(preview) {
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

  // The panel is this site's own markup, rendered by the server from the posted text.
  function showPreflight(html) {
    const panel = document.getElementById('preflight');
    if (!panel) return;
    const fresh = document.createElement('template');
    fresh.innerHTML = html;
    if (fresh.content.firstElementChild) panel.replaceWith(fresh.content.firstElementChild);
  }

  // Posts the editor's form to `url` a `delay` after the last keystroke, one request at a time; text typed while a
  // request runs is posted again when it ends.
  function live(url, delay, accept, show) {
    let timer = 0;
    let running = false;
    let again = false;
    async function refresh() {
      if (running) { again = true; return; }
      running = true;
      try {
        const response = await fetch(url, { method: 'POST', body: new FormData(editor), credentials: 'same-origin', headers: { Accept: accept } });
        if (response.ok) await show(response);
        else showProblem(`The editor could not reach its preview (HTTP ${response.status}); reload the page to sign in again.`);
      } catch {
        showProblem('The server could not be reached for the preview.');
      } finally {
        running = false;
        if (again) { again = false; refresh(); }
      }
    }
    source.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(refresh, delay);
    });
  }

  live(editor.dataset.preview, 400, 'application/json', async response => showPreview(await response.json()));
  // SpamAssassin can take seconds on new text, so the preflight waits for a longer pause.
  if (editor.dataset.preflight) live(editor.dataset.preflight, 1500, 'text/html', async response => showPreflight(await response.text()));
})();
