/**
 * The structured policy file: YAML (or JSON, which the same parser reads
 * with positions), validated by a zod schema. Every error names the file,
 * line and column and what was expected.
 */

import { createRequire } from 'node:module';
import { suggest } from '@sb/syscalls';
import type { Document, LineCounter, Node } from 'yaml';
import type { z as Z } from 'zod';
import {
  CATEGORIES,
  type Category,
  definePolicy,
  type Policy,
  type PolicyOptions,
  type QuietPattern,
  RULE_ACTIONS,
  type Rule,
  type RuleAction,
  SANDBOX_MODES,
  type SourceLocation,
} from '../model.js';
import { parseAddressPattern } from '../net.js';
import { once, zod } from '../zod.js';

// yaml is loaded when a file is first parsed: it is dozens of modules, and `sb run`
// with a built-in profile (the common case) reads no file, so its start-up skips them.
let yamlModule: typeof import('yaml') | null = null;
function yaml(): typeof import('yaml') {
  yamlModule ??= createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return yamlModule;
}

export class PolicyFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly detail: string,
  ) {
    super(`${file}:${line}:${column}: ${detail}`);
    this.name = 'PolicyFileError';
  }
}

function buildSchemas() {
  const z = zod();
  const mode = z.enum(SANDBOX_MODES as unknown as [string, ...string[]]);
  const category = z.enum(CATEGORIES as unknown as [string, ...string[]]);
  const action = z.enum(RULE_ACTIONS as unknown as [string, ...string[]]);

  const ruleObject = z.strictObject({ action, category, pattern: z.string().min(1) });
  /** "ACTION CATEGORY PATTERN", e.g. "allow write /tmp/***" (the pattern may contain spaces). */
  const ruleString = z
    .string()
    .regex(/^\S+\s+\S+\s+\S/, 'a rule: "ACTION CATEGORY PATTERN", e.g. "allow write /tmp/***"');
  const quietObject = z.strictObject({ category, pattern: z.string().min(1) });
  const quietString = z
    .string()
    .regex(/^\S+\s+\S/, 'a quiet entry: "CATEGORY PATTERN", e.g. "write /proc/***"');

  const boolOpt = z.boolean().optional();
  const optionsSchema = z
    .strictObject({
      violation: z
        .strictObject({
          decision: z.enum(['deny', 'kill', 'killall', 'cont']).optional(),
          exit_code: z.number().int().optional(),
          raise_fail: boolOpt,
          raise_safe: boolOpt,
        })
        .optional(),
      magic_lock: z.enum(['on', 'off', 'exec']).optional(),
      match: z
        .strictObject({ case_sensitive: boolOpt, no_wildcard: z.enum(['literal', 'prefix']).optional() })
        .optional(),
      allow: z
        .strictObject({
          per_process_directories: boolOpt,
          successful_bind: boolOpt,
          unsupported_socket_families: boolOpt,
          magic_path: boolOpt,
        })
        .optional(),
      unsafe: z
        .strictObject({
          open_by_handle_at: boolOpt,
          name_to_handle_at: boolOpt,
          io_uring: boolOpt,
          cross_process: boolOpt,
          chroot: boolOpt,
        })
        .optional(),
      exec: z
        .strictObject({
          kill_if_match: z.array(z.string().min(1)).optional(),
          resume_if_match: z.array(z.string().min(1)).optional(),
        })
        .optional(),
      trace: z
        .strictObject({
          follow_fork: boolOpt,
          exit_wait_all: boolOpt,
          use_seccomp: boolOpt,
          use_seize: boolOpt,
          use_toolong_hack: boolOpt,
        })
        .optional(),
      restrict: z
        .strictObject({
          general: z.number().int().min(0).max(3).optional(),
          io_control: boolOpt,
          memory_map: boolOpt,
          shared_memory_writable: boolOpt,
        })
        .optional(),
    })
    .optional();

  const policyFileSchema = z.strictObject({
    /** Format version; only 1 exists. */
    version: z.literal(1).optional(),
    /** Built-in profiles to start from, in order. */
    extends: z.array(z.string().min(1)).optional(),
    /** Defaults for ${NAME} in patterns (the caller's variables override). */
    variables: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).optional(),
    sandbox: z.partialRecord(category, mode).optional(),
    rules: z.array(z.union([ruleString, ruleObject])).optional(),
    quiet: z.array(z.union([quietString, quietObject])).optional(),
    options: optionsSchema,
  });
  return { file: policyFileSchema };
}

const schemas = once(buildSchemas);
type Schemas = ReturnType<typeof buildSchemas>;

/** The policy file's zod schema (built on first use). */
export const policyFileSchema = (): Schemas['file'] => schemas().file;

export type PolicyFile = Z.infer<Schemas['file']>;

