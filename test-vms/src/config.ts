/**
 * The kernel configuration the in-guest suite needs. The initramfs loads no
 * modules, so each of these must be built in (=y). Checked against the image's
 * config file when there is one (Debian's /boot/config-*, or kernels/NAME/config).
 */
import { readFileSync } from 'node:fs';

export interface ConfigOption {
  readonly name: string;
  readonly why: string;
  /** First kernel version with the option; older kernels are not asked for it. */
  readonly since?: string;
}

export const REQUIRED_CONFIG: readonly ConfigOption[] = [
  { name: 'CONFIG_BLK_DEV_INITRD', why: 'boot from the initramfs' },
  { name: 'CONFIG_DEVTMPFS', why: '/init mounts /dev as devtmpfs' },
  { name: 'CONFIG_TMPFS', why: '/init mounts /tmp' },
  { name: 'CONFIG_PROC_FS', why: '/proc for Node and the ptrace probes' },
  { name: 'CONFIG_SYSFS', why: '/sys' },
  { name: 'CONFIG_SERIAL_8250', why: 'the serial port the results travel on' },
  { name: 'CONFIG_SERIAL_8250_CONSOLE', why: 'console=ttyS0' },
  { name: 'CONFIG_BINFMT_ELF', why: 'run node and busybox' },
  { name: 'CONFIG_BINFMT_SCRIPT', why: '/init is a shell script' },
  { name: 'CONFIG_FUTEX', why: 'Node threads' },
  { name: 'CONFIG_EPOLL', why: 'Node event loop' },
  { name: 'CONFIG_INET', why: "TCP on lo: the enforcement suite's connect check" },
  { name: 'CONFIG_SECCOMP', why: 'seccomp' },
  { name: 'CONFIG_SECCOMP_FILTER', why: 'seccomp filters (and the emulation filter)', since: '3.5' },
  { name: 'CONFIG_CROSS_MEMORY_ATTACH', why: 'process_vm_readv', since: '3.5' },
  { name: 'CONFIG_NAMESPACES', why: 'namespace probes' },
  { name: 'CONFIG_UTS_NS', why: 'namespace probes' },
  { name: 'CONFIG_IPC_NS', why: 'namespace probes' },
  { name: 'CONFIG_PID_NS', why: 'namespace probes' },
  { name: 'CONFIG_NET_NS', why: 'namespace probes' },
  { name: 'CONFIG_USER_NS', why: 'user namespaces', since: '3.8' },
  { name: 'CONFIG_CGROUPS', why: 'cgroup namespaces', since: '4.6' },
  { name: 'CONFIG_TIME_NS', why: 'time namespaces', since: '5.6' },
  { name: 'CONFIG_SECURITY_LANDLOCK', why: 'Landlock', since: '5.13' },
];

/** Options that must not be missing for the suite to run at all (the rest change expected features). */
const ESSENTIAL = new Set([
  'CONFIG_BLK_DEV_INITRD',
  'CONFIG_DEVTMPFS',
  'CONFIG_TMPFS',
  'CONFIG_PROC_FS',
  'CONFIG_SERIAL_8250',
  'CONFIG_SERIAL_8250_CONSOLE',
  'CONFIG_BINFMT_ELF',
  'CONFIG_BINFMT_SCRIPT',
  'CONFIG_FUTEX',
  'CONFIG_EPOLL',
  'CONFIG_INET',
]);

/** Problems with a kernel config file: essential options not built in. */
export function checkConfig(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  const value = (name: string) => new RegExp(`^${name}=(.*)$`, 'm').exec(text)?.[1] ?? null;
  const problems: string[] = [];
  for (const o of REQUIRED_CONFIG) {
    if (!ESSENTIAL.has(o.name)) continue;
    const v = value(o.name);
    if (v !== 'y') problems.push(`${path}: ${o.name} is ${v === null ? 'not set' : v} (needs =y: ${o.why})`);
  }
  return problems;
}
