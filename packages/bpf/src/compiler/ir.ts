import {
  BPF_ABS,
  BPF_ALU,
  BPF_AND,
  BPF_JA,
  BPF_JEQ,
  BPF_JGE,
  BPF_JGT,
  BPF_JMP,
  BPF_K,
  BPF_LD,
  BPF_MAXINSNS,
  BPF_RET,
  BPF_W,
  bpfOp,
  type Insn,
} from '../insn.js';
import { PolicyError } from './types.js';

/**
 * The compiler's intermediate form: a DAG of instructions whose jumps name nodes, not
 * offsets. Straight-line nodes (ld, alu) fall through to `next`; jumps have `t`/`f`.
 * Layout into 8-bit relative offsets (with trampolines) happens last.
 */
export type NodeId = number;

export type Node =
  | { kind: 'ld'; off: number; next: NodeId }
  | { kind: 'alu'; code: number; k: number; next: NodeId }
  | { kind: 'jmp'; code: number; k: number; t: NodeId; f: NodeId }
  | { kind: 'ja'; t: NodeId }
  | { kind: 'ret'; k: number };

export class Graph {
  readonly nodes: Node[] = [];
  private readonly rets = new Map<string, NodeId>();

  add(node: Node): NodeId {
    this.nodes.push(node);
    return this.nodes.length - 1;
  }

  ld(off: number, next: NodeId): NodeId {
    return this.add({ kind: 'ld', off, next });
  }

  /** A &= k. */
  and(k: number, next: NodeId): NodeId {
    return this.add({ kind: 'alu', code: BPF_ALU | BPF_AND | BPF_K, k: k >>> 0, next });
  }

  /** One `ret` per distinct action and scope: every path with that outcome jumps to it. */
  ret(action: number, scope = ''): NodeId {
    const key = `${scope}:${action >>> 0}`;
    let id = this.rets.get(key);
    if (id === undefined) {
      id = this.add({ kind: 'ret', k: action >>> 0 });
      this.rets.set(key, id);
    }
    return id;
  }

  jmp(op: number, k: number, t: NodeId, f: NodeId): NodeId {
    return this.add({ kind: 'jmp', code: BPF_JMP | op | BPF_K, k: k >>> 0, t, f });
  }

  node(id: NodeId): Node {
    const n = this.nodes[id];
    if (!n) throw new Error(`internal: no node ${id}`);
    return n;
  }
}

function successors(n: Node): NodeId[] {
  switch (n.kind) {
    case 'ld':
    case 'alu':
      return [n.next];
    case 'jmp':
      return [n.t, n.f];
    case 'ja':
      return [n.t];
    case 'ret':
      return [];
  }
}

/** Nodes reachable from `entry`, in a topological order (every edge goes forward). */
function topoOrder(g: Graph, entry: NodeId): NodeId[] {
  const order: NodeId[] = [];
  const state = new Uint8Array(g.nodes.length); // 0 new, 1 open, 2 done
  const stack: [NodeId, number][] = [[entry, 0]];
  state[entry] = 1;
  while (stack.length) {
    const top = stack[stack.length - 1] as [NodeId, number];
    const succ = successors(g.node(top[0]));
    if (top[1] < succ.length) {
      const s = succ[top[1]++] as NodeId;
      if (state[s] === 1) throw new Error('internal: cycle in the filter graph');
      if (state[s] === 0) {
        state[s] = 1;
        stack.push([s, 0]);
      }
    } else {
      state[top[0]] = 2;
      order.push(top[0]);
      stack.pop();
    }
  }
  return order.reverse();
}

// ---- Jump threading: what each path knows about the seccomp_data words ----

interface Range {
  min: number;
  max: number;
  ex: Set<number>;
}

interface Facts {
  /** Word offset -> what is known about it. Missing: nothing known. */
  words: Map<number, Range>;
  /** The word A holds, or -1 when A holds something else (an ALU result). */
  a: number;
}

const FULL = (): Range => ({ min: 0, max: 0xffffffff, ex: new Set() });

function copyFacts(f: Facts): Facts {
  const words = new Map<number, Range>();
  for (const [k, r] of f.words) words.set(k, { min: r.min, max: r.max, ex: new Set(r.ex) });
  return { words, a: f.a };
}

function meet(x: Facts, y: Facts): Facts {
  const words = new Map<number, Range>();
  for (const [k, r] of x.words) {
    const s = y.words.get(k);
    if (!s) continue;
    const ex = new Set<number>();
    for (const v of r.ex) if (s.ex.has(v) || v < s.min || v > s.max) ex.add(v);
    for (const v of s.ex) if (v < r.min || v > r.max) ex.add(v);
    words.set(k, { min: Math.min(r.min, s.min), max: Math.max(r.max, s.max), ex });
  }
  return { words, a: x.a === y.a ? x.a : -1 };
}

