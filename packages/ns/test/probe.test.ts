import { describe, expect, it } from 'vitest';
import {
  explainUserNamespacePolicy,
  mountFlags,
  mountsUnder,
  NAMESPACE_NAMES,
  parseMountinfo,
  probeMountSetattr,
  probeNamespace,
  probeNamespaces,
  userNamespacePolicy,
} from '../src/index.js';

describe('probes (this kernel)', () => {
  it('every namespace type answers, and the answer agrees with /proc/self/ns', async () => {
    const { existsSync } = await import('node:fs');
    const p = probeNamespaces();
    expect(Object.keys(p).sort()).toEqual([...NAMESPACE_NAMES].sort());
    for (const n of NAMESPACE_NAMES) {
      const file = n === 'mount' ? 'mnt' : n;
      // A type the kernel lacks cannot be probed as available.
      if (!existsSync(`/proc/self/ns/${file}`)) expect(p[n].available).toBe(false);
    }
    expect(p.user.available).toBe(true);
  });

  it('a flag the kernel rejects is reported with its errno', () => {
    // CLONE_NEWPID with CLONE_THREAD is EINVAL for clone(2) and for unshare.
    const r = probeNamespace(0x20000000 | 0x10000, false);
    expect(r.available).toBe(false);
    expect(r.errno).toBe('EINVAL');
  });

  it('user namespace policy: allowed here, sysctls read, no reason', () => {
    const pol = userNamespacePolicy();
    expect(pol.allowed).toBe(true);
    expect(pol.reason).toBeUndefined();
    expect(typeof pol.sysctls['user.max_user_namespaces']).toBe('number');
    expect(probeMountSetattr()).toBe(true);
  });
});

describe('mountinfo', () => {
  const text = [
    '22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw',
    '23 22 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:2 - proc proc rw',
    '24 22 0:5 / /usr/local ro,nosuid,noatime - ext4 /dev/vdb rw',
    '25 22 0:6 / /with\\040space rw - tmpfs tmpfs rw',
  ].join('\n');
  it('parses mount points (octal escapes) and flags', () => {
    expect(parseMountinfo(text).map((m) => m.path)).toEqual(['/', '/proc', '/usr/local', '/with space']);
    expect(mountFlags('rw,nosuid,nodev,noexec,relatime')).toBe(0x2 | 0x4 | 0x8 | 0x200000);
    expect(mountFlags('ro,noatime')).toBe(0x1 | 0x400);
    expect(mountFlags('rw')).toBe(0x1000000);
  });
  it('the mount holding a path and those below it', () => {
    const m = parseMountinfo(text);
    expect(mountsUnder(m, '/usr')).toEqual([
      { path: '/usr', flags: 0x200000 },
      { path: '/usr/local', flags: 0x1 | 0x2 | 0x400 },
    ]);
    expect(mountsUnder(m, '/proc/sys')).toEqual([{ path: '/proc/sys', flags: 0x2 | 0x4 | 0x8 | 0x200000 }]);
  });
});

describe('explainUserNamespacePolicy (table)', () => {
  const open = {
    'user.max_user_namespaces': 15000,
    'kernel.unprivileged_userns_clone': null,
    'kernel.apparmor_restrict_unprivileged_userns': null,
  };
  const ok = { available: true };
  const eperm = { available: false, errno: 'EPERM' };
  const enospc = { available: false, errno: 'ENOSPC' };
  const cases: [
    string,
    Parameters<typeof explainUserNamespacePolicy>,
    { allowed: boolean; unpriv: boolean; reason?: RegExp; unprivReason?: RegExp },
  ][] = [
    ['all open', [open, ok, false, true], { allowed: true, unpriv: true }],
    [
      'max 0',
      [{ ...open, 'user.max_user_namespaces': 0 }, enospc, false, true],
      { allowed: false, unpriv: false, reason: /^user\.max_user_namespaces is 0/ },
    ],
    [
      'Debian sysctl, unprivileged',
      [{ ...open, 'kernel.unprivileged_userns_clone': 0 }, eperm, false, true],
      { allowed: false, unpriv: false, reason: /^kernel\.unprivileged_userns_clone is 0: only root/ },
    ],
    [
      'Debian sysctl, root',
      [{ ...open, 'kernel.unprivileged_userns_clone': 0 }, ok, true, true],
      { allowed: true, unpriv: false, unprivReason: /^kernel\.unprivileged_userns_clone is 0/ },
    ],
    [
      'AppArmor',
      [{ ...open, 'kernel.apparmor_restrict_unprivileged_userns': 1 }, eperm, false, true],
      { allowed: false, unpriv: false, reason: /^AppArmor restricts unprivileged user namespaces/ },
    ],
    [
      'no kernel support',
      [open, { available: false, errno: 'EINVAL' }, true, false],
      { allowed: false, unpriv: false, reason: /CONFIG_USER_NS is off/ },
    ],
    [
      'ENOSPC from an enclosing limit',
      [open, enospc, false, true],
      {
        allowed: false,
        unpriv: false,
        reason: /ENOSPC: the user\.max_user_namespaces limit of this or an enclosing/,
      },
    ],
    [
      'refused, no setting explains it',
      [open, eperm, false, true],
      { allowed: false, unpriv: false, reason: /fails with EPERM although no setting forbids it/ },
    ],
  ];
  it.each(cases)('%s', (_name, args, want) => {
    const p = explainUserNamespacePolicy(...args);
    expect(p.allowed).toBe(want.allowed);
    expect(p.unprivilegedAllowed).toBe(want.unpriv);
    if (want.reason) expect(p.reason).toMatch(want.reason);
    else expect(p.reason).toBeUndefined();
    if (want.unprivReason) expect(p.unprivilegedReason).toMatch(want.unprivReason);
    if (want.unpriv) expect(p.unprivilegedReason).toBeUndefined();
  });
});
