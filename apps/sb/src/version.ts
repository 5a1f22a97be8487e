import { readFileSync } from 'node:fs';

/**
 * sb's package.json, found upwards from this module: it is one directory up in dist/
 * and two in the bundle (dist/bundle/, see scripts/bundle.ts).
 */
function ownPackage(): { version: string } {
  for (const up of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as {
        name?: string;
        version: string;
      };
      if (pkg.name === 'sb') return pkg;
    } catch {
      // not this one
    }
  }
  throw new Error("sb: cannot find sb's package.json above its modules");
}

export const VERSION: string = ownPackage().version;
