import type { z as Z } from 'zod';
import { PolicyError } from '../compiler/types.js';
import { once, zod } from '../zod.js';

/** An OCI runtime-spec `linux.seccomp` object, with Moby's extensions (archMap, includes/excludes). */
function buildSchemas() {
  const z = zod();
  const u64 = z
    .union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)])
    .transform((v) => BigInt(v));

  const filter = z
    .object({
      caps: z.array(z.string()).nullish(),
      arches: z.array(z.string()).nullish(),
      minKernel: z
        .string()
        .regex(/^\d+(\.\d+){0,2}$/, 'a kernel version such as "4.8"')
        .nullish(),
    })
    .passthrough();

  const ociArgSchema = z
    .object({
      index: z.number().int().min(0).max(5),
      value: u64,
      valueTwo: u64.optional(),
      op: z.enum([
        'SCMP_CMP_NE',
        'SCMP_CMP_LT',
        'SCMP_CMP_LE',
        'SCMP_CMP_EQ',
        'SCMP_CMP_GE',
        'SCMP_CMP_GT',
        'SCMP_CMP_MASKED_EQ',
      ]),
    })
    .passthrough();

  const ociSyscallSchema = z
    .object({
      names: z.array(z.string()).nullish(),
      name: z.string().optional(),
      action: z.string(),
      errnoRet: z.number().int().min(0).max(0xffff).nullish(),
      args: z.array(ociArgSchema).nullish(),
      comment: z.string().optional(),
      includes: filter.nullish(),
      excludes: filter.nullish(),
    })
    .passthrough();

  const ociProfileSchema = z
    .object({
      defaultAction: z.string(),
      defaultErrnoRet: z.number().int().min(0).max(0xffff).nullish(),
      architectures: z.array(z.string()).nullish(),
      archMap: z
        .array(
          z
            .object({ architecture: z.string(), subArchitectures: z.array(z.string()).nullish() })
            .passthrough(),
        )
        .nullish(),
      flags: z.array(z.string()).nullish(),
      listenerPath: z.string().optional(),
      listenerMetadata: z.string().optional(),
      syscalls: z.array(ociSyscallSchema).nullish(),
    })
    .passthrough();
  return { arg: ociArgSchema, syscall: ociSyscallSchema, profile: ociProfileSchema };
}

const schemas = once(buildSchemas);
type Schemas = ReturnType<typeof buildSchemas>;

/** The profile's zod schema (built on first use). */
export const ociProfileSchema = (): Schemas['profile'] => schemas().profile;

export type OciProfile = Z.infer<Schemas['profile']>;
export type OciSyscall = Z.infer<Schemas['syscall']>;
export type OciArg = Z.infer<Schemas['arg']>;

/**
 * Parses profile JSON. Integers too large for a double (64-bit argument values) are read
 * exactly: they are quoted before JSON.parse sees them.
 */
export function parseOciProfile(input: string | unknown, source = 'profile'): OciProfile {
  let doc = input;
  if (typeof input === 'string') {
    const exact = input.replace(/("value(?:Two)?"\s*:\s*)(\d{16,})/g, '$1"$2"');
    try {
      doc = JSON.parse(exact);
    } catch (e) {
      throw new PolicyError(`${source}: not valid JSON: ${(e as Error).message}`);
    }
  }
  const r = ociProfileSchema().safeParse(doc);
  if (!r.success) {
    throw new PolicyError(
      r.error.issues
        .slice(0, 5)
        .map(
          (i) =>
            `${source}: ${
              i.path
                .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
                .join('')
                .replace(/^\./, '') || '(top level)'
            }: ${i.message}`,
        )
        .join('\n'),
    );
  }
  return r.data;
}
