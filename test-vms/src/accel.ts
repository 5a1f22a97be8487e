/**
 * KVM or TCG: KVM only where a short bounded trial boot reaches the guest's /init
 * (on the project's machines /dev/kvm exists but QEMU hangs with it). The verdict
 * is cached per machine boot (/proc/sys/kernel/random/boot_id) and QEMU binary.
 */
import { accessSync, constants, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Accel, boot } from './boot.js';

export interface AccelVerdict {
  readonly accel: Accel;
  readonly why: string;
}

/** The file a command names: itself when it has a slash, else the first match on PATH (null: none). */
export function commandPath(command: string, path = process.env.PATH ?? ''): string | null {
  if (command.includes('/')) return existsSync(command) ? command : null;
  for (const dir of path.split(':')) {
    const candidate = join(dir === '' ? '.' : dir, command);
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

/** What the verdict depends on: this boot of the machine and the QEMU binary (by its mtime). */
export function verdictKey(qemu: string): string {
  const bootId = existsSync('/proc/sys/kernel/random/boot_id')
    ? readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()
    : 'unknown';
  // The default is a bare name found on PATH: stat the file it names, not the name.
  const file = commandPath(qemu);
  return `${bootId} ${file ?? qemu} ${file === null ? 'missing' : statSync(file).mtimeMs}`;
}

export async function chooseAccel(
  cacheDir: string,
  qemu: string,
  kernel: string,
  initrd: string,
  outDir: string,
): Promise<AccelVerdict> {
  if (!existsSync('/dev/kvm')) return { accel: 'tcg', why: 'no /dev/kvm' };
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
  } catch {
    return { accel: 'tcg', why: '/dev/kvm is not accessible to this user' };
  }
  const file = join(cacheDir, 'kvm-verdict.json');
  const k = verdictKey(qemu);
  if (existsSync(file)) {
    const v = JSON.parse(readFileSync(file, 'utf8')) as { key: string; verdict: AccelVerdict };
    if (v.key === k) return { accel: v.verdict.accel, why: `${v.verdict.why} (cached)` };
  }
  mkdirSync(outDir, { recursive: true });
  const r = await boot({
    qemu,
    kernel,
    initrd,
    accel: 'kvm',
    timeoutMs: 20_000,
    log: join(outDir, 'kvm-trial.log'),
    stopWhen: (c) => c.includes('@@SB-GUEST-BOOT'),
  });
  const verdict: AccelVerdict =
    r.status === 'stopped'
      ? { accel: 'kvm', why: `a KVM trial boot reached /init in ${r.ms} ms` }
      : { accel: 'tcg', why: `a KVM trial boot did not reach /init (${r.reason ?? r.status})` };
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(file, `${JSON.stringify({ key: k, verdict }, null, 2)}\n`);
  return verdict;
}
