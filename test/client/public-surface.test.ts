// What `maas` exports, and that every ```ts example in the TSDoc of src/ type-checks against it: each example becomes
// a module of one TypeScript program, with 'maas' and 'maas/msw' mapped to src/ and the free names examples use
// (`client`, `pixels`, …) declared with their types.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const src = join(root, 'src');

/** The public surface: values, then types only. Changing it is a release note. */
const PUBLIC_VALUES = [
  'APIConnectionError',
  'APIError',
  'APIPromise',
  'APITimeoutError',
  'APIUserAbortError',
  'AuthenticationError',
  'BadRequestError',
  'ConflictError',
  'InferResult',
  'InternalServerError',
  'InvalidInputError',
  'InvalidResponseError',
  'MaasClient',
  'MaasError',
  'JobEventStream',
  'NotFoundError',
  'OptimizationJobEventStream',
  'Page',
  'PagePromise',
  'PayloadTooLargeError',
  'PermissionDeniedError',
  'RateLimitError',
  'ServiceUnavailableError',
  'TrainingJobEventStream',
  'UnprocessableEntityError',
  'VERSION',
  'isTerminalStatus',
];
const PUBLIC_TYPES = [
  'Architecture',
  'BackoffPolicy',
  'ClientOptions',
  'ColumnarPredictParams',
  'ColumnarPredictResponse',
  'Dataset',
  'DatasetBody',
  'DatasetColumn',
  'DatasetCreateParams',
  'DatasetDeleted',
  'DatasetFormat',
  'DatasetList',
  'DatasetListParams',
  'DatasetsResource',
  'Datatype',
  'DistillMethod',
  'EarlyStopping',
  'EpochMetrics',
  'ErrorBody',
  'ErrorCode',
  'ErrorDetail',
  'EvaluateRequest',
  'EvaluationFigures',
  'EvaluationSpec',
  'FetchLike',
  'FineTune',
  'GateCheck',
  'GateThresholds',
  'GateVerdict',
  'HealthResponse',
  'InferInput',
  'InferParameters',
  'InferParams',
  'InferRequest',
  'InferRequestInput',
  'InferRequestOutput',
  'InferResponse',
  'InferResponseOutput',
  'JobsResource',
  'LatencyFigures',
  'ListEnvelope',
  'Logger',
  'Model',
  'ModelBytes',
  'ModelConfig',
  'ModelConfigTensor',
  'ModelEvaluation',
  'ModelEvent',
  'ModelEventList',
  'ModelEventListParams',
  'ModelList',
  'ModelListParams',
  'ModelMetadata',
  'ModelName',
  'ModelReadyResponse',
  'ModelState',
  'ModelStatistics',
  'ModelStatisticsResponse',
  'ModelUpdateRequest',
  'ModelUploadParams',
  'ModelVersion',
  'ModelVersionDeleted',
  'ModelsResource',
  'NestedArray',
  'OipParameters',
  'OptimizationJob',
  'OptimizationJobCreateRequest',
  'OptimizationJobEvent',
  'OptimizationJobEventList',
  'OptimizationJobEventListParams',
  'OptimizationJobList',
  'OptimizationJobListParams',
  'OptimizationJobStage',
  'OptimizationJobsResource',
  'OptimizationMethod',
  'OptimizationReport',
  'Optimizer',
  'PredictRequest',
  'PredictResponse',
  'PruneMethod',
  'QuantizeMethod',
  'RepositoryActionResponse',
  'RepositoryIndexEntry',
  'RepositoryIndexParams',
  'RepositoryIndexRequest',
  'RepositoryModelRequest',
  'RepositoryResource',
  'RequestOptions',
  'ResponseInfo',
  'RollbackGuard',
  'RoutingParams',
  'RowPredictParams',
  'RowPredictResponse',
  'ServerMetadata',
  'ServerResource',
  'Shadow',
  'ShadowReport',
  'StatDuration',
  'StreamOptions',
  'Tensor',
  'TensorData',
  'TensorMetadata',
  'TensorParameters',
  'TensorValues',
  'TfServingVersionStatus',
  'TrafficWeight',
  'TrainingHyperparameters',
  'TrainingJob',
  'TrainingJobCreateRequest',
  'TrainingJobError',
  'TrainingJobEvent',
  'TrainingJobEventList',
  'TrainingJobEventListParams',
  'TrainingJobEventType',
  'TrainingJobList',
  'TrainingJobListParams',
  'TrainingJobResult',
  'TrainingJobStatus',
  'TrainingJobsResource',
  'TypedArray',
  'VersionParams',
  'WaitOptions',
  'WireDatatype',
  'WithResponse',
];

/** Names the examples use without defining them, and what they stand for. */
const AMBIENT: Record<string, string> = {
  client: 'MaasClient',
  result: 'InferResult',
  pixels: 'Float32Array',
  bytes: 'Uint8Array',
  csvText: 'string',
  inputs: "InferParams['inputs']",
  ds: 'Dataset',
  job: 'TrainingJob',
  page: 'Page<Dataset>',
  ac: 'AbortController',
  name: 'string',
  version: 'number',
};
const AMBIENT_VALUES: Record<string, string> = {
  readFile: "import { readFile } from 'node:fs/promises';",
  path: "import { path } from './src/internal/request-core.js';",
};

