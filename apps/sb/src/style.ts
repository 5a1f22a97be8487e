import pc from 'picocolors';

export type Style = ReturnType<typeof pc.createColors>;

/** Colours only when the stream is a terminal and NO_COLOR is not set (https://no-color.org). */
export function styleFor(stream: NodeJS.WriteStream): Style {
  const noColor = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  const force = process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0';
  return pc.createColors(!noColor && (force || stream.isTTY === true));
}

export const stdoutStyle = (): Style => styleFor(process.stdout);
export const stderrStyle = (): Style => styleFor(process.stderr);
