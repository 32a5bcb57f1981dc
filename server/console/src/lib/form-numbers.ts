// Reading numbers typed into a form: each bad one recorded under its field, saying what was expected and what came.

/**
 * A reader of numeric fields of `form` that records a bad one in `errors` (and returns NaN for it).
 *
 * @example
 * const num = numberReader({ epochs: '2.5' }, errors);
 * num('epochs', true); // NaN, errors.epochs = 'expected a whole number, got "2.5"'
 */
export function numberReader<F>(
  form: F,
  errors: Partial<Record<keyof F, string>>,
): (field: keyof F, integer?: boolean) => number {
  return (field, integer = false) => {
    const text = String(form[field]).trim();
    const value = text === '' ? Number.NaN : Number(text);
    if (!Number.isFinite(value) || (integer && !Number.isInteger(value))) {
      errors[field] = `expected ${integer ? 'a whole number' : 'a number'}, got "${text}"`;
    }
    return value;
  };
}