/** true/false when the facts decide the jump, undefined otherwise. */
function decide(n: Node & { kind: 'jmp' }, f: Facts): boolean | undefined {
  if (f.a < 0) return undefined;
  const r = f.words.get(f.a) ?? FULL();
  const k = n.k;
  switch (bpfOp(n.code)) {
    case BPF_JEQ:
      if (r.min === k && r.max === k) return true;
      if (k < r.min || k > r.max || r.ex.has(k)) return false;
      return undefined;
    case BPF_JGT:
      if (r.min > k) return true;
      if (r.max <= k) return false;
      return undefined;
    case BPF_JGE:
      if (r.min >= k) return true;
      if (r.max < k) return false;
      return undefined;
    default:
      return undefined;
  }
}

function refine(n: Node & { kind: 'jmp' }, f: Facts, taken: boolean): Facts {
  if (f.a < 0) return f;
  const out = copyFacts(f);
  const r = out.words.get(f.a) ?? FULL();
  const k = n.k;
  switch (bpfOp(n.code)) {
    case BPF_JEQ:
      if (taken) {
        r.min = k;
        r.max = k;
        r.ex.clear();
      } else {
        r.ex.add(k);
        while (r.ex.has(r.min) && r.min < r.max) r.ex.delete(r.min++);
        while (r.ex.has(r.max) && r.max > r.min) r.ex.delete(r.max--);
      }
      break;
    case BPF_JGT:
      if (taken) r.min = Math.max(r.min, k + 1);
      else r.max = Math.min(r.max, k);
      break;
    case BPF_JGE:
      if (taken) r.min = Math.max(r.min, k);
      else r.max = Math.min(r.max, k - 1);
      break;
    default:
      return out;
  }
  out.words.set(f.a, r);
  return out;
}

/**
 * Follows an edge through loads and jumps whose outcome the path already decides, and
 * returns the first node that must really execute. A skipped load must not change what
 * the landing node sees in A: we land on the load itself unless A already holds that word
 * or the landing node overwrites A or returns a constant.
 */
function thread(g: Graph, target: NodeId, facts: Facts): NodeId {
  let cur = target;
  let virt = facts; // what is known if everything skipped had executed
  let pendingLoad: NodeId | undefined;
  for (let steps = 0; steps < 10_000; steps++) {
    const n = g.node(cur);
    if (n.kind === 'ld') {
      if (!(pendingLoad === undefined && facts.a === n.off)) pendingLoad = cur;
      virt = { words: virt.words, a: n.off };
      cur = n.next;
      continue;
    }
    if (n.kind === 'jmp') {
      const d = decide(n, virt);
      if (d === undefined) return pendingLoad ?? cur;
      cur = d ? n.t : n.f;
      continue;
    }
    if (n.kind === 'ja') {
      cur = n.t;
      continue;
    }
    if (n.kind === 'ret') return cur;
    return pendingLoad ?? cur;
  }
  return target;
}

/** Jump threading over the whole graph; returns the entry (which may itself move). */
export function optimize(g: Graph, entry: NodeId): NodeId {
  const order = topoOrder(g, entry);
  const inFacts = new Map<NodeId, Facts>();
  inFacts.set(entry, { words: new Map(), a: -1 });
  const flow = (to: NodeId, f: Facts): void => {
    const old = inFacts.get(to);
    inFacts.set(to, old ? meet(old, f) : f);
  };
  for (const id of order) {
    const f = inFacts.get(id);
    if (!f) continue; // no longer reachable after threading
    inFacts.delete(id);
    const n = g.node(id);
    switch (n.kind) {
      case 'ld':
        flow(n.next, { words: f.words, a: n.off });
        break;
      case 'alu':
        flow(n.next, { words: f.words, a: -1 });
        break;
      case 'ja':
        flow(n.t, f);
        break;
      case 'jmp': {
        const ft = refine(n, f, true);
        const ff = refine(n, f, false);
        n.t = thread(g, n.t, ft);
        n.f = thread(g, n.f, ff);
        flow(n.t, ft);
        flow(n.f, ff);
        break;
      }
      case 'ret':
        break;
    }
  }
  return entry;
}

// ---- Layout ----

interface Slot {
  node: Node;
  t?: Slot;
  f?: Slot;
  /** Set on trampolines and return copies the layout inserted: the slot they stand for. */
  standsFor?: Slot;
}

/**
 * Orders the reachable nodes (straight-line nodes directly before their successor, every
 * jump forward) and encodes them. Conditional jumps reach at most 255 instructions: a far
 * target gets a copy of its `ret` (same size as a trampoline, one instruction faster) or
 * a `ja` trampoline right after the jump, shared by later far jumps to the same target.
 */
