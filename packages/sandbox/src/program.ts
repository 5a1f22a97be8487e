/** Where the program of a sandbox is, as execvp would find it. */
import { accessSync, constants, realpathSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

/** The file execvp would run for `command` (symlinks resolved, as the checker sees it), or null. */
export function programPath(command: string, cwd: string, path: string): string | null {
  const candidates = command.includes('/')
    ? [isAbsolute(command) ? command : resolve(cwd, command)]
    : path.split(delimiter).map((d) => join(resolve(cwd, d || '.'), command));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return realpathSync(c);
    } catch {
      // next
    }
  }
  return null;
}
