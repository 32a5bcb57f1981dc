// Writes the demo model repository (Triton layout) that `npm start` serves:
//   examples/models/<name>/<version>/model.onnx + examples/models/<name>/config.json
// keras_mlp and multi_io are built by our ONNX builder; iris_classifier is trained (scripts/train-demo-iris.ts).
// Run: npx tsx scripts/make-demo-models.ts. Output is deterministic; test/onnx checks the committed files match.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { mlpModel, multiIoModel } from '../server/onnx/fixtures.js';
import { trainIrisDemo } from './train-demo-iris.js';

export const DEMO_REPOSITORY = resolve(dirname(fileURLToPath(import.meta.url)), '../examples/models');

interface DemoModel {
  name: string;
  version: number;
  description: string;
  bytes: Uint8Array;
  /** More of the model's config.json (Triton fields). */
  config?: Record<string, unknown>;
}

function demoModels(): DemoModel[] {
  const kerasDescription =
    'The classic Keras MLP: 100 inputs → Dense(64, relu) → Dense(64, relu) → Dense(10, softmax); untrained, seed 42.';
  return [
    {
      name: 'keras_mlp',
      version: 1,
      description: kerasDescription,
      bytes: mlpModel({ seed: 42, model: { docString: kerasDescription } }).bytes,
      // Batched: on the server thread, where --session-threads auto puts a model this small, a run's fixed cost
      // (≈ 30 µs) is most of it, so merging concurrent requests into one run saves most of that per request.
      config: { max_batch_size: 64, dynamic_batching: {} },
    },
    {
      name: 'multi_io',
      version: 1,
      description:
        'Mixed datatypes: ids INT64 → ids + 1, mask BOOL → not mask and true count per row, text BYTES → text.',
      bytes: multiIoModel(),
    },
  ];
}

/** Every file of the demo repository, by path relative to it. */
export function demoRepositoryFiles(): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  for (const model of demoModels()) {
    const config = {
      description: model.description,
      version_policy: { latest: { num_versions: 1 } },
      ...model.config,
    };
    files.set(`${model.name}/config.json`, new TextEncoder().encode(`${JSON.stringify(config, null, 2)}\n`));
    files.set(`${model.name}/${model.version}/model.onnx`, model.bytes);
  }
  for (const [path, bytes] of trainIrisDemo().files) files.set(path, bytes);
  return files;
}

export async function writeDemoRepository(root: string = DEMO_REPOSITORY): Promise<string[]> {
  const written: string[] = [];
  for (const [path, bytes] of demoRepositoryFiles()) {
    const target = join(root, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, bytes);
    written.push(target);
  }
  return written;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  for (const path of await writeDemoRepository()) console.log(`wrote ${path}`);
}
