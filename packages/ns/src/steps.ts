/** A small builder for setup steps: names saved results uniquely and keeps steps readable. */
import type { SetupStep, SetupValue } from '@sb/ptrace';

export class Steps {
  readonly list: SetupStep[] = [];
  private saved = 0;

  /** A fresh name to save a result under. */
  name(prefix: string): string {
    this.saved++;
    return `ns.${prefix}.${this.saved}`;
  }

  sys(
    step: string,
    name: string,
    args: readonly SetupValue[],
    extra: { save?: string; okErrnos?: readonly number[] } = {},
  ): void {
    this.list.push({
      kind: 'syscall',
      step,
      name,
      args,
      ...(extra.save !== undefined ? { save: extra.save } : {}),
      ...(extra.okErrnos !== undefined && extra.okErrnos.length > 0 ? { okErrnos: extra.okErrnos } : {}),
    });
  }

  push(step: SetupStep): void {
    this.list.push(step);
  }

  /** Runs `body`'s steps only if the saved value `result` is >= 0 at run time. */
  onlyIf(result: string, body: () => void): void {
    const at = this.list.length;
    this.list.push({ kind: 'skip-unless-ok', result, count: 0 });
    body();
    const count = this.list.length - at - 1;
    if (count === 0) this.list.splice(at, 1);
    else this.list[at] = { kind: 'skip-unless-ok', result, count };
  }
}

export const str = (s: string): SetupValue => ({ str: s });
export const int = (n: number | bigint): SetupValue => BigInt(n);
export const bytes = (b: Uint8Array): SetupValue => ({ bytes: b });
export const result = (name: string): SetupValue => ({ result: name });
