import { formatShape, type Tensor } from '../protocol/tensor.js';
import { badRequest } from './errors.js';
import type { TensorMetadata } from './types.js';

// The data plane's checks of a request against the model (server/inference/data-plane.ts), same messages.

const quoteList = (names: readonly string[]) => names.map((n) => `'${n}'`).join(', ');

function shapeFits(shape: readonly number[], expected: readonly number[]): boolean {
  if (shape.length !== expected.length) return false;
  return shape.every((d, i) => expected[i] === -1 || expected[i] === d);
}

/** Checks every input by name, datatype and shape; returns them in the model's input order. */
export function checkInputs(model: string, specs: readonly TensorMetadata[], inputs: readonly Tensor[]): Tensor[] {
  const given = new Map<string, Tensor>();
  inputs.forEach((input, i) => {
    const spec = specs.find((s) => s.name === input.name);
    const field = `inputs[${i}]`;
    if (!spec) {
      throw badRequest(
        'invalid_input',
        `${field}: model '${model}' has no input '${input.name}'; its inputs are ${quoteList(specs.map((s) => s.name))}`,
      );
    }
    if (given.has(input.name)) throw badRequest('invalid_input', `${field}: input '${input.name}' is given twice`);
    if (input.datatype !== spec.datatype) {
      throw badRequest(
        'datatype_mismatch',
        `${field}: input '${input.name}' has datatype ${input.datatype}; model '${model}' expects ${spec.datatype}`,
      );
    }
    if (!shapeFits(input.shape, spec.shape)) {
      throw badRequest(
        'input_shape_mismatch',
        `${field}: input '${input.name}' has shape ${formatShape(input.shape)}; model '${model}' expects ${formatShape(spec.shape)} (-1 = any size)`,
      );
    }
    const elements = input.shape.reduce((a, b) => a * b, 1);
    if (input.data.length !== elements) {
      throw badRequest(
        'invalid_input',
        `${field}: input '${input.name}' has ${input.data.length} values; shape ${formatShape(input.shape)} needs ${elements}`,
      );
    }
    given.set(input.name, input);
  });
  const missing = specs.filter((s) => !given.has(s.name));
  if (missing.length > 0) {
    throw badRequest(
      'invalid_input',
      `inputs: missing ${quoteList(missing.map((s) => s.name))}; model '${model}' takes ${specs
        .map((s) => `'${s.name}' ${s.datatype} ${formatShape(s.shape)}`)
        .join(', ')}`,
    );
  }
  return specs.map((s) => given.get(s.name) as Tensor);
}

export function checkOutputNames(model: string, specs: readonly TensorMetadata[], names: readonly string[]): string[] {
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (!specs.some((s) => s.name === name)) {
      throw badRequest(
        'invalid_input',
        `outputs[${i}]: model '${model}' has no output '${name}'; its outputs are ${quoteList(specs.map((s) => s.name))}`,
      );
    }
    if (seen.has(name)) throw badRequest('invalid_input', `outputs[${i}]: output '${name}' is requested twice`);
    seen.add(name);
  });
  return [...names];
}
