import { MissingPeerError } from '../peers.js';
import { requireServerPeers } from '../server-peers.js';
import { loadSettings, type SettingKey, SettingsError, settingSpecs } from '../settings.js';
import { type CliCommand, EXIT } from './command.js';
import { parseSettingsFlags, settingsCommandHelp } from './settings-flags.js';

/** The settings a worker uses; the serving ones do not apply. */
const workerKeys: SettingKey[] = [
  'database',
  'queue',
  'maxConcurrentJobs',
  'jobLease',
  'dataDir',
  'modelRepository',
  'createRepository',
  'logLevel',
];
const specs = settingSpecs.filter((s) => workerKeys.includes(s.key));

const help = () =>
  settingsCommandHelp(
    `Usage: maas worker --database URL --queue URL [options]

Trains the jobs that 'maas serve' replicas queue: takes them from pg-boss in the shared PostgreSQL database, up to
--max-concurrent-jobs at a time, records epochs and checkpoints in the database, and writes each trained model as the
next version into the shared model repository, where every replica serves it. Run any number, on any machine that
mounts --data-dir and --model-repository at the same paths as the replicas. A worker that dies mid-job leaves the job
to another, which resumes it from its last checkpoint after --job-lease. Prints "worker ready" when it takes jobs.
SIGTERM/SIGINT: stops its runs and hands the jobs back (another worker resumes them at once), exit 0.`,
    specs,
  );

export const workerCommand: CliCommand = {
  summary: 'Train queued jobs for a group of replicas sharing a PostgreSQL database',
  async run(args) {
    const values = parseSettingsFlags('worker', args, help, specs);
    if (typeof values === 'number') return values;
    const fail = (err: unknown): number => {
      if (err instanceof SettingsError) {
        process.stderr.write(`maas worker: ${err.message}\n`);
        return EXIT.usage;
      }
      if (err instanceof MissingPeerError) {
        process.stderr.write(`maas worker: ${err.message}\n`);
        return EXIT.failed;
      }
      process.stderr.write(`maas worker: cannot start: ${(err as Error).message}\n`);
      return EXIT.failed;
    };
    let worker: Awaited<ReturnType<typeof import('../worker-app.js').startWorker>>;
    try {
      const settings = loadSettings({ flags: values });
      await requireServerPeers({ ...settings, http: false });
      const { startWorker } = await import('../worker-app.js');
      worker = await startWorker(settings);
    } catch (err) {
      return fail(err);
    }
    const exited = new Promise<number>((resolve) => {
      const stop = (signal: NodeJS.Signals) => {
        process.stderr.write(`maas worker: ${signal}, handing its jobs back\n`);
        worker.close().then(
          () => resolve(EXIT.ok),
          () => resolve(EXIT.failed),
        );
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
    process.stdout.write(`worker ready: ${worker.name}, ${worker.settings.maxConcurrentJobs} at a time\n`);
    return exited;
  },
};
