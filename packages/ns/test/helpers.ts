import type { SetupStep } from '@sb/ptrace';
import type { HostInfo, HostMount } from '../src/index.js';

/** A host for compile tests: ids, a fixed file tree and mount table, no kernel. */
export function fakeHost(
  over: Partial<HostInfo> & { files?: Record<string, 'dir' | 'file'>; mounts?: HostMount[] } = {},
): HostInfo {
  const files: Record<string, 'dir' | 'file'> = over.files ?? {
    '/usr': 'dir',
    '/etc/hosts': 'file',
    '/tmp': 'dir',
    '/': 'dir',
  };
  const mounts = over.mounts ?? [{ path: '/', flags: 0x200000 }];
  return {
    uid: 1000,
    gid: 1000,
    cwd: '/home/u',
    lookup: (p) => (files[p] ? { kind: files[p]!, real: p } : { error: 'ENOENT' }),
    mountsUnder: (p) => {
      let holder = mounts[0]!;
      for (const m of mounts)
        if (
          (p === m.path || p.startsWith(`${m.path}/`) || m.path === '/') &&
          m.path.length >= holder.path.length
        )
          holder = m;
      return [
        { path: p, flags: holder.flags },
        ...mounts.filter((m) => m.path !== p && m.path.startsWith(`${p}/`)),
      ];
    },
    capLastCap: 40,
    mountSetattr: true,
    subordinate: () => null,
    userNamespaces: true,
    ...over,
  };
}

/** A compact, comparable line per step: `name arg, arg` with strings quoted and byte blobs sized. */
export function describeStep(s: SetupStep): string {
  switch (s.kind) {
    case 'syscall': {
      const args = s.args.map((a) =>
        typeof a === 'bigint'
          ? a < 0n
            ? String(a)
            : `0x${a.toString(16)}`
          : 'str' in a
            ? JSON.stringify(a.str)
            : 'result' in a
              ? `$${a.result.split('.')[1]}`
              : 'bytes' in a
                ? `<${a.bytes.length}>`
                : '<fprog>',
      );
      return `${s.name}(${args.join(', ')})${s.okErrnos ? ` ok[${s.okErrnos.join(',')}]` : ''}${s.save ? ` -> $${s.save.split('.')[1]}` : ''}`;
    }
    case 'skip-unless-ok':
      return `skip ${s.count} unless $${s.result.split('.')[1]}`;
    case 'write-proc':
      return `write /proc/PID/${s.file} ${JSON.stringify(s.content)}`;
    case 'run-host':
      return `run ${s.argv.join(' ')}`;
    case 'fork':
      return `fork ${s.parent}`;
    default:
      return JSON.stringify(s);
  }
}
