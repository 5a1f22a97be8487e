/**
 * The coverage table made concrete for one ABI: register indexes of the
 * path, dirfd, fd, flags and address arguments of each checked syscall.
 */

import type { Arch, ArgKind, Syscall } from '@sb/syscalls';
import { COVERAGE, OPAQUE, type PathOperand, type SyscallCheck } from './coverage.js';
import type { ErrnoName } from './errno.js';
import type { Category } from './model.js';

export interface OperandPlan {
  readonly spec: PathOperand;
  /** Register of the path pointer; undefined for fd-based operands. */
  readonly pathReg?: number;
  readonly dirfdReg?: number;
  readonly fdReg?: number;
  readonly whenReg?: number;
}

export type SyscallPlan =
  | {
      readonly kind: 'path';
      readonly name: string;
      readonly nr: number;
      readonly operands: readonly OperandPlan[];
      readonly atFlagsReg?: number;
      readonly openFlagsReg?: number;
      readonly openHowReg?: number;
      readonly renameFlagsReg?: number;
    }
  | {
      readonly kind: 'net';
      readonly name: string;
      readonly nr: number;
      readonly category: 'net/bind' | 'net/connect';
      readonly form: 'sockaddr' | 'msghdr' | 'mmsghdr';
      /** sockaddr form: address and length registers; msghdr/mmsghdr: the struct pointer (and vlen). */
      readonly addrReg: number;
      readonly lenReg?: number;
    }
  | {
      readonly kind: 'socketcall';
      readonly name: string;
      readonly nr: number;
      readonly callReg: number;
      readonly argsReg: number;
    }
  | {
      /** Denied outright while any of `categories` is on (unsafe calls, calls without argument data). */
      readonly kind: 'deny-when-on';
      readonly name: string;
      readonly nr: number;
      readonly categories: readonly Category[];
      readonly errno: ErrnoName;
      readonly why: string;
      /** PolicyOptions.unsafe key that allows the call anyway. */
      readonly option?: 'openByHandleAt' | 'nameToHandleAt' | 'ioUring' | 'crossProcess' | 'chroot';
    };

/** C types that betray a kind the argument data missed (x32's compat_msghdr is typed 'pointer'). */
const TYPE_HINTS: Partial<Record<ArgKind, RegExp>> = {
  msghdr: /struct (compat_)?msghdr\b/,
  mmsghdr: /struct (compat_)?mmsghdr\b/,
  sockaddr: /struct sockaddr\b/,
};

function nth(sc: Syscall, kind: ArgKind, ordinal: number): number | undefined {
  const hint = TYPE_HINTS[kind];
  let seen = 0;
  for (let i = 0; i < sc.args.length; i++) {
    const a = sc.args[i]!;
    if (a.kind === kind || (hint && a.kind === 'pointer' && hint.test(a.type))) {
      if (seen === ordinal) return i;
      seen++;
    }
  }
  return undefined;
}

function categoriesOf(check: SyscallCheck): Category[] {
  switch (check.kind) {
    case 'path': {
      const out = new Set<Category>();
      for (const o of check.operands) {
        if (o.category === 'open') {
          out.add('read');
          out.add('write');
          out.add('stat');
        } else out.add(o.category);
      }
      return [...out];
    }
    case 'net':
      return [check.category];
    case 'socketcall':
      return ['net/bind', 'net/connect'];
    default:
      return [...check.categories];
  }
}

/** The check for a syscall name, or undefined when the policy does not look at it. */
export function checkFor(name: string): SyscallCheck | undefined {
  return COVERAGE[name] ?? OPAQUE[name];
}

/**
 * The plan for one syscall of one ABI, or null when the policy does not look
 * at it. A covered call whose arguments cannot be located (no argument data
 * for this ABI) is denied while its categories are on: fail closed.
 */
