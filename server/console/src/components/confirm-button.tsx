// A destructive action in two steps: the button, then "Yes, …" or "Keep" (no window.confirm, so it works by keyboard,
// in tests, and says exactly what it will do).
import { useState } from 'preact/hooks';
import { useAction } from '../hooks/use-async.js';
import { ErrorView } from './error-view.js';

export interface ConfirmButtonProps {
  /** The first button's text ("Delete"). */
  label: string;
  /** The confirming button's text ("Yes, delete version 2"). */
  confirm: string;
  /** The call to make once confirmed. */
  action(): Promise<unknown>;
  /** After the call succeeded. */
  onDone(): void;
}

export function ConfirmButton({ label, confirm, action, onDone }: ConfirmButtonProps) {
  const [confirming, setConfirming] = useState(false);
  const call = useAction();
  if (!confirming) {
    return (
      <button type="button" class="danger small" onClick={() => setConfirming(true)}>
        {label}
      </button>
    );
  }
  return (
    <span class="confirm">
      <button
        type="button"
        class="danger small"
        disabled={call.busy}
        onClick={async () => {
          if (await call.run(action)) onDone();
        }}
      >
        {confirm}
      </button>{' '}
      <button type="button" class="small" onClick={() => setConfirming(false)}>
        Keep
      </button>
      <ErrorView error={call.error} />
    </span>
  );
}
