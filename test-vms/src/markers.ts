/**
 * How the guest hands results to the host over the serial console, which the kernel
 * shares with its own messages: each result is JSON, base64 in short prefixed lines,
 * closed by a line with its length and a SHA-256 prefix, so a line the kernel broke
 * or interleaved is detected rather than misread.
 */
import { createHash } from 'node:crypto';

export const BEGIN = '@@SB-RESULT-BEGIN';
export const DATA = '@@SB-D';
export const END = '@@SB-RESULT-END';
/** Printed by /init after the last suite, right before poweroff. */
export const DONE = '@@SB-GUEST-DONE';
/** Printed by /init with a suite's exit status: `@@SB-EXIT label status`. */
export const EXIT = '@@SB-EXIT';
/** Progress of the guest suite (on stderr, so on the console): `@@SB-STEP label what`. */
export const STEP = '@@SB-STEP';

const LINE = 76;

const digest = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);

/** The console lines that carry one result. */
export function encodeResult(label: string, value: unknown): string[] {
  const json = JSON.stringify(value);
  const b64 = Buffer.from(json, 'utf8').toString('base64');
  const lines = [`${BEGIN} ${label}`];
  for (let i = 0; i < b64.length; i += LINE) lines.push(`${DATA} ${b64.slice(i, i + LINE)}`);
  lines.push(`${END} ${label} ${json.length} ${digest(json)}`);
  return lines;
}

export interface ParsedConsole {
  /** label -> decoded value, for every result whose length and digest matched. */
  readonly results: Map<string, unknown>;
  /** label -> exit status from /init. */
  readonly exits: Map<string, number>;
  /** Problems with the framing (a result cut short, a digest mismatch, a duplicate label). */
  readonly errors: string[];
  /** /init reached its end. */
  readonly done: boolean;
}

/** Finds the results in a console log. Markers may follow other output on the same line. */
export function parseConsole(log: string): ParsedConsole {
  const results = new Map<string, unknown>();
  const exits = new Map<string, number>();
  const errors: string[] = [];
  let done = false;
  let open: { label: string; chunks: string[] } | null = null;
  for (const raw of log.split(/\r?\n/)) {
    const line = raw.replace(/\r/g, '');
    const at = (m: string) => {
      const i = line.indexOf(`${m} `);
      return i < 0 ? null : line.slice(i + m.length + 1).trim();
    };
    if (line.includes(DONE)) done = true;
    const begin = at(BEGIN);
    if (begin !== null) {
      if (open !== null) errors.push(`result "${open.label}" has no end marker`);
      open = { label: begin, chunks: [] };
      continue;
    }
    const data = at(DATA);
    if (data !== null) {
      if (open === null) errors.push('data line outside a result');
      else open.chunks.push(data);
      continue;
    }
    const end = at(END);
    if (end !== null) {
      const [label = '', len = '', sum = ''] = end.split(/\s+/);
      if (open === null || open.label !== label) {
        errors.push(`end marker for "${label}" without its begin marker`);
        open = null;
        continue;
      }
      const json = Buffer.from(open.chunks.join(''), 'base64').toString('utf8');
      open = null;
      if (String(json.length) !== len || digest(json) !== sum) {
        errors.push(`result "${label}" was damaged on the console (length or digest mismatch)`);
        continue;
      }
      if (results.has(label)) errors.push(`result "${label}" appears twice`);
      try {
        results.set(label, JSON.parse(json));
      } catch (e) {
        errors.push(`result "${label}" is not JSON: ${(e as Error).message}`);
      }
      continue;
    }
    const exit = at(EXIT);
    if (exit !== null) {
      const [label = '', status = ''] = exit.split(/\s+/);
      if (/^\d+$/.test(status)) exits.set(label, Number(status));
    }
  }
  if (open !== null)
    errors.push(`result "${open.label}" has no end marker (the guest stopped while writing it)`);
  return { results, exits, errors, done };
}