export function planSyscall(arch: Arch, sc: Syscall): SyscallPlan | null {
  const check = checkFor(sc.name);
  if (!check) return null;
  const base = { name: sc.name, nr: sc.nr };
  const unplannable = (why: string): SyscallPlan => ({
    kind: 'deny-when-on',
    ...base,
    categories: categoriesOf(check),
    errno: 'ENOSYS',
    why: `${why} on ${arch.name}`,
  });
  switch (check.kind) {
    case 'opaque':
      return {
        kind: 'deny-when-on',
        ...base,
        categories: check.categories,
        errno: check.errno,
        why: check.why,
      };
    case 'unsafe':
      return {
        kind: 'deny-when-on',
        ...base,
        categories: check.categories,
        errno: check.errno,
        why: check.why,
        option: check.option,
      };
    case 'socketcall': {
      const callReg = nth(sc, 'socketcall_call', 0);
      const argsReg = nth(sc, 'socketcall_args', 0);
      if (callReg === undefined || argsReg === undefined || !arch.multiplexers.socketcall)
        return unplannable('socketcall without argument data');
      return { kind: 'socketcall', ...base, callReg, argsReg };
    }
    case 'net': {
      const kind: ArgKind = check.form === 'sockaddr' ? 'sockaddr' : check.form;
      const addrReg = nth(sc, kind, 0);
      // sockaddr: its length argument; mmsghdr: the vector length (first int); msghdr: none.
      const lenReg =
        check.form === 'sockaddr'
          ? nth(sc, 'sockaddr_len', 0)
          : check.form === 'mmsghdr'
            ? nth(sc, 'int', 0)
            : -1;
      if (addrReg === undefined || lenReg === undefined)
        return unplannable(`${sc.name} without argument data`);
      return {
        kind: 'net',
        ...base,
        category: check.category,
        form: check.form,
        addrReg,
        ...(lenReg >= 0 ? { lenReg } : {}),
      };
    }
    case 'path': {
      const operands: OperandPlan[] = [];
      for (const o of check.operands) {
        const pathReg =
          o.path === undefined
            ? undefined
            : (nth(sc, o.pathKind ?? 'path', o.path) ??
              (o.alt ? nth(sc, o.alt.kind, o.alt.ordinal) : undefined));
        const dirfdReg = o.dirfd === undefined ? undefined : nth(sc, 'dirfd', o.dirfd);
        const fdReg = o.fd === undefined ? undefined : nth(sc, 'fd', o.fd);
        const whenReg = o.when ? nth(sc, o.when.kind, o.when.ordinal) : undefined;
        if (
          (o.path !== undefined && pathReg === undefined) ||
          (o.dirfd !== undefined && dirfdReg === undefined) ||
          (o.fd !== undefined && fdReg === undefined) ||
          (o.when && whenReg === undefined)
        )
          return unplannable(`${sc.name} without argument data`);
        operands.push({
          spec: o,
          ...(pathReg !== undefined ? { pathReg } : {}),
          ...(dirfdReg !== undefined ? { dirfdReg } : {}),
          ...(fdReg !== undefined ? { fdReg } : {}),
          ...(whenReg !== undefined ? { whenReg } : {}),
        });
      }
      const atFlagsReg = nth(sc, 'at_flags', 0);
      const openFlagsReg = nth(sc, 'open_flags', 0);
      const openHowReg = nth(sc, 'open_how', 0);
      const renameFlagsReg = nth(sc, 'rename_flags', 0);
      if (check.flagsFrom === 'open_flags' && openFlagsReg === undefined)
        return unplannable(`${sc.name} without its flags argument`);
      if (check.flagsFrom === 'open_how' && openHowReg === undefined)
        return unplannable(`${sc.name} without its open_how argument`);
      // *at calls without a flags argument (faccessat, fchmodat) simply have none: follow, no empty path.
      return {
        kind: 'path',
        ...base,
        operands,
        ...(atFlagsReg !== undefined ? { atFlagsReg } : {}),
        ...(openFlagsReg !== undefined ? { openFlagsReg } : {}),
        ...(openHowReg !== undefined ? { openHowReg } : {}),
        ...(renameFlagsReg !== undefined ? { renameFlagsReg } : {}),
      };
    }
  }
}

export { categoriesOf };
