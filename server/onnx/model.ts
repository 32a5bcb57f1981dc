// GraphBuilder → ModelProto → bytes. Fixed IR version and explicit opset imports, so the same graph always
// serializes to the same bytes (the demo models are committed and checked for that).
import onnxProto, { type onnx } from 'onnx-proto';
import type { GraphBuilder } from './builder.js';

const { ModelProto } = onnxProto.onnx;

/** IR version 8 (ONNX 1.10): what onnx-proto 8 describes and any ONNX Runtime ≥ 1.10 loads. */
export const IR_VERSION = 8;
export const DEFAULT_OPSET = 13;

export interface ModelOptions {
  /** Opset of the standard ONNX domain; default 13. */
  opset?: number;
  /** Versions for other operator domains, e.g. `{ 'com.example': 1 }`; a used domain not listed gets version 1. */
  opsetImports?: Record<string, number>;
  /** producer_name; default 'maas'. */
  producer?: string;
  producerVersion?: string;
  /** The model's own namespace (ModelProto.domain), e.g. 'ai.maas'. */
  domain?: string;
  modelVersion?: number;
  docString?: string;
  /** metadata_props, written in key order. */
  metadata?: Record<string, string>;
}

function opsetImports(graph: GraphBuilder, options: ModelOptions): onnx.IOperatorSetIdProto[] {
  const versions = new Map<string, number>([['', options.opset ?? DEFAULT_OPSET]]);
  for (const [domain, version] of Object.entries(options.opsetImports ?? {})) versions.set(domain, version);
  for (const domain of graph.domains) if (!versions.has(domain) && domain !== 'ai.onnx') versions.set(domain, 1);
  return [...versions].map(([domain, version]) => ({ domain, version }));
}

export function buildModelProto(graph: GraphBuilder, options: ModelOptions = {}): onnx.ModelProto {
  const model: onnx.IModelProto = {
    irVersion: IR_VERSION,
    opsetImport: opsetImports(graph, options),
    producerName: options.producer ?? 'maas',
    graph: graph.toGraphProto(),
  };
  if (options.producerVersion) model.producerVersion = options.producerVersion;
  if (options.domain) model.domain = options.domain;
  if (options.modelVersion !== undefined) model.modelVersion = options.modelVersion;
  if (options.docString) model.docString = options.docString;
  if (options.metadata) {
    model.metadataProps = Object.keys(options.metadata)
      .sort()
      .map((key) => ({ key, value: options.metadata![key]! }));
  }
  return ModelProto.create(model);
}

/** The model's protobuf bytes, as a plain Uint8Array that owns its buffer (not a slice of a Buffer pool). */
export function serializeModel(graph: GraphBuilder, options?: ModelOptions): Uint8Array {
  return new Uint8Array(ModelProto.encode(buildModelProto(graph, options)).finish());
}

/** Decodes model bytes (for tests and for reading metadata back); throws on malformed protobuf. */
export function parseModel(bytes: Uint8Array): onnx.ModelProto {
  return ModelProto.decode(bytes);
}

/** metadata_props as a plain object. */
export function modelMetadata(model: onnx.IModelProto): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { key, value } of model.metadataProps ?? []) if (key) out[key] = value ?? '';
  return out;
}
