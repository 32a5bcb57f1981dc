// What the client commands (train, jobs) share: their server options and how an SDK error reads on a terminal.
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { APIError, MaasClient, MaasError } from '../../src/index.js';

/** The options every client command shares (node:util parseArgs). */
export const clientOptions = {
  server: { type: 'string' },
  'api-key': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const clientOptionsHelp = `  --server URL            The MaaS server (default: MAAS_BASE_URL, else http://127.0.0.1:8000)
  --api-key KEY           Sent as Authorization: Bearer KEY (default: MAAS_API_KEY)
  -h, --help              Show this help.`;

/** A client command's arguments: its own options beside the shared ones, strict, with positionals. */
export function parseClientArgs<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  return parseArgs({ args, strict: true, allowPositionals: true, options: { ...clientOptions, ...options } });
}

export function clientFrom(values: { server?: string | undefined; 'api-key'?: string | undefined }): MaasClient {
  return new MaasClient({
    ...(values.server !== undefined ? { baseUrl: values.server } : {}),
    ...(values['api-key'] !== undefined ? { apiKey: values['api-key'] } : {}),
  });
}

/** Rejected dataset rows shown at most; spec problems are all shown (there are few). */
const MAX_ROWS = 10;

/** One readable message for an SDK error: every spec problem on its own line, the first rejected rows of a dataset. */
export function describeError(err: unknown): string {
  if (err instanceof APIError) {
    const details = err.details ?? [];
    if (details.some((d) => d.field !== undefined)) {
      const lines = details.map((d) => `\n  ${d.field ? `${d.field}: ` : ''}${d.message}`).join('');
      return `${err.status} ${err.code ?? 'error'}: ${details.length} problem${details.length === 1 ? '' : 's'}${lines}`;
    }
    const rows = details
      .slice(0, MAX_ROWS)
      .map((d) => `\n  ${d.line !== undefined ? `line ${d.line}: ` : ''}${d.column ? `${d.column}: ` : ''}${d.message}`)
      .join('');
    return `${err.message}${rows}`;
  }
  if (err instanceof MaasError || err instanceof Error) return err.message;
  return String(err);
}
