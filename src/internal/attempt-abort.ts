// How one attempt is aborted (the caller's signal, the per-attempt timeout, a stream's close) without paying for an
// AbortController per call: undici accepts any EventTarget-like `signal`, so the default transport gets this object
// itself; a real AbortSignal is made only for the transports that need one (fetch, an injected dispatcher).

type Listener = () => void;

export class AttemptAbort {
  aborted = false;
  reason: unknown = undefined;
  #listeners: Listener[] | undefined;
  #controller: AbortController | undefined;

  /** A real AbortSignal that follows this abort (made on first use). */
  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.aborted) this.#controller.abort(this.reason);
    }
    return this.#controller.signal;
  }

  addEventListener(_type: 'abort', listener: Listener): void {
    (this.#listeners ??= []).push(listener);
  }

  removeEventListener(_type: 'abort', listener: Listener): void {
    const listeners = this.#listeners;
    const at = listeners ? listeners.indexOf(listener) : -1;
    if (at >= 0) listeners!.splice(at, 1);
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.#controller?.abort(reason);
    const listeners = this.#listeners;
    this.#listeners = undefined;
    if (listeners) for (const listener of listeners) listener();
  }
}
