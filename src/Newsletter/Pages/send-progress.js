// A send's page follows the send: every two seconds it reads the send's figures as JSON and writes each into the
// element whose data-field names it, and shows only the buttons that apply to the new state. It stops once the
// send finished or was cancelled. Without this script the page is right as of its loading; reload to refresh.
(() => {
  'use strict';
  const progress = document.getElementById('send-progress');
  if (!progress || !progress.dataset.url) return;
  const everyMs = 2000;

  function show(figures) {
    for (const element of document.querySelectorAll('[data-field]')) {
      const value = figures.fields[element.dataset.field];
      if (value !== undefined) element.textContent = value;
    }
    for (const badge of document.querySelectorAll('.state[data-field="status"]')) badge.className = `state state-${figures.status}`;
    for (const form of document.querySelectorAll('form[data-from]')) form.hidden = !form.dataset.from.split(' ').includes(figures.status);
    progress.dataset.done = figures.done ? 'true' : 'false';
  }

  async function poll() {
    try {
      const response = await fetch(progress.dataset.url, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
      if (response.ok) show(await response.json());
    } catch {
      // The server is away for a moment: try again at the next tick.
    }
    if (progress.dataset.done !== 'true') setTimeout(poll, everyMs);
  }

  if (progress.dataset.done !== 'true') setTimeout(poll, everyMs);
})();
