/**
 * Learning a policy (like sydbox's pandora): run with every category allowed
 * but checked, record what was accessed, and write a policy that allows
 * exactly that, generalised so it stays readable and survives small changes
 * (a directory with many used entries becomes `dir/***`; temporary directories
 * are allowed whole).
 */
import { dirname } from 'node:path';
import { definePolicy, type Policy } from '@sb/policy';
import { programPath } from './program.js';
import { type SandboxExit, type SandboxOptions, spawn } from './spawn.js';

export interface Access {
  readonly category: string;
  readonly subject: string;
}

/** The policy a learning run uses: everything allowed, every category but stat traced. */
export function learningPolicy(): Policy {
  return definePolicy({
    sandbox: { read: 'allow', write: 'allow', exec: 'allow', 'net/bind': 'allow', 'net/connect': 'allow' },
    options: { magicLock: 'on', allow: { unsupportedSocketFamilies: true } },
  });
}

export interface GeneraliseOptions {
  /** A directory with at least this many used entries is allowed whole. Default 3. */
  readonly threshold?: number;
  /** Directories allowed whole whenever something below them is used. */
  readonly wholeDirs?: readonly string[];
}

const TEMP_DIRS = ['/tmp', '/var/tmp', '/dev/shm', '/dev/pts'];
const PROC_PID = /^\/proc\/\d+(\/|$)/;

const depth = (p: string) => p.split('/').filter(Boolean).length;
const base = (pattern: string) => (pattern.endsWith('/***') ? pattern.slice(0, -4) : pattern);

/** Path patterns covering `paths`: see GeneraliseOptions. Sorted. */
export function generalisePaths(paths: Iterable<string>, options: GeneraliseOptions = {}): string[] {
  const threshold = options.threshold ?? 3;
  const whole = options.wholeDirs ?? TEMP_DIRS;
  let set = new Set<string>();
  for (const p of paths) {
    if (PROC_PID.test(p)) continue; // the sandbox's own /proc/PID is allowed automatically
    const dir = whole.find((d) => p.startsWith(`${d}/`));
    set.add(dir ? `${dir}/***` : p);
  }
  for (;;) {
    const byParent = new Map<string, string[]>();
    for (const p of set) {
      const parent = dirname(base(p));
      if (depth(parent) < 2) continue; // never /usr/*** or /***
      byParent.set(parent, [...(byParent.get(parent) ?? []), p]);
    }
    const wide = [...byParent].filter(([, kids]) => kids.length >= threshold).map(([d]) => d);
    if (wide.length === 0) break;
    const next = new Set<string>();
    for (const p of set) {
      const d = wide.find((w) => base(p) === w || base(p).startsWith(`${w}/`));
      next.add(d ? `${d}/***` : p);
    }
    set = next;
  }
  // Drop what a `dir/***` already covers.
  const dirs = [...set].filter((p) => p.endsWith('/***')).map(base);
  return [...set]
    .filter((p) => !dirs.some((d) => base(p) !== d && (base(p) === d || base(p).startsWith(`${d}/`))))
    .sort();
}

const escapePattern = (p: string) =>
  p.endsWith('/***') ? `${base(p).replace(/[*?[\\]/g, '\\$&')}/***` : p.replace(/[*?[\\]/g, '\\$&');

/** A YAML policy allowing the accesses (ready to edit). */
export function policyFromAccesses(accesses: readonly Access[], command: readonly string[] = []): string {
  const by = new Map<string, Set<string>>();
  for (const a of accesses) {
    if (a.category === 'stat') continue;
    if (a.category.startsWith('net/') && (a.subject === 'unix-unnamed' || a.subject.startsWith('family:')))
      continue;
    const s = by.get(a.category) ?? new Set<string>();
    s.add(a.subject);
    by.set(a.category, s);
  }
  const lines = [
    `# Written by \`sb learn\`${command.length ? ` for: ${command.join(' ')}` : ''}`,
    '# It allows what that run used. Edit freely, then: sb run -c THIS_FILE -- COMMAND',
    'sandbox:',
    '  read: deny',
    '  write: deny',
    '  exec: deny',
    '  net/bind: deny',
    '  net/connect: deny',
    'options:',
    '  allow: { unsupported_socket_families: true }',
    'rules:',
  ];
  let any = false;
  for (const category of ['read', 'write', 'exec', 'net/bind', 'net/connect']) {
    const subjects = by.get(category);
    if (!subjects) continue;
    const patterns = category.startsWith('net/')
      ? [...subjects].sort()
      : generalisePaths(subjects).map(escapePattern);
    lines.push(`  # ${category}`);
    for (const p of patterns) lines.push(`  - ${JSON.stringify(`allow ${category} ${p}`)}`);
    any = true;
  }
  if (!any) lines[lines.length - 1] = 'rules: []';
  return `${lines.join('\n')}\n`;
}

export interface LearnResult {
  readonly exit: SandboxExit;
  readonly accesses: readonly Access[];
  /** The policy (YAML). */
  readonly policy: string;
}

/** Runs the command in learning mode and returns what it used and a policy for it. */
export async function learn(
  command: string,
  args: readonly string[],
  options: Omit<SandboxOptions, 'policy' | 'learn'> = {},
): Promise<LearnResult> {
  const p = spawn(command, args, { ...options, policy: learningPolicy(), learn: true });
  const accesses: Access[] = [];
  p.on('access', (a) => accesses.push(a));
  const exit = await p.exited;
  // The first execve happens inside the launch, before any check: record the program here.
  const program = programPath(
    command,
    options.cwd ?? process.cwd(),
    options.env?.PATH ?? process.env.PATH ?? '',
  );
  if (program) accesses.unshift({ category: 'exec', subject: program });
  return { exit, accesses, policy: policyFromAccesses(accesses, [command, ...args]) };
}
