// The dashboard's Sends pages follow running sends: every two seconds each block that names its send's figures
// (data-figures) reads them as JSON and writes each into the element inside it whose data-field names it, until the
// send finished or was cancelled. Without this script the page is right as of its loading; reload to refresh.
(() => {
  'use strict';
  const everyMs = 2000;

  function follow(block) {
    async function poll() {
      try {
        const response = await fetch(block.dataset.figures, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
        if (response.ok) {
          const figures = await response.json();
          for (const element of block.querySelectorAll('[data-field]')) {
            const value = figures.fields[element.dataset.field];
            if (value !== undefined) element.textContent = value;
          }
          block.dataset.done = figures.done ? 'true' : 'false';
        }
      } catch {
        // The server is away for a moment: try again at the next tick.
      }
      if (block.dataset.done !== 'true') setTimeout(poll, everyMs);
    }
    setTimeout(poll, everyMs);
  }

  for (const block of document.querySelectorAll('[data-figures]')) {
    if (block.dataset.done !== 'true') follow(block);
  }
})();
