import { parseArgs } from 'node:util';
import { packageVersion } from '../package-files.js';
import { MissingPeerError } from '../peers.js';
import { requireServerPeers } from '../server-peers.js';
import { loadSettings, SettingsError, settingsHelp, settingsParseArgsOptions } from '../settings.js';
import type { CliCommand } from './command.js';
import { modelTable } from './model-table.js';

const help = () => `Usage: maas serve [options]

Serves the ONNX models of a Triton-layout repository over Open Inference Protocol v2 (JSON and binary tensors),
TensorFlow Serving's REST predict, and the MaaS models API. Prints one line, "listening on http://HOST:PORT",
when ready. SIGTERM/SIGINT: readiness turns 503, in-flight requests finish, sessions close, exit 0.

Options:
${settingsHelp()}
  -h, --help      Show this help.
  -v, --version   Print the version.
`;

export const serveCommand: CliCommand = {
  summary: 'Serve a model repository over OIP v2, TF-Serving predict and the MaaS API',
  async run(args) {
    let values: Record<string, string | boolean | string[] | boolean[] | undefined>;
    try {
      values = parseArgs({
        args,
        options: {
          ...settingsParseArgsOptions(),
          help: { type: 'boolean', short: 'h' },
          version: { type: 'boolean', short: 'v' },
        },
        strict: true,
        allowPositionals: false,
      }).values;
    } catch (err) {
      process.stderr.write(`maas serve: ${(err as Error).message}\nRun 'maas serve --help' for the options.\n`);
      return 2;
    }
    if (values.help) {
      process.stdout.write(help());
      return 0;
    }
    if (values.version) {
      process.stdout.write(`${packageVersion()}\n`);
      return 0;
    }
    let settings: ReturnType<typeof loadSettings>;
    try {
      settings = loadSettings({ flags: values });
    } catch (err) {
      if (err instanceof SettingsError) {
        process.stderr.write(`maas serve: ${err.message}\n`);
        return 2;
      }
      throw err;
    }
    try {
      await requireServerPeers();
    } catch (err) {
      if (err instanceof MissingPeerError) {
        process.stderr.write(`maas serve: ${err.message}\n`);
        return 1;
      }
      throw err;
    }

    const { createServer } = await import('../app.js');
    let server: Awaited<ReturnType<typeof createServer>>;
    let url: string;
    try {
      // Listen before the models load: liveness answers at once, readiness says "loading" until they are.
      server = await createServer(settings, { waitForModels: false });
      url = await server.listen();
    } catch (err) {
      if (err instanceof SettingsError) {
        process.stderr.write(`maas serve: ${err.message}\n`);
        return 2;
      }
      process.stderr.write(`maas serve: cannot start: ${(err as Error).message}\n`);
      return 1;
    }
    // Signal handlers first: a supervisor may send SIGTERM the moment it reads the listening line.
    const exited = new Promise<number>((resolve) => {
      let stopping = false;
      const stop = (signal: NodeJS.Signals) => {
        // SIGTERM (Kubernetes, systemd) keeps serving for --drain-delay while readiness is 503, so the load
        // balancer stops sending first; SIGINT (a terminal) drains at once. A second signal skips what is left.
        const drainDelayMs = signal === 'SIGTERM' && !stopping ? settings.drainDelay * 1000 : 0;
        if (stopping) {
          process.stderr.write(`maas serve: ${signal} again, draining now\n`);
          void server.close({ drainDelayMs: 0 });
          return;
        }
        stopping = true;
        process.stderr.write(
          drainDelayMs > 0
            ? `maas serve: ${signal}, not ready; serving ${settings.drainDelay} s more, then finishing in-flight requests\n`
            : `maas serve: ${signal}, finishing in-flight requests\n`,
        );
        server.close({ drainDelayMs }).then(
          () => resolve(0),
          (err: unknown) => {
            process.stderr.write(`maas serve: error while shutting down: ${(err as Error).message}\n`);
            resolve(1);
          },
        );
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
    await server.loaded;
    process.stderr.write(modelTable(settings.modelRepository, server.registry.listModels()));
    process.stderr.write(`console: ${url}/console · API reference: ${url}/docs\n`);
    // "listening" means ready to serve the models: scripts wait for this line.
    process.stdout.write(`listening on ${url}\n`);
    return exited;
  },
};
