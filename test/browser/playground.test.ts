// The playground sends one inference from a form generated from the model's metadata; what it shows must be exactly
// what the API returns for the same inputs (read here with the SDK over undici, a different path than the page's).
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { consoleTestEnv, describeInBrowser, type PageProblems, screenshot, watchPage } from './support/browser.js';

describeInBrowser('playground', () => {
  const env = consoleTestEnv();

  const open = async (model: string): Promise<{ page: Page; problems: PageProblems }> => {
    const page = await env.browser.context.newPage();
    const problems = watchPage(page);
    await page.goto(`${env.server.baseUrl}/console/playground/${model}`);
    await page.locator('form.card fieldset.tensor').first().waitFor({ timeout: 20_000 });
    return { page, problems };
  };

  /** The exact values the page shows for an output (its JSON, 64-bit integers as digits). */
  const shown = async (page: Page, output: string): Promise<string> =>
    (await page.getByTestId(`output-${output}`).textContent())!;

  /** Sends the form and waits for the result; a form or server error fails the test with its text. */
  const send = async (page: Page) => {
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('[data-testid=outputs], [role=alert]').first().waitFor({ timeout: 20_000 });
    expect(await page.locator('[role=alert]').allTextContents()).toEqual([]);
  };

  it('iris_classifier: the same probabilities and label as the API, and the latency', async () => {
    const { page, problems } = await open('iris_classifier');
    const row = [5.9, 3.0, 5.1, 1.8];
    for (const [i, v] of row.entries()) await page.getByTestId(`input-${i}`).fill(String(v));
    await send(page);
    const api = await env.client.models.infer('iris_classifier', {
      inputs: { input: { data: new Float32Array(row), shape: [1, 4] } },
    });
    const probabilities = Array.from(api.output('probabilities').data as Float32Array);
    expect(JSON.parse(await shown(page, 'probabilities'))).toEqual(probabilities);
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    const label = (api.output('label').data as string[])[0]!;
    expect(label).toBe('virginica');
    expect(await page.getByTestId('prediction').textContent()).toBe(label);
    expect(await page.getByTestId('latency').textContent()).toMatch(/^\d+(\.\d+)? (µs|ms|s)$/);
    await screenshot(page, 'playground-iris');
    expect(problems.all).toEqual([]);
    await page.close();
  });

  it('keras_mlp: 100 values typed in the text area give the API numbers', async () => {
    const { page, problems } = await open('keras_mlp');
    const values = Array.from({ length: 100 }, (_, i) => Math.round(Math.sin(i) * 1000) / 1000);
    await page.getByTestId('input-values').fill(values.join(', '));
    await send(page);
    const api = await env.client.models.infer('keras_mlp', {
      inputs: { input: { data: new Float32Array(values), shape: [1, 100] } },
    });
    const probabilities = Array.from(api.output('probabilities').data as Float32Array);
    expect(probabilities).toHaveLength(10);
    expect(JSON.parse(await shown(page, 'probabilities'))).toEqual(probabilities);
    // No label output: the page names the most probable class instead.
    const best = probabilities.indexOf(Math.max(...probabilities));
    expect(await page.getByTestId('prediction').textContent()).toMatch(new RegExp(`^class ${best} \\(p = `));
    expect(problems.all).toEqual([]);
    await page.close();
  });

  it('multi_io: INT64 beyond 2^53, BOOL and BYTES round-trip exactly as the API does', async () => {
    const { page, problems } = await open('multi_io');
    const ids = [1n, -7n, 9007199254740993n];
    for (const [i, v] of ids.entries()) await page.getByTestId(`ids-${i}`).fill(String(v));
    const checks = page.locator('fieldset[data-input=mask] input[type=checkbox]');
    await checks.nth(0).check();
    await checks.nth(2).check();
    await page.getByTestId('text-0').fill('héllo wörld');
    await send(page);
    const api = await env.client.models.infer('multi_io', {
      inputs: {
        ids: { data: new BigInt64Array(ids), shape: [1, 3] },
        mask: { data: [true, false, true], shape: [1, 3], datatype: 'BOOL' },
        text: { data: ['héllo wörld'], shape: [1] },
      },
    });
    const plusOne = Array.from(api.output('ids_plus_one').data as BigInt64Array);
    expect(plusOne).toEqual([2n, -6n, 9007199254740994n]);
    expect(await shown(page, 'ids_plus_one')).toBe(`[${plusOne.join(',')}]`);
    const maskNot = Array.from(api.output('mask_not').data as Uint8Array, (b) => b === 1);
    expect(JSON.parse(await shown(page, 'mask_not'))).toEqual(maskNot);
    expect(JSON.parse(await shown(page, 'text_out'))).toEqual(api.output('text_out').data);
    expect(await shown(page, 'count')).toBe(`[${Array.from(api.output('count').data as BigInt64Array).join(',')}]`);
    await screenshot(page, 'playground-multi-io');
    expect(problems.all).toEqual([]);
    await page.close();
  });

  it('names the input and element of a value that does not fit, and sends nothing', async () => {
    const { page, problems } = await open('iris_classifier');
    let inferRequests = 0;
    page.on('request', (r) => {
      if (r.url().endsWith('/infer')) inferRequests++;
    });
    for (const [i, v] of ['1', '2', 'abc', '4'].entries()) await page.getByTestId(`input-${i}`).fill(v);
    await page.getByRole('button', { name: 'Send' }).click();
    expect(await page.getByTestId('form-error').textContent()).toBe(
      'input: element 2: expected a number (FP32), got "abc"',
    );
    expect(inferRequests).toBe(0);
    // A shape the model does not take is named too.
    await page.locator('#in-input-shape').fill('1, 5');
    await page.getByRole('button', { name: 'Send' }).click();
    expect(await page.getByTestId('form-error').textContent()).toBe(
      'input: shape: dimension 1 is fixed at 4 by the model, got 5',
    );
    expect(problems.all).toEqual([]);
    await page.close();
  });
});
