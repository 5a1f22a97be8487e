export type ContenderKind = 'baseline' | 'sb' | 'peer';

/** Where a contender stands on this machine. Anything but `available` is reported with its reason. */
export type Availability =
  | { readonly status: 'available'; readonly binary: string; readonly version?: string }
  | {
      /** missing: not installed; not-available: sb lacks the command or backend; unusable: installed but cannot run /bin/true. */
      readonly status: 'missing' | 'not-available' | 'unusable';
      readonly reason: string;
    };

export interface DetectEnv {
  /** Directories searched for peers ($PATH). */
  readonly path: string;
  readonly env: NodeJS.ProcessEnv;
  /** The repository root (apps/sb lives there). */
  readonly repoRoot: string;
  /** bench/ (its node_modules/.bin holds srt). */
  readonly benchRoot: string;
  /** An empty scratch directory for probe runs. */
  readonly probeDir: string;
}

export interface WrapContext {
  /** The workload's directory: the command runs there and may write below it. */
  readonly workdir: string;
  /** A private, empty directory for this contender's own files (settings, sockets). */
  readonly scratch: string;
}

export interface Invocation {
  readonly argv: readonly string[];
  /** Added to the environment of the run. */
  readonly env?: Readonly<Record<string, string>>;
  /** Files to write before the run (absolute path -> content), e.g. a settings file. */
  readonly files?: Readonly<Record<string, string>>;
}

export interface Contender {
  readonly id: string;
  readonly label: string;
  readonly kind: ContenderKind;
  /**
   * A supervisor (tracer, notification handler) sits in the path of the
   * workload's system calls, so where it runs relative to the workload matters:
   * measured pinned to one CPU as well as free.
   */
  readonly supervised: boolean;
  /** The command line with WORK (workload dir), SCRATCH and CMD placeholders, for the reports. */
  readonly commandLine: string;
  /** What the contender is, one line. */
  readonly about: string;
  detect(env: DetectEnv): Promise<Availability>;
  wrap(cmd: readonly string[], ctx: WrapContext, binary: string): Invocation;
}
