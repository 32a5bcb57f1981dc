// Model names and versions reach the server's filesystem (<repository>/<model>/<version>/), so both the server and
// the msw mock check them, with this one rule, before anything else happens with them.
import { ContractError, describeReceived } from './contract-error.js';

/** A model name: a letter or digit, then up to 127 letters, digits, `_`, `.` or `-` (no `/`, no `..` alone). */
export const MODEL_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
/** A version: a positive integer without leading zeros, as its folder is named. */
export const MODEL_VERSION_PATTERN = /^[1-9][0-9]{0,15}$/;

export function isValidModelName(name: string): boolean {
  return MODEL_NAME_PATTERN.test(name);
}

/** A positive integer version from its text form, or undefined. */
export function parseModelVersion(text: string): number | undefined {
  if (!MODEL_VERSION_PATTERN.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

function invalidParameter(field: string, expected: string, received: unknown): ContractError {
  return new ContractError(
    400,
    'invalid_parameter',
    `${field}: expected ${expected}, got ${describeReceived(received)}`,
  );
}

/** The name when valid; otherwise ContractError 400 `invalid_parameter` naming `field`. */
export function checkModelName(name: string, field = 'model'): string {
  if (!isValidModelName(name))
    throw invalidParameter(field, `a model name matching ${MODEL_NAME_PATTERN.source}`, name);
  return name;
}

/** The version as a number when valid; otherwise ContractError 400 `invalid_parameter` naming `field`. */
export function checkModelVersion(text: string, field = 'version'): number {
  const version = parseModelVersion(text);
  if (version === undefined) throw invalidParameter(field, 'a positive integer version', text);
  return version;
}
