import { InvalidParameterError } from '../errors.js';

/** Model names and versions reach the filesystem, so they are checked before anything else happens with them. */
export const modelNamePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const versionPattern = /^[1-9][0-9]{0,15}$/;

export function isValidModelName(name: string): boolean {
  return modelNamePattern.test(name);
}

/** A positive integer version from its text form, or undefined. */
export function parseVersion(text: string): number | undefined {
  if (!versionPattern.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

export function checkModelName(name: string, field = 'model'): string {
  if (!isValidModelName(name)) {
    throw new InvalidParameterError(field, `a model name matching ${modelNamePattern.source}`, name);
  }
  return name;
}

export function checkVersion(text: string, field = 'version'): number {
  const version = parseVersion(text);
  if (version === undefined) throw new InvalidParameterError(field, 'a positive integer version', text);
  return version;
}
