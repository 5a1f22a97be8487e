/**
 * An error caused by what the user asked for (bad flag, unknown name, unreadable
 * file). Printed as one line without a stack trace.
 */
export class UsageError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = 'UsageError';
    this.exitCode = exitCode;
  }
}
