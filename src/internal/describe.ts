// How an argument the SDK rejects is shown in an InvalidInputError: short, typed, never the whole value.

/** `"abc"`, `the number 12345`, `null`, `an array of 3`, `a Map`, `an object`. */
export function describeArgument(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    case 'number':
    case 'bigint':
    case 'boolean':
      return `the ${typeof value} ${String(value)}`;
    case 'function':
      return 'a function';
    case 'symbol':
      return String(value);
  }
  if (Array.isArray(value)) return `an array of ${value.length}`;
  const name = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name;
  return name && name !== 'Object' ? withArticle(name) : 'an object';
}

/** `a Map`, `an Int32Array`, `a Uint8Array` (the sound decides, so Uint takes "a"). */
export function withArticle(name: string): string {
  return `${/^[AEIO]/.test(name) ? 'an' : 'a'} ${name}`;
}
