// A script that starts a server with one model loaded in a worker thread, then closes it with nothing else keeping
// the process alive: `closed` must be printed (a close() that waits on an unref'd thread never settles, and Node
// exits 13 on the unsettled top-level await).
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from '../../../server/app.js';
import { loadSettings } from '../../../server/settings.js';

const dir = mkdtempSync(join(tmpdir(), 'maas-close-alone-'));
mkdirSync(join(dir, 'models', 'k', '1'), { recursive: true });
copyFileSync(
  new URL('../../../examples/models/keras_mlp/1/model.onnx', import.meta.url),
  join(dir, 'models', 'k', '1', 'model.onnx'),
);
const settings = loadSettings({
  flags: { host: '127.0.0.1', port: '0', 'model-repository': join(dir, 'models'), 'data-dir': join(dir, 'data') },
  env: {},
});
const server = await createServer({ ...settings, logLevel: 'silent', grpc: false });
await server.listen();
await server.close();
rmSync(dir, { recursive: true, force: true });
process.stdout.write('closed\n');