export interface LoadOptions {
  /** Values for ${NAME} in patterns. */
  readonly variables?: Readonly<Record<string, string>>;
  /** Resolves `extends` names (built-in profiles). */
  readonly profile?: (name: string, variables: Readonly<Record<string, string>>) => Policy | undefined;
  /** Names `extends` may use (for suggestions). */
  readonly profileNames?: readonly string[];
}

function position(lc: LineCounter, offset: number): { line: number; col: number } {
  const p = lc.linePos(offset);
  return { line: p.line, col: p.col };
}

function nodeAt(doc: Document, path: readonly PropertyKey[]): Node | null {
  // Walk as far as the path exists: an unknown key's error points at its parent map entry.
  const { isMap, isScalar, isSeq } = yaml();
  let node: unknown = doc.contents;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((it) => isScalar(it.key) && it.key.value === key);
      if (!pair) break;
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof key === 'number') {
      const item = node.items[key];
      if (!item) break;
      node = item;
    } else break;
  }
  return (node as Node | null) ?? null;
}

function keyNode(doc: Document, path: readonly PropertyKey[], key: string): Node | null {
  const { isMap, isScalar } = yaml();
  const parent = nodeAt(doc, path);
  if (!isMap(parent)) return parent;
  const pair = parent.items.find((it) => isScalar(it.key) && it.key.value === key);
  return (pair?.key as Node | undefined) ?? parent;
}

const KNOWN_KEYS: Record<string, readonly string[]> = {
  '': ['version', 'extends', 'variables', 'sandbox', 'rules', 'quiet', 'options'],
  options: ['violation', 'magic_lock', 'match', 'allow', 'unsafe', 'exec', 'trace', 'restrict'],
};

