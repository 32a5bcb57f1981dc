// Runs the TypeScript training worker inside a worker thread. On Node 20, `--import tsx` in a Worker's execArgv
// is not applied (the worker fails with "Unknown file extension .ts"), but tsx's tsImport works from within it.
import { tsImport } from 'tsx/esm/api';

await tsImport('../../../server/jobs/worker.ts', import.meta.url);
