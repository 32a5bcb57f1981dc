/**
 * RFC 4180 CSV records: comma-separated, `"` quotes fields, `""` is a literal quote inside a quoted field,
 * quoted fields may span lines. Records end at LF, CRLF or a lone CR. Blank lines are skipped.
 * Malformed records are reported with the line they start on and the parser moves on to the next record.
 */

export interface CsvRecord {
  kind: 'record';
  /** 1-based physical line the record starts on. */
  line: number;
  fields: string[];
}

export interface CsvSyntaxError {
  kind: 'error';
  line: number;
  /** 0-based index of the field the problem is in. */
  field: number;
  message: string;
}

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

export function* parseCsv(text: string): Generator<CsvRecord | CsvSyntaxError> {
  const n = text.length;
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;

  while (pos < n) {
    const startLine = line;
    // Blank line: no record.
    const first = text.charCodeAt(pos);
    if (first === LF || first === CR) {
      pos += first === CR && text.charCodeAt(pos + 1) === LF ? 2 : 1;
      line++;
      continue;
    }

    const fields: string[] = [];
    let error: CsvSyntaxError | undefined;
    for (;;) {
      let value: string;
      if (text.charCodeAt(pos) === QUOTE) {
        // Quoted field: scan for the closing quote, unescaping "" pairs.
        const openLine = line;
        let out = '';
        let from = pos + 1;
        let closed = false;
        for (;;) {
          const q = text.indexOf('"', from);
          if (q === -1) break;
          out += text.slice(from, q);
          if (text.charCodeAt(q + 1) === QUOTE) {
            out += '"';
            from = q + 2;
            continue;
          }
          pos = q + 1;
          closed = true;
          break;
        }
        if (!closed) {
          yield {
            kind: 'error',
            line: startLine,
            field: fields.length,
            message: `unterminated quoted field (the quote opens on line ${openLine})`,
          };
          return;
        }
        line += countNewlines(out);
        value = out;
        const next = text.charCodeAt(pos);
        if (pos < n && next !== COMMA && next !== LF && next !== CR) {
          error ??= {
            kind: 'error',
            line: startLine,
            field: fields.length,
            message: `unexpected character '${text[pos]}' after a closing quote; a quoted field must end at a comma or line end`,
          };
          pos = skipToFieldEnd(text, pos);
        }
      } else {
        const start = pos;
        pos = skipToFieldEnd(text, pos);
        value = text.slice(start, pos);
        const quote = value.indexOf('"');
        if (quote !== -1) {
          error ??= {
            kind: 'error',
            line: startLine,
            field: fields.length,
            message: 'a quote (") inside an unquoted field; quote the whole field and double the inner quotes',
          };
        }
      }
      fields.push(value);

      if (pos >= n) break;
      const c = text.charCodeAt(pos);
      if (c === COMMA) {
        pos++;
        continue;
      }
      // End of record.
      pos += c === CR && text.charCodeAt(pos + 1) === LF ? 2 : 1;
      line++;
      break;
    }
    yield error ?? { kind: 'record', line: startLine, fields };
  }
}

/** Index of the next comma, CR or LF at or after `pos` (or the end). */
function skipToFieldEnd(text: string, pos: number): number {
  const n = text.length;
  while (pos < n) {
    const c = text.charCodeAt(pos);
    if (c === COMMA || c === LF || c === CR) return pos;
    pos++;
  }
  return pos;
}

/** Physical line breaks inside a quoted value (CRLF counts once). */
function countNewlines(s: string): number {
  let count = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === LF) count++;
    else if (c === CR && s.charCodeAt(i + 1) !== LF) count++;
  }
  return count;
}