function describeIssue(issue: Z.core.$ZodIssue, path: readonly PropertyKey[]): string {
  const where = path.length ? path.join('.') : 'the document';
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = KNOWN_KEYS[path.join('.')] ?? [];
      return issue.keys
        .map((k) => {
          const close = suggest(k, known);
          return `unknown key '${k}' in ${where}${close ? ` (did you mean '${close}'?)` : ''}`;
        })
        .join('; ');
    }
    case 'invalid_value':
      return `${where}: expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_type':
      return `${where}: expected ${issue.expected}`;
    case 'invalid_union':
      return `${where}: expected a rule "ACTION CATEGORY PATTERN" or {action, category, pattern} (${issue.errors
        .flat()
        .map((e) => e.message)
        .join('; ')})`;
    case 'invalid_format':
      return `${where}: ${issue.message}`;
    default:
      return `${where}: ${issue.message}`;
  }
}

function expand(s: string, vars: Readonly<Record<string, string>>, fail: (msg: string) => never): string {
  return s.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$\$/g, (m, name: string | undefined) => {
    if (m === '$$') return '$';
    const v = vars[name!];
    if (v === undefined) fail(`undefined variable \${${name}} (define it under 'variables' or pass it in)`);
    return v!;
  });
}

/** Parse and validate a policy file (YAML or JSON). Throws PolicyFileError. */
export function parsePolicyFile(text: string, file = '<policy>', load: LoadOptions = {}): Policy {
  const { LineCounter, parseDocument } = yaml();
  const lc = new LineCounter();
  if (file.endsWith('.json')) {
    try {
      JSON.parse(text);
    } catch (e) {
      // Node names the offset ("at position N") except at the end of the input.
      const m = /position (\d+)/.exec((e as Error).message);
      const offset = m ? Number(m[1]) : text.length;
      const before = text.slice(0, offset);
      const line = before.split('\n').length;
      const col = offset - before.lastIndexOf('\n');
      throw new PolicyFileError(file, line, col, `invalid JSON: ${(e as Error).message}`);
    }
  }
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const p = position(lc, e.pos[0]);
    throw new PolicyFileError(file, p.line, p.col, e.message.split('\n')[0]!);
  }
  let data: unknown;
  try {
    data = doc.toJS() ?? {};
  } catch (e) {
    // e.g. an alias to an anchor that does not exist
    throw new PolicyFileError(file, 1, 1, (e as Error).message);
  }
  const at = (path: readonly PropertyKey[], key?: string): SourceLocation => {
    const n = key ? keyNode(doc, path, key) : nodeAt(doc, path);
    const p = position(lc, n?.range?.[0] ?? 0);
    return { file, line: p.line, column: p.col };
  };
  const fail = (path: readonly PropertyKey[], msg: string, key?: string): never => {
    const s = at(path, key);
    throw new PolicyFileError(file, s.line, s.column ?? 1, msg);
  };
  const parsed = policyFileSchema().safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
    fail(issue.path, describeIssue(issue, issue.path), key);
  }
  const f = parsed.data!;
  const vars = { ...(f.variables ?? {}), ...(load.variables ?? {}) };

  let base = definePolicy();
  for (const [i, name] of (f.extends ?? []).entries()) {
    const p = load.profile?.(name, vars);
    if (!p) {
      const close = suggest(name, load.profileNames ?? []);
      fail(['extends', i], `unknown profile '${name}'${close ? ` (did you mean '${close}'?)` : ''}`);
    }
    base = {
      sandbox: { ...base.sandbox, ...p!.sandbox },
      rules: [...base.rules, ...p!.rules],
      quiet: [...base.quiet, ...p!.quiet],
      options: p!.options,
    };
  }

  const rules: Rule[] = [...base.rules];
  (f.rules ?? []).forEach((r, i) => {
    const src = at(['rules', i]);
    let rule: { action: string; category: string; pattern: string };
    if (typeof r === 'string') {
      const m = /^\s*(\S+)\s+(\S+)\s+(.+)$/.exec(r)!;
      rule = { action: m[1]!, category: m[2]!, pattern: m[3]! };
      if (!(RULE_ACTIONS as readonly string[]).includes(rule.action)) {
        const close = suggest(rule.action, RULE_ACTIONS);
        fail(
          ['rules', i],
          `unknown action '${rule.action}': expected ${RULE_ACTIONS.join(', ')}${close ? ` (did you mean '${close}'?)` : ''}`,
        );
      }
      if (!(CATEGORIES as readonly string[]).includes(rule.category)) {
        const close = suggest(rule.category, CATEGORIES);
        fail(
          ['rules', i],
          `unknown category '${rule.category}': expected ${CATEGORIES.join(', ')}${close ? ` (did you mean '${close}'?)` : ''}`,
        );
      }
    } else rule = r;
    const pattern = expand(rule.pattern, vars, (msg) => fail(['rules', i], msg));
    if (rule.category.startsWith('net/')) {
      try {
        parseAddressPattern(pattern);
      } catch (e) {
        fail(['rules', i], (e as Error).message);
      }
    }
    rules.push({
      action: rule.action as RuleAction,
      category: rule.category as Category,
      pattern,
      source: src,
    });
  });

  const quiet: QuietPattern[] = [...base.quiet];
  (f.quiet ?? []).forEach((q, i) => {
    const src = at(['quiet', i]);
    let entry: { category: string; pattern: string };
    if (typeof q === 'string') {
      const m = /^\s*(\S+)\s+(.+)$/.exec(q)!;
      entry = { category: m[1]!, pattern: m[2]! };
      if (!(CATEGORIES as readonly string[]).includes(entry.category))
        fail(['quiet', i], `unknown category '${entry.category}': expected ${CATEGORIES.join(', ')}`);
    } else entry = q;
    quiet.push({
      category: entry.category as Category,
      pattern: expand(entry.pattern, vars, (msg) => fail(['quiet', i], msg)),
      source: src,
    });
  });

  const o = f.options ?? {};
  const b = base.options;
  const options: PolicyOptions = {
    ...b,
    violation: {
      decision: o.violation?.decision ?? b.violation.decision,
      exitCode: o.violation?.exit_code ?? b.violation.exitCode,
      raiseFail: o.violation?.raise_fail ?? b.violation.raiseFail,
      raiseSafe: o.violation?.raise_safe ?? b.violation.raiseSafe,
    },
    magicLock: o.magic_lock ?? b.magicLock,
    match: {
      caseSensitive: o.match?.case_sensitive ?? b.match.caseSensitive,
      noWildcard: o.match?.no_wildcard ?? b.match.noWildcard,
    },
    allow: {
      perProcessDirectories: o.allow?.per_process_directories ?? b.allow.perProcessDirectories,
      successfulBind: o.allow?.successful_bind ?? b.allow.successfulBind,
      unsupportedSocketFamilies: o.allow?.unsupported_socket_families ?? b.allow.unsupportedSocketFamilies,
      magicPath: o.allow?.magic_path ?? b.allow.magicPath,
    },
    unsafe: {
      openByHandleAt: o.unsafe?.open_by_handle_at ?? b.unsafe.openByHandleAt,
      nameToHandleAt: o.unsafe?.name_to_handle_at ?? b.unsafe.nameToHandleAt,
      ioUring: o.unsafe?.io_uring ?? b.unsafe.ioUring,
      crossProcess: o.unsafe?.cross_process ?? b.unsafe.crossProcess,
      chroot: o.unsafe?.chroot ?? b.unsafe.chroot,
    },
    exec: {
      killIfMatch: [
        ...b.exec.killIfMatch,
        ...(o.exec?.kill_if_match ?? []).map((p, i) =>
          expand(p, vars, (m) => fail(['options', 'exec', 'kill_if_match', i], m)),
        ),
      ],
      resumeIfMatch: [
        ...b.exec.resumeIfMatch,
        ...(o.exec?.resume_if_match ?? []).map((p, i) =>
          expand(p, vars, (m) => fail(['options', 'exec', 'resume_if_match', i], m)),
        ),
      ],
    },
    trace: {
      followFork: o.trace?.follow_fork ?? b.trace.followFork,
      exitWaitAll: o.trace?.exit_wait_all ?? b.trace.exitWaitAll,
      useSeccomp: o.trace?.use_seccomp ?? b.trace.useSeccomp,
      useSeize: o.trace?.use_seize ?? b.trace.useSeize,
      useToolongHack: o.trace?.use_toolong_hack ?? b.trace.useToolongHack,
    },
    restrict: {
      general: o.restrict?.general ?? b.restrict.general,
      ioControl: o.restrict?.io_control ?? b.restrict.ioControl,
      memoryMap: o.restrict?.memory_map ?? b.restrict.memoryMap,
      sharedMemoryWritable: o.restrict?.shared_memory_writable ?? b.restrict.sharedMemoryWritable,
    },
  };
  return {
    sandbox: { ...base.sandbox, ...(f.sandbox as Partial<Record<Category, Policy['sandbox'][Category]>>) },
    rules,
    quiet,
    options,
  };
}

/** Print a policy as a YAML policy file (what parsePolicyFile reads back to an equal policy). */
export function formatPolicyFile(policy: Policy): string {
  const o = policy.options;
  // `$` is written `$$` so that ${NAME} expansion gives the pattern back.
  const text = (p: string | Uint8Array) =>
    (typeof p === 'string' ? p : Buffer.from(p).toString('utf8')).replace(/\$/g, () => '$$');
  const q = (s: string) => JSON.stringify(s);
  const lines: string[] = ['version: 1', 'sandbox:'];
  for (const c of CATEGORIES) lines.push(`  ${c}: ${policy.sandbox[c]}`);
  lines.push('rules:');
  if (policy.rules.length === 0) lines[lines.length - 1] = 'rules: []';
  for (const r of policy.rules) {
    const pat = text(r.pattern);
    // The short form cannot carry a pattern that starts with white space.
    if (/^\s/.test(pat)) lines.push(`  - {action: ${r.action}, category: ${r.category}, pattern: ${q(pat)}}`);
    else lines.push(`  - ${q(`${r.action} ${r.category} ${pat}`)}`);
  }
  lines.push('quiet:');
  if (policy.quiet.length === 0) lines[lines.length - 1] = 'quiet: []';
  for (const x of policy.quiet) {
    const pat = text(x.pattern);
    if (/^\s/.test(pat)) lines.push(`  - {category: ${x.category}, pattern: ${q(pat)}}`);
    else lines.push(`  - ${q(`${x.category} ${pat}`)}`);
  }
  const list = (xs: readonly (string | Uint8Array)[]) => `[${xs.map((x) => q(text(x))).join(', ')}]`;
  lines.push(
    'options:',
    `  violation: {decision: ${o.violation.decision}, exit_code: ${o.violation.exitCode}, raise_fail: ${o.violation.raiseFail}, raise_safe: ${o.violation.raiseSafe}}`,
    `  magic_lock: ${q(o.magicLock)}`,
    `  match: {case_sensitive: ${o.match.caseSensitive}, no_wildcard: ${o.match.noWildcard}}`,
    `  allow: {per_process_directories: ${o.allow.perProcessDirectories}, successful_bind: ${o.allow.successfulBind}, unsupported_socket_families: ${o.allow.unsupportedSocketFamilies}, magic_path: ${o.allow.magicPath}}`,
    `  unsafe: {open_by_handle_at: ${o.unsafe.openByHandleAt}, name_to_handle_at: ${o.unsafe.nameToHandleAt}, io_uring: ${o.unsafe.ioUring}, cross_process: ${o.unsafe.crossProcess}, chroot: ${o.unsafe.chroot}}`,
    `  exec: {kill_if_match: ${list(o.exec.killIfMatch)}, resume_if_match: ${list(o.exec.resumeIfMatch)}}`,
    `  trace: {follow_fork: ${o.trace.followFork}, exit_wait_all: ${o.trace.exitWaitAll}, use_seccomp: ${o.trace.useSeccomp}, use_seize: ${o.trace.useSeize}, use_toolong_hack: ${o.trace.useToolongHack}}`,
    `  restrict: {general: ${o.restrict.general}, io_control: ${o.restrict.ioControl}, memory_map: ${o.restrict.memoryMap}, shared_memory_writable: ${o.restrict.sharedMemoryWritable}}`,
  );
  return `${lines.join('\n')}\n`;
}
