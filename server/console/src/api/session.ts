// The console's one MaasClient (fetch transport, this origin) and its API key. The key lives in sessionStorage (gone
// when the tab closes, never in localStorage, never in a URL) and goes out only as the SDK's Authorization header.
// Pages subscribe: a new key rebuilds the client and bumps `version`, so every page reloads what it shows.
import { AuthenticationError, MaasClient } from '../../../../src/index.js';
import { API_KEY_ITEM as KEY_ITEM } from './session-keys.js';

type Listener = () => void;

function readKey(): string | null {
  try {
    return sessionStorage.getItem(KEY_ITEM);
  } catch {
    return null; // storage blocked (privacy settings): ask on every load
  }
}

function buildClient(key: string | null): MaasClient {
  return new MaasClient({
    baseUrl: location.origin,
    apiKey: key,
    // The browser's own fetch, looked up per call; the SDK's fetch transport reads bodies and SSE streams with it.
    fetch: (url, init) => globalThis.fetch(url, init),
    maxRetries: 1,
    timeout: 30_000,
  });
}

class Session {
  #key = readKey();
  #client = buildClient(this.#key);
  #version = 0;
  #authProblem: string | null = null;
  readonly #listeners = new Set<Listener>();

  get client(): MaasClient {
    return this.#client;
  }
  /** Bumped whenever the key changes: a dependency of every load. */
  get version(): number {
    return this.#version;
  }
  get hasKey(): boolean {
    return this.#key !== null;
  }
  /** Set when the server refused a call with 401: the key prompt is open while it is. */
  get authProblem(): string | null {
    return this.#authProblem;
  }

  /** Stores (or, with null, forgets) the key and reloads every page's data with it. */
  setKey(key: string | null): void {
    this.#key = key?.trim() ? key.trim() : null;
    try {
      if (this.#key) sessionStorage.setItem(KEY_ITEM, this.#key);
      else sessionStorage.removeItem(KEY_ITEM);
    } catch {
      // kept in memory only
    }
    this.#client = buildClient(this.#key);
    this.#authProblem = null;
    this.#version++;
    this.#emit();
  }

  /** The headers of a request the SDK has no method for yet (sent with fetch, same key, same origin). */
  authHeaders(): Record<string, string> {
    return this.#key ? { authorization: `Bearer ${this.#key}` } : {};
  }

  /** Opens the key prompt when `err` is the server's 401; other errors are the page's to show. */
  report(err: unknown): void {
    if (err instanceof AuthenticationError) {
      this.#authProblem = this.#key
        ? 'The server did not accept this API key.'
        : 'This server needs an API key (it was started with --api-key or MAAS_API_KEYS).';
      this.#emit();
    }
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(): void {
    for (const listener of this.#listeners) listener();
  }
}

/** The console's session: its client, key and auth state. */
export const session = new Session();
