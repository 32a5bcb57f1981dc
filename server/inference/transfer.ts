import type { Tensor } from '../../src/protocol/tensor.js';

/** Below this, copying a tensor's bytes costs less than thinking about them. */
const SMALL = 64 * 1024;

/**
 * Prepares tensors to cross a thread boundary: returns the tensors to post and the buffers to transfer (moved, not
 * copied). A buffer is moved only when it cannot be shared with anything else: larger than Node's Buffer pool slab
 * (small Buffers are slices of one shared 8 KiB slab; moving it would break every other slice). Small views are
 * copied into their own buffer first, since posting a view clones its whole underlying buffer. After the call, the
 * moved tensors' data must not be used by the caller.
 */
export function prepareForTransfer(tensors: readonly Tensor[]): { tensors: Tensor[]; transfer: ArrayBuffer[] } {
  const transfer = new Set<ArrayBuffer>();
  const out = tensors.map((tensor) => {
    const data = tensor.data;
    if (Array.isArray(data)) return tensor;
    const view = data as ArrayBufferView;
    const buffer = view.buffer;
    if (!(buffer instanceof ArrayBuffer)) return tensor;
    const whole = view.byteOffset === 0 && view.byteLength === buffer.byteLength;
    if (buffer.byteLength > Buffer.poolSize && (whole || view.byteLength >= SMALL)) {
      transfer.add(buffer);
      return tensor;
    }
    if (whole && buffer.byteLength !== Buffer.poolSize) {
      transfer.add(buffer);
      return tensor;
    }
    return { ...tensor, data: (data as Uint8Array).slice() } as Tensor;
  });
  return { tensors: out, transfer: [...transfer] };
}

/** The buffers of freshly made tensors (a worker's outputs): all of them can move. */
export function transferablesOf(tensors: readonly Tensor[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const tensor of tensors) {
    if (Array.isArray(tensor.data)) continue;
    const buffer = (tensor.data as ArrayBufferView).buffer;
    if (buffer instanceof ArrayBuffer && buffer.byteLength > 0) out.add(buffer);
  }
  return [...out];
}
