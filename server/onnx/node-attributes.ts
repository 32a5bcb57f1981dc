// Reading a parsed node's attributes (the writing side is attributes.ts).
import type { onnx } from 'onnx-proto';
import { type Int64, int64Number } from './tensor-values.js';

type INodeProto = onnx.INodeProto;

function find(node: INodeProto, name: string): onnx.IAttributeProto | undefined {
  return node.attribute?.find((a) => a.name === name);
}

export function hasAttribute(node: INodeProto, name: string): boolean {
  return find(node, name) !== undefined;
}

/** An INT attribute, or `fallback` when the node does not set it. */
export function intAttribute(node: INodeProto, name: string, fallback: number): number {
  const a = find(node, name);
  return a ? int64Number(a.i as Int64) : fallback;
}

/** A FLOAT attribute, or `fallback`. */
export function floatAttribute(node: INodeProto, name: string, fallback: number): number {
  const a = find(node, name);
  return a ? (a.f ?? 0) : fallback;
}

/** An INTS attribute, or `fallback`. */
export function intsAttribute(node: INodeProto, name: string, fallback: number[] | null = null): number[] | null {
  const a = find(node, name);
  return a ? (a.ints ?? []).map((v) => int64Number(v as Int64)) : fallback;
}

/** A STRINGS attribute as UTF-8 text, or null. */
export function stringsAttribute(node: INodeProto, name: string): string[] | null {
  const a = find(node, name);
  if (!a) return null;
  const utf8 = new TextDecoder();
  return (a.strings ?? []).map((s) => utf8.decode(s));
}
