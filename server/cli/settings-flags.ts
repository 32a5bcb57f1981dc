import { parseArgs } from 'node:util';
import { packageVersion } from '../package-files.js';
import { type SettingSpec, settingSpecs, settingsHelp, settingsParseArgsOptions } from '../settings.js';
import { EXIT } from './command.js';

export type SettingsFlags = Record<string, string | boolean | string[] | boolean[] | undefined>;

/** `maas <command>`'s help: the usage text, then the settings' flags and -h/-v. */
export function settingsCommandHelp(usage: string, specs: readonly SettingSpec[] = settingSpecs): string {
  return `${usage}\n\nOptions:\n${settingsHelp(specs)}\n  -h, --help      Show this help.\n  -v, --version   Print the version.\n`;
}

/**
 * Parses a settings command's flags (`maas serve`, `maas worker`). Returns the flags, or the exit code when the
 * command is done already: --help and --version printed (0), or a bad flag reported (2).
 */
export function parseSettingsFlags(
  command: string,
  args: string[],
  help: () => string,
  specs: readonly SettingSpec[] = settingSpecs,
): SettingsFlags | number {
  let values: SettingsFlags;
  try {
    values = parseArgs({
      args,
      options: {
        ...settingsParseArgsOptions(specs),
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    process.stderr.write(`maas ${command}: ${(err as Error).message}\nRun 'maas ${command} --help' for the options.\n`);
    return EXIT.usage;
  }
  if (values.help) {
    process.stdout.write(help());
    return EXIT.ok;
  }
  if (values.version) {
    process.stdout.write(`${packageVersion()}\n`);
    return EXIT.ok;
  }
  return values;
}
