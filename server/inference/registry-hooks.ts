import type { OnnxModel, SessionOptions } from './onnx-model.js';
import type { ModelConfig } from './repository.js';

/** Which version a hook is called for. */
export interface VersionContext {
  name: string;
  version: number;
  config: ModelConfig;
}

/**
 * Where serving features attach to the registry without editing it (`registry.addHooks`): a batcher wraps a
 * loaded model and fails its queue on unload; a warmup runs before READY. Hooks run in the order they were added.
 */
export interface RegistryHooks {
  /**
   * After a version's session opened, before it turns READY. Return the model to serve (the same one, or one that
   * wraps it). A throw leaves the version UNAVAILABLE with the error's message (a failed warmup, say).
   */
  loaded?(model: OnnxModel, context: VersionContext): OnnxModel | Promise<OnnxModel>;
  /**
   * The version stops taking new requests (unload, delete, removal from disk, shutdown). Called before the
   * registry waits for in-flight requests, so work queued for the version can be failed now.
   */
  unloading?(context: VersionContext, reason: string): void;
  /**
   * Versions to keep loaded beyond what the model's version policy selects (a pinned default, labelled or
   * canary versions). Asked on every sync of the model.
   */
  retain?(name: string): Iterable<number>;
}

/** Opens a version's session(s): ONNX Runtime in this thread by default; a worker pool substitutes its own. */
export type ModelOpener = (
  source: string | Uint8Array,
  options: SessionOptions,
  context: { name: string; config: ModelConfig },
) => Promise<OnnxModel>;
