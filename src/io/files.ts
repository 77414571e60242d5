// Folders the user names (--dry-run DIR): made as `mkdir -p` would, but refused with a clear
// message instead of Node's recursive mkdir, which never returns on some paths (under /proc it
// retries ENOENT for ever) and says EEXIST or ENOTDIR when a file is in the way.
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../domain/errors.js';

const codeOf = (error: unknown) => (error as NodeJS.ErrnoException).code ?? 'error';

/** Makes `dir` and its missing parents; a file in the way, or a folder that cannot be made, is bad usage (exit 2) of `field`. */
export function ensureFolder(dir: string, field: string): string {
  const target = path.resolve(dir);
  const missing: string[] = [];
  for (let at = target; ; ) {
    try {
      if (!statSync(at).isDirectory()) throw new InputError([{ field, message: `${at} is a file, a folder was expected` }]);
      break;
    } catch (error) {
      if (error instanceof InputError) throw error;
      if (codeOf(error) !== 'ENOENT') throw new InputError([{ field, message: `${at}: cannot be used as a folder (${codeOf(error)})` }]);
      missing.push(at);
      const up = path.dirname(at);
      if (up === at) break;
      at = up;
    }
  }
  for (const folder of missing.reverse()) {
    try {
      mkdirSync(folder);
    } catch (error) {
      throw new InputError([{ field, message: `cannot make the folder ${folder} (${codeOf(error)})` }]);
    }
  }
  return target;
}
