import { APIError, MaasError } from '../../../../src/index.js';

/** The server's message for an error body, else the error's own message. */
export function errorMessage(error: unknown): string {
  if (error instanceof APIError) {
    const text = (error.body as { error?: unknown } | undefined)?.error;
    return typeof text === 'string' ? text : error.message;
  }
  if (error instanceof MaasError || error instanceof Error) return error.message;
  return String(error);
}

/**
 * An error as the API reported it: its message, code, status and request id, and its per-line or per-field details
 * (a rejected dataset's rows, a training spec's fields) as a table.
 */
export function ErrorView({ error, title }: { error: unknown; title?: string }) {
  if (error === undefined || error === null) return null;
  const api = error instanceof APIError ? error : undefined;
  const details = api?.details ?? [];
  return (
    <div class="error" role="alert">
      <p>
        <strong>{title ?? 'Error'}:</strong> {errorMessage(error)}
      </p>
      {api && (
        <p class="muted small">
          HTTP {api.status}
          {api.code && (
            <>
              {' · '}
              <code>{api.code}</code>
            </>
          )}
          {api.requestId && <> · request {api.requestId}</>}
        </p>
      )}
      {details.length > 0 && (
        <table class="details" data-testid="error-details">
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Column / field</th>
              <th scope="col">Problem</th>
            </tr>
          </thead>
          <tbody>
            {details.map((d, i) => (
              <tr key={i}>
                <td class="num">{d.line ?? '–'}</td>
                <td>{d.column ?? d.field ?? '–'}</td>
                <td>{d.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** A loading line, an error, or nothing. */
export function LoadState({ loading, error }: { loading: boolean; error: unknown }) {
  if (error) return <ErrorView error={error} />;
  if (loading)
    return (
      <p class="muted" aria-live="polite">
        Loading…
      </p>
    );
  return null;
}
