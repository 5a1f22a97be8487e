/**
 * zod, loaded when a schema is first needed: it is about a hundred modules (a tenth of a
 * second of start-up), and only parsing a file or an option set needs it, never
 * `sb run` with built-in profiles.
 */
import { createRequire } from 'node:module';

let loaded: typeof import('zod') | null = null;

export function zod(): typeof import('zod').z {
  loaded ??= createRequire(import.meta.url)('zod') as typeof import('zod');
  return loaded.z;
}

/** `build()` once, on first call. */
export function once<T>(build: () => T): () => T {
  let value: { readonly v: T } | null = null;
  return () => {
    value ??= { v: build() };
    return value.v;
  };
}
