import { describe, expect, it } from 'vitest';
import { relativeLinks } from './markdown-links.js';

describe('relativeLinks', () => {
  it('finds inline links, images and reference definitions, without fragments', () => {
    const md = [
      'See [`openapi.yaml`](openapi.yaml) and ![logo](./img/logo%20big.png "Logo").',
      'The [notes](docs/protocol.md#errors), [top](#quick-start), [site](https://example.com/x.md).',
      '[ref]: docs/testing.md',
      '[mail]: mailto:someone@example.com',
    ].join('\n');
    expect(relativeLinks(md)).toEqual(['openapi.yaml', 'img/logo big.png', 'docs/protocol.md', 'docs/testing.md']);
  });

  it('ignores what looks like a link inside code', () => {
    const md = 'Use `[a](not-a-link.md)` or\n\n```md\n[b](also-not.md)\n```\n';
    expect(relativeLinks(md)).toEqual([]);
  });
});
