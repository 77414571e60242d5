// The errors the CLI turns into exit codes (SPEC section 6): bad input is 2, busy is 75.

/** One problem with input: where it is (file, line, field) and what is wrong. */
export interface InputProblem {
  file?: string | undefined;
  line?: number | undefined;
  field?: string | undefined;
  message: string;
}

export function describeProblem(p: InputProblem): string {
  const where = [p.file, p.line !== undefined ? `line ${p.line}` : undefined, p.field]
    .filter((part) => part !== undefined && part !== '')
    .join(', ');
  return where ? `${where}: ${p.message}` : p.message;
}

/** Bad input: the command changes nothing and exits 2, listing every problem. */
export class InputError extends Error {
  override name = 'InputError';
  readonly problems: InputProblem[];

  constructor(problems: InputProblem[] | string) {
    const list = typeof problems === 'string' ? [{ message: problems }] : problems;
    super(list.map(describeProblem).join('\n'));
    this.problems = list;
  }
}

/** Another job holds the lock: exit 75, try later. */
export class BusyError extends Error {
  override name = 'BusyError';
}
