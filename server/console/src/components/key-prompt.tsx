// Asks for the API key when the server answers 401 (or when the header's key button is pressed). The key goes to
// sessionStorage and out as the Authorization header only; the form never submits anywhere.
import { useEffect, useRef, useState } from 'preact/hooks';
import { session } from '../api/session.js';

export function KeyPrompt({ open, onClose }: { open: boolean; onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [key, setKey] = useState('');
  useEffect(() => {
    const el = dialog.current;
    if (!el) return;
    if (open && !el.open) el.showModal();
    if (!open && el.open) el.close();
  }, [open]);
  const problem = session.authProblem;
  return (
    <dialog ref={dialog} class="key-prompt" aria-labelledby="key-title" onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          session.setKey(key);
          setKey('');
          onClose();
        }}
      >
        <h2 id="key-title">API key</h2>
        {problem && (
          <p class="error" role="alert">
            {problem}
          </p>
        )}
        <p class="muted small">
          Kept in this tab's session storage until the tab closes, and sent only as the <code>Authorization</code>{' '}
          header.
        </p>
        <label for="api-key">Key</label>
        <input
          id="api-key"
          type="password"
          autocomplete="off"
          spellcheck={false}
          value={key}
          onInput={(e) => setKey(e.currentTarget.value)}
          required
        />
        <div class="actions">
          <button type="submit" class="primary">
            Use this key
          </button>
          {session.hasKey && (
            <button
              type="button"
              onClick={() => {
                session.setKey(null);
                onClose();
              }}
            >
              Forget the key
            </button>
          )}
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
