/**
 * Loading a policy from a file by its kind: `.syd-1` (sydbox-1 magic
 * commands), `.yaml`/`.yml`, or `.json`.
 */

import { readFileSync } from 'node:fs';
import { parsePolicyFile } from './format/file.js';
import { parseSydbox } from './format/sydbox.js';
import type { Policy } from './model.js';
import { profile, profileNames } from './profiles.js';

export type PolicyFormat = 'sydbox' | 'yaml' | 'json';

export class PolicyLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyLoadError';
  }
}

/** The format a file name implies, or undefined. */
export function formatOf(file: string): PolicyFormat | undefined {
  if (/\.syd-1$/.test(file)) return 'sydbox';
  if (/\.ya?ml$/.test(file)) return 'yaml';
  if (/\.json$/.test(file)) return 'json';
  return undefined;
}

export interface LoadPolicyOptions {
  readonly format?: PolicyFormat;
  readonly variables?: Readonly<Record<string, string>>;
  /** Base for sydbox files (their commands change it). */
  readonly base?: Policy;
}

/** Parse policy text of a given format. Errors name file:line:column. */
export function parsePolicy(text: string, file: string, options: LoadPolicyOptions = {}): Policy {
  const format = options.format ?? formatOf(file);
  if (!format) {
    throw new PolicyLoadError(
      `${file}: cannot tell the policy format from the name: use .syd-1 (sydbox-1 magic commands), .yaml, .yml or .json`,
    );
  }
  if (format === 'sydbox') return parseSydbox(text, file, options.base).policy;
  return parsePolicyFile(text, file, {
    ...(options.variables ? { variables: options.variables } : {}),
    profile,
    profileNames: profileNames(),
  });
}

/** Read and parse a policy file. */
export function loadPolicy(file: string, options: LoadPolicyOptions = {}): Policy {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new PolicyLoadError(`${file}: cannot read the policy file: ${(e as Error).message}`);
  }
  return parsePolicy(text, file, options);
}
