import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/** The absolute path of an executable on `path` (default: $PATH), or undefined. */
export function which(name: string, path: string = process.env.PATH ?? ''): string | undefined {
  if (name.includes('/')) return isExecutable(name) && isAbsolute(name) ? name : undefined;
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    const p = join(dir, name);
    if (isExecutable(p)) return p;
  }
  return undefined;
}

export function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Like `which`, but a missing tool is an error that names it and the Debian package. */
export function requireTool(name: string, debianPackage: string): string {
  const p = which(name);
  if (p === undefined)
    throw new Error(`the benchmark needs '${name}' on PATH (Debian package ${debianPackage})`);
  return p;
}
