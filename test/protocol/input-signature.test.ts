import { describe, expect, it } from 'vitest';
import { ContractError } from '../../src/protocol/contract-error.js';
import { checkInputs, checkOutputNames, type TensorSignature } from '../../src/protocol/input-signature.js';
import type { Tensor } from '../../src/protocol/tensor.js';

// One rule for the server's data plane and the msw mock: these messages are what both send (the contract suite
// checks the two targets agree; here each branch is pinned).
const specs: TensorSignature[] = [
  { name: 'x', datatype: 'FP32', shape: [-1, 3] },
  { name: 'mask', datatype: 'BOOL', shape: [2] },
];
const x = (shape = [2, 3], data: Tensor['data'] = new Float32Array(6)): Tensor => ({
  name: 'x',
  datatype: 'FP32',
  shape,
  data,
});
const mask: Tensor = { name: 'mask', datatype: 'BOOL', shape: [2], data: new Uint8Array([1, 0]) };

function rejection(run: () => unknown): { status: number; code: string; message: string } {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ContractError);
    const e = err as ContractError;
    return { status: e.status, code: e.code, message: e.message };
  }
  throw new Error('expected a rejection');
}

describe('checkInputs', () => {
  it('returns the inputs in the model order, whatever order they came in', () => {
    const ordered = checkInputs('m', specs, [mask, x()]);
    expect(ordered.map((t) => t.name)).toEqual(['x', 'mask']);
    expect(ordered[1]).toBe(mask);
  });

  it('names an unknown input and lists the model inputs', () => {
    expect(rejection(() => checkInputs('m', specs, [{ ...mask, name: 'y' }]))).toEqual({
      status: 400,
      code: 'invalid_input',
      message: "inputs[0]: model 'm' has no input 'y'; its inputs are 'x', 'mask'",
    });
  });

  it('rejects an input given twice', () => {
    expect(rejection(() => checkInputs('m', specs, [x(), mask, x()])).message).toBe(
      "inputs[2]: input 'x' is given twice",
    );
  });

  it('names a datatype mismatch', () => {
    const wrong: Tensor = { name: 'mask', datatype: 'UINT8', shape: [2], data: new Uint8Array(2) };
    expect(rejection(() => checkInputs('m', specs, [x(), wrong]))).toEqual({
      status: 400,
      code: 'datatype_mismatch',
      message: "inputs[1]: input 'mask' has datatype UINT8; model 'm' expects BOOL",
    });
  });

  it('accepts any size at -1 and names a shape mismatch elsewhere', () => {
    expect(checkInputs('m', specs, [x([5, 3], new Float32Array(15)), mask])[0]!.shape).toEqual([5, 3]);
    expect(rejection(() => checkInputs('m', specs, [x([2, 4], new Float32Array(8)), mask]))).toEqual({
      status: 400,
      code: 'input_shape_mismatch',
      message: "inputs[0]: input 'x' has shape [2,4]; model 'm' expects [-1,3] (-1 = any size)",
    });
    expect(rejection(() => checkInputs('m', specs, [x([6], new Float32Array(6)), mask])).code).toBe(
      'input_shape_mismatch',
    );
  });

  it('rejects data that does not fill the shape', () => {
    expect(rejection(() => checkInputs('m', specs, [x([2, 3], new Float32Array(5)), mask]))).toEqual({
      status: 400,
      code: 'invalid_input',
      message: "inputs[0]: input 'x' has 5 values; shape [2,3] needs 6",
    });
  });

  it('lists the missing inputs with what the model takes', () => {
    expect(rejection(() => checkInputs('m', specs, [x()])).message).toBe(
      "inputs: missing 'mask'; model 'm' takes 'x' FP32 [-1,3], 'mask' BOOL [2]",
    );
  });
});

describe('checkOutputNames', () => {
  const outputs: TensorSignature[] = [
    { name: 'probabilities', datatype: 'FP32', shape: [-1, 10] },
    { name: 'label', datatype: 'INT64', shape: [-1] },
  ];

  it('returns the names as requested', () => {
    expect(checkOutputNames('m', outputs, ['label', 'probabilities'])).toEqual(['label', 'probabilities']);
  });

  it('names an unknown output and lists the model outputs', () => {
    expect(rejection(() => checkOutputNames('m', outputs, ['label', 'logits']))).toEqual({
      status: 400,
      code: 'invalid_input',
      message: "outputs[1]: model 'm' has no output 'logits'; its outputs are 'probabilities', 'label'",
    });
  });

  it('rejects an output requested twice', () => {
    expect(rejection(() => checkOutputNames('m', outputs, ['label', 'label'])).message).toBe(
      "outputs[1]: output 'label' is requested twice",
    );
  });
});
