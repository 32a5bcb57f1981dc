// Model names and versions reach the filesystem, so they are checked before anything else happens with them. The rule
// is shared with the msw mock (src/protocol/model-names.ts); here its rejections become MaasServerErrors.
import {
  checkModelVersion,
  checkModelName as checkName,
  isValidModelName,
  MODEL_NAME_PATTERN,
  parseModelVersion,
} from '../../src/protocol/model-names.js';
import { asServerError } from '../errors.js';

export { isValidModelName, MODEL_NAME_PATTERN as modelNamePattern, parseModelVersion as parseVersion };

export function checkModelName(name: string, field = 'model'): string {
  return asServerError(() => checkName(name, field));
}

export function checkVersion(text: string, field = 'version'): number {
  return asServerError(() => checkModelVersion(text, field));
}
