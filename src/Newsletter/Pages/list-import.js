// An import's progress bar: asks the server how far the import's job has read, twice a second, and reloads the
// page when the import is over so the server shows its outcome. Without this script, reloading does the same.
(() => {
  'use strict';
  const box = document.getElementById('import-progress');
  if (!box || !box.dataset.progress) return;
  const bar = box.querySelector('progress');
  const text = document.getElementById('import-progress-text');

  function megabytes(bytes) {
    return bytes < 1048576 ? `${Math.ceil(bytes / 1024)} KB` : `${(bytes / 1048576).toFixed(1)} MB`;
  }

  async function poll() {
    try {
      const response = await fetch(box.dataset.progress, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
      if (!response.ok) {
        text.textContent = `The progress could not be read (HTTP ${response.status}); reload the page.`;
        return;
      }
      const progress = await response.json();
      if (progress.over) {
        window.location.reload();
        return;
      }
      const total = Math.max(progress.totalBytes, 1);
      bar.max = total;
      bar.value = progress.readBytes;
      const doing = progress.status === 'queued' ? 'Waiting to start' : 'Importing';
      text.textContent = `${doing}: ${Math.floor(progress.readBytes * 100 / total)} % of ${megabytes(progress.totalBytes)} read`;
    } catch {
      text.textContent = 'The server could not be reached; trying again.';
    }
    setTimeout(poll, 500);
  }

  setTimeout(poll, 500);
})();