interface Example {
  file: string;
  line: number;
  code: string;
}

function examples(): Example[] {
  const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter(
    (f) => f.endsWith('.ts') && !f.startsWith('generated'),
  );
  const found: Example[] = [];
  for (const file of files) {
    const text = readFileSync(join(src, file), 'utf8');
    for (const comment of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
      for (const block of comment[0].matchAll(/```ts\n([\s\S]*?)```/g)) {
        const code = block[1]!
          .split('\n')
          .map((l) => l.replace(/^\s*\* ?/, ''))
          .join('\n');
        const offset = (comment.index ?? 0) + (block.index ?? 0);
        found.push({ file: join('src', file), line: text.slice(0, offset).split('\n').length, code });
      }
    }
  }
  return found;
}

/** Top-level names a snippet declares or imports itself. */
function declaredNames(code: string): Set<string> {
  const sf = ts.createSourceFile('x.ts', code, ts.ScriptTarget.ES2022, true);
  const names = new Set<string>();
  const bind = (name: ts.BindingName) => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const el of name.elements) if (!ts.isOmittedExpression(el)) bind(el.name);
  };
  for (const st of sf.statements) {
    if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) bind(d.name);
    else if (ts.isImportDeclaration(st)) {
      const clause = st.importClause;
      if (clause?.name) names.add(clause.name.text);
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) for (const el of bindings.elements) names.add(el.name.text);
    } else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name) names.add(st.name.text);
  }
  return names;
}

function program(files: Map<string, string>): ts.Program {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    noUncheckedIndexedAccess: true,
    types: ['node'],
    skipLibCheck: true,
    baseUrl: root,
    paths: { maas: ['src/index.ts'], 'maas/msw': ['src/msw/index.ts'], 'maas/grpc': ['src/grpc/index.ts'] },
  };
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  const exists = host.fileExists.bind(host);
  host.readFile = (f) => files.get(f) ?? read(f);
  host.fileExists = (f) => files.has(f) || exists(f);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (f, lang, ...rest) =>
    files.has(f) ? ts.createSourceFile(f, files.get(f)!, lang) : getSourceFile(f, lang, ...rest);
  return ts.createProgram([...files.keys(), join(src, 'index.ts')], options, host);
}

const all = examples();
const virtual = new Map<string, string>();
all.forEach((example, i) => {
  const own = declaredNames(example.code);
  // Every public name is in scope (examples name NotFoundError, Model, … without importing them), except the ones the
  // example imports or declares itself.
  const values = PUBLIC_VALUES.filter((v) => !own.has(v));
  const types = PUBLIC_TYPES.filter((t) => !own.has(t) && !PUBLIC_VALUES.includes(t));
  const lines = [`import { ${values.join(', ')} } from 'maas';`, `import type { ${types.join(', ')} } from 'maas';`];
  for (const [name, imp] of Object.entries(AMBIENT_VALUES)) if (!own.has(name)) lines.push(imp);
  // `let`: some examples reassign them (`page = await page.nextPage()`).
  for (const [name, type] of Object.entries(AMBIENT)) if (!own.has(name)) lines.push(`declare let ${name}: ${type};`);
  lines.push('export {};', '// ---- example ----', example.code);
  virtual.set(join(root, `__tsdoc_example_${i}.ts`), lines.join('\n'));
});

// One program for both tests: building it (src/ and its types) is most of the time.
let shared: ts.Program | undefined;
const checked = () => {
  shared ??= program(virtual);
  return shared;
};

describe('the public surface of maas', () => {
  it('is exactly the exports listed here (values and types)', async () => {
    const runtime = Object.keys(await import('../../src/index.js')).sort();
    expect(runtime).toEqual([...PUBLIC_VALUES].sort());
    const p = checked();
    const checker = p.getTypeChecker();
    const index = p.getSourceFile(join(src, 'index.ts'))!;
    const exported = checker
      .getExportsOfModule(checker.getSymbolAtLocation(index)!)
      .map((s) => s.name)
      .sort();
    expect(exported).toEqual([...new Set([...PUBLIC_VALUES, ...PUBLIC_TYPES])].sort());
  }, 60_000);

  it(`has TSDoc examples that type-check (${all.length} of them)`, () => {
    expect(all.length).toBeGreaterThan(50);
    const p = checked();
    const problems: string[] = [];
    virtual.forEach((text, file) => {
      const sf = p.getSourceFile(file)!;
      const start = text.indexOf('// ---- example ----');
      const index = Number(/__tsdoc_example_(\d+)/.exec(file)![1]);
      const example = all[index]!;
      for (const d of [...p.getSyntacticDiagnostics(sf), ...p.getSemanticDiagnostics(sf)]) {
        const at = d.start ?? 0;
        const line = at > start ? text.slice(start, at).split('\n').length - 1 : 0;
        const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
        problems.push(`${relative(root, join(root, example.file))}:${example.line + line}: ${message}`);
      }
    });
    expect(problems).toEqual([]);
  }, 60_000);
});
