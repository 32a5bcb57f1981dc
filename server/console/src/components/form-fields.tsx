// Labelled form fields bound to one key of a form's state (a flat object of strings, booleans and lists): the label,
// the control, a hint and the field's error, wired for screen readers. The training and optimisation forms use them.
import type { ComponentChildren } from 'preact';

export type FieldErrorsOf<F> = Partial<Record<keyof F, string>>;
export type SetterOf<F> = <K extends keyof F>(key: K, value: F[K]) => void;

interface BoundProps<F, K extends keyof F> {
  /** The form key the control shows and sets; the control's id is `${prefix}-${name}`. */
  name: K;
  label: string;
  form: F;
  set: SetterOf<F>;
  prefix: string;
  hint?: string | undefined;
}

export function Field({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  children: ComponentChildren;
}) {
  return (
    <div class={`field${error ? ' invalid' : ''}`}>
      <label for={id}>{label}</label>
      {children}
      {hint && (
        <span class="muted small" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {error && (
        <span class="error small" id={`${id}-error`} role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

/** A text input holding a string key of the form. */
export function TextField<F, K extends keyof F & string>({
  name,
  label,
  form,
  set,
  prefix,
  hint,
  errors,
  placeholder,
  inputMode = 'decimal',
}: BoundProps<F, K> & {
  errors: FieldErrorsOf<F>;
  placeholder?: string | undefined;
  inputMode?: 'decimal' | 'numeric' | 'text';
}) {
  const id = `${prefix}-${name}`;
  return (
    <Field id={id} label={label} hint={hint} error={errors[name]}>
      <input
        id={id}
        name={name}
        inputMode={inputMode}
        value={String(form[name])}
        placeholder={placeholder}
        aria-invalid={errors[name] ? true : undefined}
        onInput={(e) => set(name, e.currentTarget.value as F[K])}
      />
    </Field>
  );
}

/** A select over a string key of the form: `[value, text]` options. */
export function SelectField<F, K extends keyof F & string>({
  name,
  label,
  form,
  set,
  prefix,
  hint,
  options,
}: BoundProps<F, K> & { options: [string, string][] }) {
  const id = `${prefix}-${name}`;
  return (
    <Field id={id} label={label} hint={hint}>
      <select id={id} name={name} value={String(form[name])} onChange={(e) => set(name, e.currentTarget.value as F[K])}>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** A checkbox over a boolean key of the form. */
export function CheckField<F, K extends keyof F & string>({ name, label, form, set, prefix }: BoundProps<F, K>) {
  return (
    <label class="inline field">
      <input
        type="checkbox"
        id={`${prefix}-${name}`}
        checked={form[name] === true}
        onChange={(e) => set(name, e.currentTarget.checked as F[K])}
      />{' '}
      {label}
    </label>
  );
}