export function layout(g: Graph, entry: NodeId): { program: Insn[]; trampolines: number } {
  const order = topoOrder(g, entry);
  // Chains: a straight-line node and its `next` must be adjacent. Threading can aim jumps
  // into the middle of a chain, so a chain is placed once every edge into any of its nodes
  // comes from a placed chain (the chain graph of a DAG is acyclic).
  const fallInto = new Set<NodeId>();
  for (const id of order) {
    const n = g.node(id);
    if (n.kind === 'ld' || n.kind === 'alu') fallInto.add(n.next);
  }
  const chainOf = new Map<NodeId, NodeId>();
  const members = new Map<NodeId, NodeId[]>();
  for (const id of order) {
    if (fallInto.has(id)) continue;
    const list: NodeId[] = [];
    let cur = id;
    for (;;) {
      chainOf.set(cur, id);
      list.push(cur);
      const n = g.node(cur);
      if (n.kind !== 'ld' && n.kind !== 'alu') break;
      cur = n.next;
    }
    members.set(id, list);
  }
  const remaining = new Map<NodeId, number>();
  for (const id of order) {
    for (const s of successors(g.node(id))) {
      const from = chainOf.get(id) as NodeId;
      const to = chainOf.get(s) as NodeId;
      if (from !== to) remaining.set(to, (remaining.get(to) ?? 0) + 1);
    }
  }
  const placedOrder: NodeId[] = [];
  const ready: NodeId[] = [entry];
  while (ready.length) {
    const head = ready.pop() as NodeId;
    const list = members.get(head) as NodeId[];
    for (const id of list) placedOrder.push(id);
    // The last released is laid out next: a jump's false branch is released last.
    for (const id of list) {
      for (const s of successors(g.node(id))) {
        const to = chainOf.get(s) as NodeId;
        if (to === head) continue;
        const left = (remaining.get(to) ?? 0) - 1;
        remaining.set(to, left);
        if (left === 0) ready.push(to);
      }
    }
  }
  if (placedOrder.length !== order.length) throw new Error('internal: layout left nodes out');

  const slotOf = new Map<NodeId, Slot>();
  const slots: Slot[] = placedOrder.map((id) => {
    const slot: Slot = { node: g.node(id) };
    slotOf.set(id, slot);
    return slot;
  });
  for (const s of slots) {
    if (s.node.kind === 'jmp') {
      s.t = slotOf.get(s.node.t);
      s.f = slotOf.get(s.node.f);
    } else if (s.node.kind === 'ja') s.t = slotOf.get(s.node.t);
  }

  let trampolines = 0;
  for (let round = 0; ; round++) {
    if (round > 20_000) throw new Error('internal: layout did not converge');
    const index = new Map<Slot, number>();
    for (const [i, s] of slots.entries()) index.set(s, i);
    let fixed = false;
    for (let i = 0; i < slots.length && !fixed; i++) {
      const s = slots[i] as Slot;
      if (s.node.kind !== 'jmp') continue;
      for (const branch of ['t', 'f'] as const) {
        const target = s[branch] as Slot;
        const dist = (index.get(target) as number) - i - 1;
        if (dist < 0) throw new Error('internal: backward jump in layout');
        if (dist <= 255) continue;
        let via: Slot | undefined;
        for (let j = i + 1; j < Math.min(slots.length, i + 257); j++) {
          if ((slots[j] as Slot).standsFor === target) {
            via = slots[j];
            break;
          }
        }
        if (!via) {
          via =
            target.node.kind === 'ret'
              ? { node: target.node, standsFor: target }
              : { node: { kind: 'ja', t: -1 }, t: target, standsFor: target };
          slots.splice(i + 1, 0, via);
          trampolines++;
        }
        s[branch] = via;
        fixed = true;
        break;
      }
    }
    if (!fixed) break;
  }
  if (slots.length > BPF_MAXINSNS) {
    throw new PolicyError(
      `the policy compiles to ${slots.length} instructions; the kernel accepts at most ${BPF_MAXINSNS}`,
    );
  }
  const index = new Map<Slot, number>();
  for (const [i, s] of slots.entries()) index.set(s, i);
  const program = slots.map((s, i): Insn => {
    const n = s.node;
    const off = (to: Slot | undefined): number => (index.get(to as Slot) as number) - i - 1;
    switch (n.kind) {
      case 'ld':
        return { code: BPF_LD | BPF_W | BPF_ABS, jt: 0, jf: 0, k: n.off };
      case 'alu':
        return { code: n.code, jt: 0, jf: 0, k: n.k >>> 0 };
      case 'ret':
        return { code: BPF_RET | BPF_K, jt: 0, jf: 0, k: n.k >>> 0 };
      case 'ja':
        return { code: BPF_JMP | BPF_JA, jt: 0, jf: 0, k: off(s.t) };
      case 'jmp':
        return { code: n.code, jt: off(s.t), jf: off(s.f), k: n.k >>> 0 };
      default:
        throw new Error('internal: unknown node');
    }
  });
  return { program, trampolines };
}
