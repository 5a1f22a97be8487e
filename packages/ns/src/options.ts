/**
 * The option model: what a sandbox's namespaces, root and privileges look like,
 * validated by zod so a bad value is named before anything starts.
 */
import type { z as Z } from 'zod';
import { CAPABILITIES } from './caps.generated.js';
import { once, zod } from './zod.js';

export const NAMESPACE_NAMES = ['user', 'mount', 'pid', 'net', 'uts', 'ipc', 'cgroup', 'time'] as const;
export type NamespaceName = (typeof NAMESPACE_NAMES)[number];

function buildSchemas() {
  const z = zod();
  const noNul = (what: string) =>
    z
      .string()
      .min(1, `${what} is empty`)
      .refine((s) => !s.includes('\0'), `${what} contains a NUL byte`);
  const absolute = (what: string) =>
    noNul(what).refine((s) => s.startsWith('/'), `${what} must be an absolute path`);
  const mode = z.number().int().min(0).max(0o7777, 'a mode is at most 07777');

  /** true: a new namespace (fail if the kernel refuses); 'try': a new one where the kernel allows it. */
  const unshareValue = z.union([z.boolean(), z.literal('try')]);

  /** One operation building the new root, applied in the order given (like bubblewrap's). */
  const mountOpSchema = z.discriminatedUnion('op', [
    z
      .object({
        op: z.enum(['bind', 'ro-bind', 'dev-bind']),
        source: noNul('source'),
        dest: absolute('destination'),
        /** Skip the operation when the source does not exist (bubblewrap's -try forms). */
        try: z.boolean().optional(),
      })
      .strict(),
    z
      .object({
        op: z.literal('tmpfs'),
        dest: absolute('destination'),
        size: z.number().int().positive().optional(),
        mode: mode.optional(),
      })
      .strict(),
    z.object({ op: z.enum(['proc', 'dev', 'mqueue', 'remount-ro']), dest: absolute('destination') }).strict(),
    z.object({ op: z.literal('dir'), dest: absolute('destination'), mode: mode.optional() }).strict(),
    z
      .object({ op: z.literal('symlink'), target: noNul('symlink target'), dest: absolute('destination') })
      .strict(),
    z
      .object({
        op: z.literal('file'),
        dest: absolute('destination'),
        content: z.union([
          z.string(),
          z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'content must be a string or bytes'),
        ]),
        mode: mode.optional(),
        /** Bind the file read-only onto itself (bubblewrap's --ro-bind-data). */
        readOnly: z.boolean().optional(),
      })
      .strict(),
    z.object({ op: z.literal('chmod'), dest: absolute('path'), mode }).strict(),
  ]);

  const capabilityName = z
    .string()
    .transform((s) => (s.toUpperCase().startsWith('CAP_') ? s.toUpperCase() : `CAP_${s.toUpperCase()}`))
    .superRefine((s, ctx) => {
      if (!(s in CAPABILITIES)) ctx.addIssue({ code: 'custom', message: `unknown capability ${s}` });
    });

  const id = z.number().int().min(0).max(0xfffffffe, 'an id is at most 4294967294');

  const namespaceOptionsSchema = z
    .object({
      /** Which namespaces to create. Unprivileged, a user namespace is added whenever any other is asked for. */
      unshare: z
        .object(
          Object.fromEntries(NAMESPACE_NAMES.map((n) => [n, unshareValue.optional()])) as {
            [K in NamespaceName]: Z.ZodOptional<typeof unshareValue>;
          },
        )
        .strict()
        .optional(),
      /** The uid/gid the program has inside the user namespace (default: the caller's). */
      uid: id.optional(),
      gid: id.optional(),
      /** Also map the caller's subordinate ids (/etc/subuid, /etc/subgid) with newuidmap/newgidmap. */
      mapSubordinateIds: z.boolean().optional(),
      /** The host name in the new UTS namespace. */
      hostname: z
        .string()
        .min(1)
        .max(64, 'a host name is at most 64 bytes')
        .refine((s) => !s.includes('\0'), 'the host name contains a NUL byte')
        .optional(),
      /** Offsets (seconds, may be negative or fractional) of the new time namespace's clocks. */
      timeOffsets: z
        .object({ monotonic: z.number().finite().optional(), boottime: z.number().finite().optional() })
        .strict()
        .optional(),
      /**
       * A new root built from these operations (on an empty tmpfs, then pivot_root):
       * nothing else of the host is visible. Absent: the host's root stays.
       */
      root: z.array(mountOpSchema).optional(),
      /** The program is pid 1 of the new pid namespace (no reaper above it). */
      asPid1: z.boolean().optional(),
      /** Capabilities the program keeps (default none): names like CAP_NET_ADMIN or NET_ADMIN. */
      keepCapabilities: z.array(capabilityName).optional(),
      /** No further user namespaces inside (user.max_user_namespaces=0 in the sandbox's own; bwrap's --disable-userns). */
      disableUserns: z.boolean().optional(),
      /** Bring the loopback interface up in a new network namespace (default true). */
      loopback: z.boolean().optional(),
    })
    .strict();
  return { mountOp: mountOpSchema, options: namespaceOptionsSchema };
}

const schemas = once(buildSchemas);
type Schemas = ReturnType<typeof buildSchemas>;

/** One operation building the new root (zod schema, built on first use). */
export const mountOpSchema = (): Schemas['mountOp'] => schemas().mountOp;
/** The whole option model (zod schema, built on first use). */
export const namespaceOptionsSchema = (): Schemas['options'] => schemas().options;

export type MountOp = Z.infer<Schemas['mountOp']>;
export type NamespaceOptionsInput = Z.input<Schemas['options']>;
export type NamespaceOptions = Z.output<Schemas['options']>;

/** Bad namespace options (the message names the option and the problem). */
export class NamespaceOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NamespaceOptionsError';
  }
}

export function parseNamespaceOptions(input: unknown): NamespaceOptions {
  const r = namespaceOptionsSchema().safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new NamespaceOptionsError(`namespace options: ${where}${issue.message}`);
}
