// `--log-format logfmt`: pino writes JSON lines; this destination rewrites each one as `key=value` pairs
// (`time=… level=info msg=request reqId=… status=200`), which people read and Loki/Grafana parse. JSON, the
// default, is written as pino makes it and costs nothing extra.

const levelNames: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};
/** Repeated on every line by pino; noise when read by a person. */
const dropped = new Set(['pid', 'hostname']);

function logfmtValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return /^[^\s"=\\]+$/.test(text) ? text : JSON.stringify(text);
}

/** One pino JSON line as logfmt: time, level and msg first, the other fields in their order. */
export function toLogfmt(line: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`;
  }
  const { time, level, msg, ...rest } = record;
  const parts: string[] = [];
  if (typeof time === 'number') parts.push(`time=${new Date(time).toISOString()}`);
  if (level !== undefined) parts.push(`level=${levelNames[level as number] ?? logfmtValue(level)}`);
  if (msg !== undefined) parts.push(`msg=${logfmtValue(msg)}`);
  for (const [key, value] of Object.entries(rest)) {
    if (!dropped.has(key) && value !== undefined) parts.push(`${key}=${logfmtValue(value)}`);
  }
  return `${parts.join(' ')}\n`;
}

/** A pino destination that writes logfmt lines to `out`. */
export function logfmtDestination(out: NodeJS.WritableStream): { write(line: string): boolean } {
  return { write: (line) => out.write(toLogfmt(line)) };
}
