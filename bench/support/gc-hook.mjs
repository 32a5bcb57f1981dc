// Preloaded into a server by bench/memory (node --expose-gc --import this-file): on SIGUSR2 it runs a full GC and
// prints one line, `bench:gc {"rss":…,"heapUsed":…,…}`, so memory is read after garbage is gone. Bench-only:
// nothing in the server knows about it.
process.on('SIGUSR2', () => {
  if (typeof globalThis.gc === 'function') {
    globalThis.gc();
    globalThis.gc();
  }
  process.stdout.write(
    `bench:gc ${JSON.stringify({ gc: typeof globalThis.gc === 'function', ...process.memoryUsage() })}\n`,
  );
});
