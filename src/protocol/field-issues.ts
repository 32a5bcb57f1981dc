import { ContractError, type ErrorCode, type ErrorDetail } from './contract-error.js';

/**
 * Problems of a request body found so far, each `{ field, message }`; thrown together as one error whose message
 * lists them all, so a client fixes every field in one round.
 */
export class FieldIssues {
  readonly list: ErrorDetail[] = [];

  add(field: string, message: string): void {
    this.list.push({ field, message });
  }

  get empty(): boolean {
    return this.list.length === 0;
  }

  throwIfAny(status: 400 | 422, code: ErrorCode): void {
    if (this.list.length === 0) return;
    const message = this.list.map((d) => `${d.field}: ${d.message}`).join('; ');
    throw new ContractError(status, code, message, this.list);
  }
}
