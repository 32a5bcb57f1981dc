// What a model says about itself that optimisation needs: its inputs and outputs, and — for a model the server
// trained (see server/training/export-onnx.ts) — the feature columns, categories, task and class labels it wrote
// into metadata_props and its label table.
import type { Datatype } from '../../src/protocol/tensor.js';
import { datatypeOfElemType } from '../onnx/datatypes.js';
import { modelMetadata } from '../onnx/model.js';
import type { ModelGraph } from '../onnx/model-graph.js';
import { type Int64, int64Number, tensorValues } from '../onnx/tensor-values.js';

export interface IoSpec {
  name: string;
  datatype: Datatype | null;
  /** -1 for a dynamic dimension; null when the rank is unknown. */
  shape: number[] | null;
}

export interface ModelLayout {
  inputs: IoSpec[];
  outputs: IoSpec[];
  metadata: Record<string, string>;
  /** metadata `features`: the feature columns in input order, when the model names them. */
  features: string[] | null;
  /** metadata `task`. */
  task: 'classification' | 'regression' | null;
  /** metadata `target`. */
  target: string | null;
  /** Class labels in output order: metadata `labels`, else the constant table a `label` output gathers from. */
  classLabels: number[] | string[] | null;
}

export function readLayout(graph: ModelGraph): ModelLayout {
  const metadata = modelMetadata(graph.model);
  const io = (list: typeof graph.graph.input) =>
    (list ?? [])
      .filter((v) => !graph.constant(v.name ?? ''))
      .map((v): IoSpec => {
        const t = v.type?.tensorType;
        // A decoded dimension owns dim_value only when the file set it (a named or unnamed dynamic one does not).
        const dims = t?.shape ? (t.shape.dim ?? []) : null;
        const shape = dims?.map((d) => (Object.hasOwn(d, 'dimValue') ? int64Number(d.dimValue as Int64) : -1)) ?? null;
        return { name: v.name ?? '', datatype: datatypeOfElemType(t?.elemType ?? 0) ?? null, shape };
      });
  const task = metadata.task === 'classification' || metadata.task === 'regression' ? metadata.task : null;
  return {
    inputs: io(graph.graph.input),
    outputs: io(graph.graph.output),
    metadata,
    features: stringList(metadata.features),
    task,
    target: metadata.target ?? null,
    classLabels: labelList(metadata.labels) ?? gatheredLabels(graph),
  };
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function stringList(text: string | undefined): string[] | null {
  const v = parseJson(text);
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : null;
}

function labelList(text: string | undefined): number[] | string[] | null {
  const v = parseJson(text);
  if (!Array.isArray(v) || v.length === 0) return null;
  if (v.every((x) => typeof x === 'number')) return v as number[];
  if (v.every((x) => typeof x === 'string')) return v as string[];
  return null;
}

/** The labels of a `Gather(constant table, ArgMax(...))` that produces a graph output, as the server's export has. */
function gatheredLabels(graph: ModelGraph): number[] | string[] | null {
  for (const node of graph.nodes) {
    if (node.opType !== 'Gather' || !graph.isGraphOutput(node.output?.[0] ?? '')) continue;
    const table = graph.constant(node.input?.[0] ?? '');
    if (!table || graph.producer(node.input?.[1] ?? '')?.opType !== 'ArgMax') continue;
    const values = tensorValues(table);
    if (values instanceof BigInt64Array) return Array.from(values, Number);
    if (Array.isArray(values)) return values.map((b) => new TextDecoder().decode(b));
  }
  return null;
}
