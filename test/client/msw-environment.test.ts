// An app test on maas/msw needs no client option: msw intercepts only the global fetch, so the default Node transport
// sends through fetch while msw listens (mswjs/msw#2180), and says what to pass when it cannot.
import { setupServer } from 'msw/node';
import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { APIConnectionError, MaasClient } from '../../src/index.js';
import { fetchIsIntercepted } from '../../src/internal/transport.js';
import { createMaasHandlers } from '../../src/msw/index.js';

// Port 9 (discard) on loopback refuses connections: a request that escapes msw fails at once.
const baseUrl = 'http://127.0.0.1:9';
let close: (() => void) | undefined;
afterEach(() => {
  close?.();
  close = undefined;
});

function listen(): void {
  const server = setupServer(...createMaasHandlers({ baseUrl, clock: false }).handlers);
  server.listen({ onUnhandledRequest: 'error' });
  close = () => server.close();
}

describe('MaasClient under msw', () => {
  it('reaches the msw handlers with the default options, whether built before or after listen()', async () => {
    const before = new MaasClient({ baseUrl, maxRetries: 0 });
    expect(fetchIsIntercepted()).toBe(false);
    listen();
    expect(fetchIsIntercepted()).toBe(true);
    const after = new MaasClient({ baseUrl, maxRetries: 0 });
    for (const client of [before, after]) {
      const result = await client.models.infer('multi_io', {
        inputs: {
          ids: { data: new BigInt64Array([1n, 2n, 3n]), shape: [1, 3] },
          mask: { data: [true, false, true], shape: [1, 3] },
          text: { data: ['héllo'], shape: [1] },
        },
      });
      expect(Array.from(result.output('ids_plus_one').data as BigInt64Array)).toEqual([2n, 3n, 4n]);
      expect(result.output('text_out').data).toEqual(['héllo']);
    }
  });

  it('goes back to undici once msw stops listening', async () => {
    listen();
    close?.();
    close = undefined;
    expect(fetchIsIntercepted()).toBe(false);
    const client = new MaasClient({ baseUrl, maxRetries: 0 });
    await expect(client.server.metadata()).rejects.toBeInstanceOf(APIConnectionError);
    await client.close();
  });

  it('keeps an injected dispatcher, and its connection error says what to pass instead', async () => {
    listen();
    const agent = new Agent();
    const client = new MaasClient({ baseUrl, dispatcher: agent, maxRetries: 0 });
    const error = await client.server.metadata().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toMatch(
      /msw intercepts only the global fetch, and this client sends through the `dispatcher` it was given: drop `dispatcher`, or pass `fetch: globalThis.fetch`/,
    );
    await agent.close();
  });
});
