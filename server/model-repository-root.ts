import { cpSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { packageRoot } from './package-files.js';
import { type Settings, SettingsError } from './settings.js';

/** The demo models shipped in the package (`examples/models`): copied, never served in place. */
export const demoModelsSource = () => join(packageRoot(), 'examples', 'models');

/**
 * Makes sure the model repository can be served before anything loads: with `demo`, a copy of the bundled demo
 * models (made once, atomically, so trained versions never land in the package); otherwise the folder must exist,
 * or be created when `createRepository` is on. A mistyped path is a SettingsError naming it.
 */
export function prepareModelRepository(
  settings: Pick<Settings, 'modelRepository' | 'createRepository' | 'demo'>,
): void {
  const dir = settings.modelRepository;
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new SettingsError(`--model-repository ${dir}: not a directory`);
    return;
  }
  if (settings.demo) {
    const tmp = `${dir}.${process.pid}.tmp`;
    mkdirSync(dirname(dir), { recursive: true });
    cpSync(demoModelsSource(), tmp, { recursive: true });
    try {
      renameSync(tmp, dir);
    } catch (err) {
      rmSync(tmp, { recursive: true, force: true });
      if (!existsSync(dir)) throw err; // another process made it first: use theirs
    }
    return;
  }
  if (!settings.createRepository) {
    throw new SettingsError(
      `--model-repository ${dir} does not exist: check the path (or MAAS_MODEL_REPOSITORY), or add --create-repository to start with an empty one`,
    );
  }
  mkdirSync(dir, { recursive: true });
}
