// A refused input (InputError) as its problems, one line each `file:line:field: message`: what the
// tests of imports compare a refusal by.
import { expect } from 'vitest';
import { InputError } from '../../src/domain/errors.js';

export async function refusedProblems(promise: Promise<unknown>): Promise<string[]> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).problems.map((p) => `${p.file ?? ''}:${p.line ?? ''}:${p.field ?? ''}: ${p.message}`);
  }
  throw new Error('expected the import to be refused');
}
