import { APIPromise } from '../api-promise.js';
import { InvalidInputError } from '../errors.js';
import { describeArgument } from '../internal/describe.js';
import { path } from '../internal/request-core.js';
import { APIResource } from '../internal/resource.js';
import type { RequestOptions } from '../options.js';
import type { PagePromise } from '../pagination.js';
import type { Dataset, DatasetDeleted, DatasetFormat, DatasetListParams } from '../types.js';

/**
 * What `datasets.create()` uploads: CSV or JSON Lines text, its bytes, or a Blob/File.
 *
 * @example
 * ```ts
 * const body: DatasetBody = new File(['x,y\n1,2\n'], 'line.csv'); // format and name taken from the File
 * ```
 */
export type DatasetBody = string | Uint8Array | ArrayBuffer | Blob;

/**
 * Options of `datasets.create()`.
 *
 * @example
 * ```ts
 * await client.datasets.create(csvText, { format: 'csv', name: 'iris.csv' });
 * ```
 */
export interface DatasetCreateParams {
  /** `csv` (with a header row) or `jsonl`. Default: from the File name/type, else `jsonl` when the body starts with `{`, else `csv`. */
  format?: DatasetFormat | undefined;
  /** A label (e.g. the file name). Default: the File's name. */
  name?: string | undefined;
}

const CONTENT_TYPES: Record<DatasetFormat, string> = { csv: 'text/csv', jsonl: 'application/x-ndjson' };

/**
 * Uploaded training data.
 *
 * @example
 * ```ts
 * const ds = await client.datasets.create('x,y\n1,2\n2,4\n', { format: 'csv' });
 * ```
 */
export class DatasetsResource extends APIResource {
  /**
   * Uploads a dataset; the server parses and validates it before answering (bad rows: a 422
   * `UnprocessableEntityError` whose message lists the first ones). A body or `format` the server could not read
   * rejects with `InvalidInputError` before anything is sent. Sends one Idempotency-Key per call, reused on every
   * retry, so a retried upload never creates two datasets.
   *
   * @example
   * ```ts
   * const ds = await client.datasets.create(await readFile('iris.csv'), { format: 'csv', name: 'iris.csv' });
   * console.log(ds.id, ds.rows, ds.columns.map((c) => c.name));
   * ```
   */
  create(body: DatasetBody, params: DatasetCreateParams = {}, options?: RequestOptions): APIPromise<Dataset> {
    try {
      checkCreateArguments(body, params);
    } catch (err) {
      return new APIPromise(Promise.reject(err));
    }
    const upload = toUploadBytes(body).then((data) => {
      const format = params.format ?? sniffFormat(body, data);
      return this.core
        .json<Dataset>({
          method: 'POST',
          path: '/v1/datasets',
          query: { name: params.name ?? fileName(body) },
          body: { contentType: CONTENT_TYPES[format], data },
          idempotent: true,
          options,
        })
        .withResponse();
    });
    return new APIPromise(upload);
  }

  /**
   * Datasets, newest first: iterate for all of them, or await for the first page.
   *
   * @example
   * ```ts
   * for await (const ds of client.datasets.list()) console.log(ds.id, ds.name);
   * ```
   */
  list(params: DatasetListParams = {}, options?: RequestOptions): PagePromise<Dataset> {
    return this.paginate<Dataset>('/v1/datasets', params, options);
  }

  /**
   * One dataset.
   *
   * @example
   * ```ts
   * const ds = await client.datasets.retrieve('ds_01JDQ3Z8W5M4');
   * ```
   */
  retrieve(datasetId: string, options?: RequestOptions): APIPromise<Dataset> {
    return this.core.json<Dataset>({ method: 'GET', path: path`/v1/datasets/${datasetId}`, options });
  }

  /**
   * Deletes a dataset (jobs already running keep their copy).
   *
   * @example
   * ```ts
   * const { deleted } = await client.datasets.delete('ds_01JDQ3Z8W5M4');
   * ```
   */
  delete(datasetId: string, options?: RequestOptions): APIPromise<DatasetDeleted> {
    return this.core.json<DatasetDeleted>({ method: 'DELETE', path: path`/v1/datasets/${datasetId}`, options });
  }
}

const BODY_EXPECTED = 'CSV or JSON Lines text (a string), its bytes (Uint8Array or ArrayBuffer), or a Blob/File';

/** Rejects what the server could not read before anything is sent: typed errors naming the argument. */
function checkCreateArguments(body: unknown, params: unknown): void {
  const isBlob = typeof Blob !== 'undefined' && body instanceof Blob;
  if (typeof body !== 'string' && !(body instanceof Uint8Array) && !(body instanceof ArrayBuffer) && !isBlob) {
    throw new InvalidInputError(`body: expected ${BODY_EXPECTED}, got ${describeArgument(body)}`, 'body');
  }
  if (params === null || typeof params !== 'object' || Array.isArray(params)) {
    throw new InvalidInputError(
      `params: expected an object { format?, name? }, got ${describeArgument(params)}`,
      'params',
    );
  }
  const { format, name } = params as { format?: unknown; name?: unknown };
  if (format !== undefined && !Object.hasOwn(CONTENT_TYPES, format as string)) {
    throw new InvalidInputError(
      `params.format: expected ${Object.keys(CONTENT_TYPES)
        .map((f) => `'${f}'`)
        .join(' or ')}, got ${describeArgument(format)}`,
      'params.format',
    );
  }
  if (name !== undefined && typeof name !== 'string') {
    throw new InvalidInputError(`params.name: expected a string, got ${describeArgument(name)}`, 'params.name');
  }
}

// Read once up front: the same bytes can then be sent again on a retry.
async function toUploadBytes(body: DatasetBody): Promise<string | Uint8Array> {
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  return new Uint8Array(await body.arrayBuffer());
}

function fileName(body: DatasetBody): string | undefined {
  const name = (body as { name?: unknown }).name;
  return typeof Blob !== 'undefined' && body instanceof Blob && typeof name === 'string' && name ? name : undefined;
}

function sniffFormat(body: DatasetBody, data: string | Uint8Array): DatasetFormat {
  const name = fileName(body)?.toLowerCase();
  const type = typeof Blob !== 'undefined' && body instanceof Blob ? body.type : '';
  if (name?.endsWith('.jsonl') || name?.endsWith('.ndjson') || /ndjson|jsonl/.test(type)) return 'jsonl';
  if (name?.endsWith('.csv') || type.includes('csv')) return 'csv';
  return firstNonSpace(data) === '{' ? 'jsonl' : 'csv';
}

function firstNonSpace(data: string | Uint8Array): string | undefined {
  if (typeof data === 'string') return data.trimStart()[0];
  for (const byte of data) {
    if (
      byte !== 0x20 &&
      byte !== 0x09 &&
      byte !== 0x0a &&
      byte !== 0x0d &&
      byte !== 0xef &&
      byte !== 0xbb &&
      byte !== 0xbf
    ) {
      return String.fromCharCode(byte);
    }
  }
  return undefined;
}
