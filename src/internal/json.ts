// JSON bodies: plain JSON.parse, re-parsed losslessly only when the body holds integers beyond 2^53.
import { parseJsonLossless } from '../protocol/json-text.js';

export function parseJson(text: string): unknown {
  return parseJsonLossless(text);
}
