/**
 * The SDK version, sent in the `x-maas-client` header (a test keeps it equal to package.json).
 *
 * @example
 * ```ts
 * console.log(`maas-js/${VERSION}`);
 * ```
 */
export const VERSION = '0.1.0';
