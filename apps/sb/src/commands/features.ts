import { errnoName } from '@sb/ptrace';
import { features, type Probe, type SandboxFeatures } from '@sb/sandbox';
import type { Command } from 'commander';
import { stdoutStyle } from '../style.js';

type Row = [string, boolean | null, string?];

function probeRow(name: string, p: Probe): Row {
  return [name, p.available, [p.errno, p.detail].filter(Boolean).join(': ') || undefined];
}

/** The features as groups of rows: name, yes/no/unknown, detail. */
export function featureGroups(f: SandboxFeatures): [string, Row[]][] {
  const s = f.seccomp;
  const p = f.ptrace;
  return [
    [
      'seccomp',
      [
        ['filter mode (PR_SET_SECCOMP)', s.filterMode],
        ['seccomp(2)', s.seccompSyscall],
        ['current mode of sb', true, String(s.currentMode ?? 'unknown')],
        ...Object.entries(s.actions).map(
          ([a, v]): Row => [`action ${a}`, v, v === null ? 'GET_ACTION_AVAIL missing' : undefined],
        ),
        ...Object.entries(s.flags).map(([a, v]): Row => [`flag ${a}`, v]),
        [
          'notification sizes',
          s.notifSizes !== null,
          s.notifSizes
            ? `notif ${s.notifSizes.notif}, resp ${s.notifSizes.resp}, data ${s.notifSizes.data}`
            : undefined,
        ],
      ],
    ],
    [
      'ptrace',
      [
        ['PTRACE_SEIZE', p.seize, p.seize ? undefined : errnoName(p.seizeErrno)],
        ['PTRACE_O_TRACESECCOMP', p.traceSeccomp],
        ['PTRACE_O_EXITKILL', p.exitKill],
        ['PTRACE_GET_SYSCALL_INFO', p.syscallInfo],
        ['process_vm_readv', p.processVm],
        ['/proc/PID/mem', p.procMem],
        ['seccomp stop order', p.seccompOrder !== null, p.seccompOrder ?? 'no seccomp stops'],
        ['SECCOMP_RET_DATA', p.seccompRetData],
      ],
    ],
    [
      'namespaces',
      [
        ...Object.entries(f.namespaces).map(([n, v]) => probeRow(n, v)),
        [
          'unprivileged user namespaces',
          f.userNamespaces.unprivilegedAllowed,
          f.userNamespaces.unprivilegedReason,
        ],
      ],
    ],
    [
      'landlock',
      [
        [
          'landlock_create_ruleset',
          f.landlock.available,
          f.landlock.abi !== null ? `ABI ${f.landlock.abi}` : f.landlock.errno,
        ],
      ],
    ],
    ['misc', Object.entries(f.misc).map(([n, v]) => probeRow(n, v))],
  ];
}

export function registerFeatures(program: Command): void {
  program
    .command('features')
    .description(
      'Probe the kernel: seccomp, ptrace, namespaces, Landlock and more, and the backend `sb run` would use',
    )
    .option('--json', 'print the probes as one JSON object')
    .addHelpText(
      'after',
      '\nEvery answer comes from trying the call and reading errno (never from the kernel version).\n\nExamples:\n  sb features\n  sb features --json | jq .backend',
    )
    .action((opts: { json?: boolean }) => {
      const f = features();
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(f, null, 2)}\n`);
        return;
      }
      const st = stdoutStyle();
      const out: string[] = [];
      for (const [group, rows] of featureGroups(f)) {
        out.push(st.bold(group));
        for (const [name, ok, detail] of rows) {
          const mark = ok === null ? st.yellow('unknown') : ok ? st.green('yes') : st.red('no');
          out.push(`  ${name.padEnd(34)} ${mark}${detail ? `  (${detail})` : ''}`);
        }
      }
      out.push(st.bold('backend'));
      out.push(`  sb run --backend auto: ${f.backend.backend ?? st.red('none')}`);
      out.push(`  why: ${f.backend.reason}`);
      for (const c of f.backend.candidates)
        out.push(`  ${c.name.padEnd(16)} ${c.usable ? st.green('usable') : st.red('unusable')}  (${c.why})`);
      process.stdout.write(`${out.join('\n')}\n`);
    });
}
