/** Errors thrown for names this package does not know. Each carries the closest known name, if any. */

export class UnknownArchError extends Error {
  readonly input: string;
  readonly suggestion: string | undefined;
  constructor(input: string, suggestion: string | undefined) {
    super(`unknown architecture '${input}'${suggestion ? ` (did you mean '${suggestion}'?)` : ''}`);
    this.name = 'UnknownArchError';
    this.input = input;
    this.suggestion = suggestion;
  }
}

export class UnknownSyscallError extends Error {
  readonly input: string;
  readonly arch: string;
  readonly suggestion: string | undefined;
  /** Other ABIs that do have a syscall of this name (empty for numbers and unknown names). */
  readonly availableOn: readonly string[];
  constructor(
    input: string,
    arch: string,
    suggestion: string | undefined,
    availableOn: readonly string[] = [],
  ) {
    const where =
      availableOn.length > 0
        ? ` (it exists on ${availableOn.slice(0, 6).join(', ')}${availableOn.length > 6 ? ', ...' : ''})`
        : suggestion
          ? ` (did you mean '${suggestion}'?)`
          : '';
    super(`unknown syscall '${input}' on ${arch}${where}`);
    this.name = 'UnknownSyscallError';
    this.input = input;
    this.arch = arch;
    this.suggestion = suggestion;
    this.availableOn = availableOn;
  }
}

export class UnknownGroupError extends Error {
  readonly input: string;
  readonly suggestion: string | undefined;
  constructor(input: string, suggestion: string | undefined) {
    super(`unknown syscall group '${input}'${suggestion ? ` (did you mean '${suggestion}'?)` : ''}`);
    this.name = 'UnknownGroupError';
    this.input = input;
    this.suggestion = suggestion;
  }
}
