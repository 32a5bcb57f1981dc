// The body of POST /v1/models/{model}/versions/{version}/evaluate: its shape (400 invalid_input, every field at once).
// Whether the dataset fits the model is each side's check (the server runs the model; the mock reads its signature).
import type { components } from '../generated/openapi.js';
import { FieldIssues } from './field-issues.js';
import { MODEL_VERSION_PATTERN } from './model-names.js';
import { object, ShapeChecker } from './shape-checker.js';

export type EvaluateRequest = components['schemas']['EvaluateRequest'];

export function checkEvaluateBody(body: unknown): EvaluateRequest {
  const issues = new FieldIssues();
  const b = object(issues, body, 'body');
  if (b) {
    const c = new ShapeChecker(issues, b, '');
    c.closed(['dataset', 'target', 'features', 'compare_to']);
    c.string('dataset', true);
    c.string('target', true);
    c.names('features');
    if (b.compare_to !== undefined && (typeof b.compare_to !== 'string' || !MODEL_VERSION_PATTERN.test(b.compare_to))) {
      c.invalid('compare_to', 'a version such as "1"', b.compare_to);
    }
  }
  issues.throwIfAny(400, 'invalid_input');
  return body as EvaluateRequest;
}
