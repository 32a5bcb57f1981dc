// The feature columns of a form: the server's default (null), or a chosen subset of the dataset's other columns,
// kept in the dataset's column order.
export function FeaturePicker({
  candidates,
  features,
  onChange,
  defaultText,
  error,
}: {
  /** The columns that can be features (every one but the target). */
  candidates: string[];
  features: string[] | null;
  onChange(features: string[] | null): void;
  /** What the default means, in words. */
  defaultText: string;
  error?: string | undefined;
}) {
  const chosen = features ?? candidates;
  return (
    <fieldset class={`field features${error ? ' invalid' : ''}`}>
      <legend>Features</legend>
      <label class="inline">
        <input
          type="checkbox"
          checked={features === null}
          onChange={(e) => onChange(e.currentTarget.checked ? null : candidates)}
        />{' '}
        Default: {defaultText}
      </label>
      {features !== null && (
        <div class="checks">
          {candidates.map((name) => (
            <label key={name} class="inline">
              <input
                type="checkbox"
                checked={chosen.includes(name)}
                onChange={(e) =>
                  onChange(
                    e.currentTarget.checked
                      ? candidates.filter((c) => c === name || chosen.includes(c))
                      : chosen.filter((c) => c !== name),
                  )
                }
              />{' '}
              {name}
            </label>
          ))}
        </div>
      )}
      {error && <span class="error small">{error}</span>}
    </fieldset>
  );
}
