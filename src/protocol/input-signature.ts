// What an infer request sends, checked against the model's declared inputs and outputs (names, datatypes, shapes).
// Shared by the server's data plane and the msw mock, so both reject a request with the same 400 body.
import { ContractError, type ErrorCode } from './contract-error.js';
import { elementCount, formatShape, type Tensor } from './tensor.js';

/** A model's declared tensor: OIP `{ name, datatype, shape }`, -1 marking a dynamic dimension. */
export interface TensorSignature {
  readonly name: string;
  readonly datatype: string;
  readonly shape: readonly number[];
}

const badRequest = (code: ErrorCode, message: string) => new ContractError(400, code, message);
const quoteList = (names: readonly string[]) => names.map((n) => `'${n}'`).join(', ');

function shapeFits(shape: readonly number[], expected: readonly number[]): boolean {
  if (shape.length !== expected.length) return false;
  for (let i = 0; i < shape.length; i++) {
    const want = expected[i]!;
    if (want !== -1 && shape[i] !== want) return false;
  }
  return true;
}

function findByName<T extends { readonly name: string }>(list: readonly T[], name: string): T | undefined {
  for (let i = 0; i < list.length; i++) if (list[i]!.name === name) return list[i];
  return undefined;
}

/**
 * Checks every input by name, datatype, shape and value count, and returns them in the model's input order.
 * Throws ContractError (400 `invalid_input`, `datatype_mismatch` or `input_shape_mismatch`) naming the input,
 * what the model expects and what came.
 */
export function checkInputs(model: string, specs: readonly TensorSignature[], inputs: readonly Tensor[]): Tensor[] {
  const ordered = new Array<Tensor | undefined>(specs.length);
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i]!;
    const field = `inputs[${i}]`;
    const at = specs.findIndex((s) => s.name === input.name);
    const spec = specs[at];
    if (!spec) {
      throw badRequest(
        'invalid_input',
        `${field}: model '${model}' has no input '${input.name}'; its inputs are ${quoteList(specs.map((s) => s.name))}`,
      );
    }
    if (ordered[at] !== undefined) throw badRequest('invalid_input', `${field}: input '${input.name}' is given twice`);
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
    const elements = elementCount(input.shape);
    if (input.data.length !== elements) {
      throw badRequest(
        'invalid_input',
        `${field}: input '${input.name}' has ${input.data.length} values; shape ${formatShape(input.shape)} needs ${elements}`,
      );
    }
    ordered[at] = input;
  }
  const missing = specs.filter((_, i) => ordered[i] === undefined);
  if (missing.length > 0) {
    throw badRequest(
      'invalid_input',
      `inputs: missing ${quoteList(missing.map((s) => s.name))}; model '${model}' takes ${specs
        .map((s) => `'${s.name}' ${s.datatype} ${formatShape(s.shape)}`)
        .join(', ')}`,
    );
  }
  return ordered as Tensor[];
}

/** Checks requested output names against the model's outputs (each known, none twice); returns them in order. */
export function checkOutputNames(model: string, specs: readonly TensorSignature[], names: readonly string[]): string[] {
  const seen = new Set<string>();
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    if (!findByName(specs, name)) {
      throw badRequest(
        'invalid_input',
        `outputs[${i}]: model '${model}' has no output '${name}'; its outputs are ${quoteList(specs.map((s) => s.name))}`,
      );
    }
    if (seen.has(name)) throw badRequest('invalid_input', `outputs[${i}]: output '${name}' is requested twice`);
    seen.add(name);
  }
  return [...names];
}
