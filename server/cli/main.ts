import { packageVersion } from '../package-files.js';
import { type CliCommand, EXIT } from './command.js';

/** Every subcommand, loaded only when used. Adding one is one line here plus its file in server/cli/. */
export const commands: Record<string, () => Promise<CliCommand>> = {
  serve: async () => (await import('./serve.js')).serveCommand,
  worker: async () => (await import('./worker.js')).workerCommand,
  // Client commands over MaasClient (server/cli/train.ts, jobs.ts, models.ts, predict.ts).
  train: async () => (await import('./train.js')).trainCommand,
  jobs: async () => (await import('./jobs.js')).jobsCommand,
  models: async () => (await import('./models.js')).modelsCommand,
  predict: async () => (await import('./predict.js')).predictCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${packageVersion()}\n`);
    return EXIT.ok;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(await usage());
    return EXIT.ok;
  }
  if (name === undefined) {
    process.stderr.write(`maas: expected a command\n\n${await usage()}`);
    return EXIT.usage;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`maas: unknown command '${name}'\n\n${await usage()}`);
    return EXIT.usage;
  }
  return (await load()).run(rest);
}

async function usage(): Promise<string> {
  const lines = ['Usage: maas <command> [options]', '', 'Commands:'];
  for (const [name, load] of Object.entries(commands)) lines.push(`  ${name.padEnd(10)} ${(await load()).summary}`);
  lines.push('', "Run 'maas <command> --help' for a command's options; 'maas --version' prints the version.", '');
  return lines.join('\n');
}
