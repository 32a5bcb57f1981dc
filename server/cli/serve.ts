import { MissingPeerError } from '../peers.js';
import { requireServerPeers } from '../server-peers.js';
import { loadSettings, SettingsError } from '../settings.js';
import type { CliCommand } from './command.js';
import { modelTable } from './model-table.js';
import { parseSettingsFlags, settingsCommandHelp } from './settings-flags.js';

const help = () =>
  settingsCommandHelp(`Usage: maas serve [options]

Serves the ONNX models of a Triton-layout repository over Open Inference Protocol v2 (JSON and binary tensors),
TensorFlow Serving's REST predict, and the MaaS models API; and inference.GRPCInferenceService (KServe v2 /
Triton gRPC) on --grpc-port. Prints one line, "listening on http://HOST:PORT (gRPC HOST:PORT)", when ready. SIGTERM/SIGINT: readiness turns 503, in-flight requests finish, sessions close, exit 0.`);

export const serveCommand: CliCommand = {
  summary: 'Serve a model repository over OIP v2, TF-Serving predict and the MaaS API',
  async run(args) {
    const values = parseSettingsFlags('serve', args, help);
    if (typeof values === 'number') return values;
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
      await requireServerPeers(settings);
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
    const grpc = server.grpcAddress === undefined ? '' : ` (gRPC ${server.grpcAddress})`;
    process.stdout.write(`listening on ${url}${grpc}\n`);
    return exited;
  },
};
