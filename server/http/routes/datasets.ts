import type { components } from '../../../src/generated/openapi.js';
import type { DatasetFormat } from '../../../src/protocol/datasets/table.js';
import { BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../../errors.js';
import type { ServerFeature } from '../../services.js';
import { idempotencyKeyFrom, requestFingerprint } from '../idempotency.js';
import { listBody } from '../list-page.js';
import { pageParams, stringQuery } from '../params.js';

type Dataset = components['schemas']['Dataset'];

const formats: Record<string, DatasetFormat> = { 'text/csv': 'csv', 'application/x-ndjson': 'jsonl' };
/** What `curl -d`/`--data-binary` sends when no content type is given: read as CSV or JSONL by looking at it. */
const formContentType = 'application/x-www-form-urlencoded';
const rawTypes = [...Object.keys(formats), formContentType];

/** The format of an upload sent as a form: JSONL when its first character is `{`, else CSV. */
function sniffFormat(body: Buffer): DatasetFormat {
  const text = body
    .subarray(0, 64)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (!/[\r\n]/.test(body.toString('utf8').trimEnd())) {
    throw new BadRequestError(
      'invalid_input',
      `body: the upload is one line with no line breaks, as \`curl -d @file\` makes it (it strips newlines); send the file with --data-binary @file -H 'content-type: ${text.startsWith('{') ? 'application/x-ndjson' : 'text/csv'}'`,
    );
  }
  return text.startsWith('{') ? 'jsonl' : 'csv';
}

/** POST/GET /v1/datasets, GET/DELETE /v1/datasets/{id}. Uploads are limited by --max-dataset-size, not the body limit. */
export const datasetRoutes: ServerFeature = {
  name: 'datasets',
  async setup(app, { datasets, idempotency, settings }) {
    const maxDatasetSize = settings.maxDatasetSize;
    // Own scope: uploads are read as raw bytes (so invalid UTF-8 is reported, not replaced) up to their own limit.
    await app.register(async (scope) => {
      scope.removeContentTypeParser(rawTypes);
      scope.addContentTypeParser(rawTypes, (request, payload, done) => {
        const declared = Number(request.headers['content-length']);
        if (declared > maxDatasetSize) {
          done(new PayloadTooLargeError('Dataset', declared, maxDatasetSize, '--max-dataset-size'), undefined);
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        let failed = false;
        payload.on('data', (chunk: Buffer) => {
          if (failed) return;
          size += chunk.length;
          if (size > maxDatasetSize) {
            failed = true;
            done(new PayloadTooLargeError('Dataset', undefined, maxDatasetSize, '--max-dataset-size'), undefined);
            return;
          }
          chunks.push(chunk);
        });
        payload.on('end', () => {
          if (!failed) done(null, Buffer.concat(chunks, size));
        });
        payload.on('error', (err) => {
          if (!failed) done(err, undefined);
          failed = true;
        });
      });

      scope.post('/v1/datasets', async (request, reply) => {
        const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        const body = request.body;
        if (!Buffer.isBuffer(body) || !(type in formats || type === formContentType)) {
          throw new UnsupportedMediaTypeError(request.headers['content-type'], Object.keys(formats));
        }
        if (body.length === 0) {
          const what = formats[type]?.toUpperCase() ?? 'CSV or JSONL';
          throw new BadRequestError('invalid_input', `body: expected the ${what} file, got 0 bytes`);
        }
        const format = formats[type] ?? sniffFormat(body);
        const name = stringQuery(request.query, 'name', 256) ?? null;
        const key = idempotencyKeyFrom(request.headers);
        const fingerprint = requestFingerprint(['createDataset', format, name ?? '', body]);
        const result = await idempotency.run<Dataset>('createDataset', key, fingerprint, async () => ({
          status: 201,
          body: await datasets.create(body, format, name),
        }));
        if (result.replayed) reply.header('idempotent-replayed', 'true');
        return reply.code(result.status).send(result.body);
      });

      scope.get('/v1/datasets', async (request) =>
        listBody(await datasets.list(pageParams(request.query)), (dataset) => dataset.id),
      );
      scope.get('/v1/datasets/:dataset_id', async (request) => datasets.retrieve(datasetId(request.params)));
      scope.delete('/v1/datasets/:dataset_id', async (request) => datasets.delete(datasetId(request.params)));
    });
  },
};

function datasetId(params: unknown): string {
  return (params as { dataset_id: string }).dataset_id;
}
