/** The server's heavy runtime packages are optional peers of `maas`; this is how their absence is reported. */
export class MissingPeerError extends Error {
  constructor(readonly packages: string[]) {
    const many = packages.length > 1;
    super(
      `the server needs the optional peer package${many ? 's' : ''} ${packages.join(', ')}; ` +
        `install ${many ? 'them' : 'it'} with: npm install ${packages.join(' ')}`,
    );
    this.name = 'MissingPeerError';
  }
}

function isModuleNotFound(err: unknown, name: string): boolean {
  const e = err as NodeJS.ErrnoException | undefined;
  return (
    (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND') &&
    typeof e.message === 'string' &&
    e.message.includes(`'${name}'`)
  );
}

/** Runs an adapter's dynamic `import()` of a peer, turning "not installed" into a MissingPeerError. */
export async function importPeer<T>(name: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    if (isModuleNotFound(err, name)) throw new MissingPeerError([name]);
    throw err;
  }
}

/** Runs every loader and throws one MissingPeerError naming all the absent peers. */
export async function requirePeers(loaders: Array<() => Promise<unknown>>): Promise<void> {
  const results = await Promise.allSettled(loaders.map((load) => load()));
  const missing: string[] = [];
  for (const result of results) {
    if (result.status === 'fulfilled') continue;
    if (result.reason instanceof MissingPeerError) missing.push(...result.reason.packages);
    else throw result.reason;
  }
  if (missing.length > 0) throw new MissingPeerError(missing);
}
