/** Kernel version strings ('5.6', '2.6.16', '6.12.0-rc1', '6.1.0-28-amd64'). */

/** [major, minor, patch]; missing parts are 0 and anything after the numbers (-rc1, -amd64) is ignored. */
export function parseKernelVersion(v: string): readonly [number, number, number] {
  const m = /^\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(v);
  if (!m) throw new TypeError(`not a kernel version: '${v}'`);
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}

/** Negative when a is older than b, 0 when equal, positive when newer. */
export function compareKernelVersions(a: string, b: string): number {
  const x = parseKernelVersion(a);
  const y = parseKernelVersion(b);
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}
