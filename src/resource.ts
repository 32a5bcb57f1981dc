import type { RequestCore } from './core.js';

/** Base of the resource namespaces (`client.models`, …): they only describe requests; the core sends them. */
export abstract class APIResource {
  readonly #core: RequestCore;

  constructor(core: RequestCore) {
    this.#core = core;
  }

  protected get core(): RequestCore {
    return this.#core;
  }
}
