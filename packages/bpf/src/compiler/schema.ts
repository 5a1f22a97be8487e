import { once, zod } from '../zod.js';
import { formatAction, parseAction } from './actions.js';
import { type ArgCondition, CMP_OPS, type Policy, PolicyError, type PolicyRule } from './types.js';

const MASK64 = (1n << 64n) - 1n;

function buildSchemas() {
  const z = zod();
  /** A 64-bit value in JSON: a safe integer, or a string "0x1f", "31", "-1" (taken modulo 2^64). */
  const value64 = z.union([z.number(), z.string()]).transform((v, ctx): bigint => {
    if (typeof v === 'number') {
      if (!Number.isSafeInteger(v)) {
        ctx.addIssue({
          code: 'custom',
          message: `${v} is not an exact integer; write large values as strings ("0x...")`,
        });
        return z.NEVER;
      }
      return BigInt(v) & MASK64;
    }
    const t = v.trim();
    if (!/^-?(0x[0-9a-f]+|0o[0-7]+|0b[01]+|\d+)$/i.test(t)) {
      ctx.addIssue({
        code: 'custom',
        message: `"${v}" is not an integer (decimal, 0x hex, 0o octal or 0b binary)`,
      });
      return z.NEVER;
    }
    const neg = t.startsWith('-');
    const n = BigInt(neg ? t.slice(1) : t);
    if (n > MASK64) {
      ctx.addIssue({ code: 'custom', message: `"${v}" does not fit in 64 bits` });
      return z.NEVER;
    }
    return (neg ? -n : n) & MASK64;
  });

  const actionText = z.string().transform((v, ctx): number => {
    try {
      return parseAction(v);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: (e as Error).message });
      return z.NEVER;
    }
  });

  const condition = z
    .object({
      index: z.number().int().min(0).max(5),
      op: z.enum(CMP_OPS as [string, ...string[]]),
      value: value64,
      mask: value64.optional(),
    })
    .strict()
    .superRefine((c, ctx) => {
      if (c.op === 'masked==' && c.mask === undefined) {
        ctx.addIssue({ code: 'custom', path: ['mask'], message: "'masked==' needs a mask" });
      }
      if (c.op !== 'masked==' && c.mask !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['mask'], message: "only 'masked==' takes a mask" });
      }
    });

  const rule = z
    .object({
      syscall: z.union([z.string().min(1), z.number().int().min(-1).max(0xffffffff)]),
      action: actionText,
      args: z.array(condition).max(64).optional(),
      comment: z.string().optional(),
    })
    .strict();

  const policySchema = z
    .object({
      $schema: z.string().optional(),
      comment: z.string().optional(),
      arches: z.array(z.string().min(1)).min(1),
      defaultAction: actionText,
      badArchAction: actionText.optional(),
      rules: z.array(rule),
    })
    .strict();
  return { policy: policySchema };
}

const schemas = once(buildSchemas);
type Schemas = ReturnType<typeof buildSchemas>;

/** The policy JSON's zod schema (built on first use). */
export const policySchema = (): Schemas['policy'] => schemas().policy;

function pathText(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out || '(top level)';
}

/**
 * Reads a policy from its JSON form (see the README). Every problem is reported with the
 * path inside the document, e.g. `rules.json: rules[3].args[0].op: ...`.
 */
export function parsePolicy(input: string | unknown, source = 'policy'): Policy {
  let doc: unknown = input;
  if (typeof input === 'string') {
    try {
      doc = JSON.parse(input);
    } catch (e) {
      throw new PolicyError(`${source}: not valid JSON: ${(e as Error).message}`);
    }
  }
  const r = policySchema().safeParse(doc);
  if (!r.success) {
    const first = r.error.issues.slice(0, 5).map((i) => `${source}: ${pathText(i.path)}: ${i.message}`);
    throw new PolicyError(first.join('\n'));
  }
  const p = r.data;
  const rules: PolicyRule[] = p.rules.map((x) => ({
    syscall: x.syscall,
    action: x.action,
    ...(x.args
      ? {
          args: x.args.map(
            (c): ArgCondition => ({
              index: c.index,
              op: c.op as ArgCondition['op'],
              value: c.value,
              ...(c.mask !== undefined ? { mask: c.mask } : {}),
            }),
          ),
        }
      : {}),
  }));
  return {
    arches: p.arches,
    defaultAction: p.defaultAction,
    ...(p.badArchAction !== undefined ? { badArchAction: p.badArchAction } : {}),
    rules,
  };
}

const hex = (v: bigint): string | number => (v <= 0xffffffffn ? Number(v) : `0x${v.toString(16)}`);

/** The JSON form of a policy (the inverse of parsePolicy). */
export function policyToJson(policy: Policy): unknown {
  return {
    arches: [...policy.arches],
    defaultAction: formatAction(policy.defaultAction),
    ...(policy.badArchAction !== undefined ? { badArchAction: formatAction(policy.badArchAction) } : {}),
    rules: policy.rules.map((r) => ({
      syscall: r.syscall,
      action: formatAction(r.action),
      ...(r.args?.length
        ? {
            args: r.args.map((c) => ({
              index: c.index,
              op: c.op,
              value: hex(c.value),
              ...(c.mask !== undefined ? { mask: hex(c.mask) } : {}),
            })),
          }
        : {}),
    })),
  };
}
