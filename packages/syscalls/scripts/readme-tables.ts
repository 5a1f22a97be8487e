/**
 * Prints the README's architecture and group tables from the generated data
 * (`tsx scripts/readme-tables.ts`); test/readme.test.ts fails when they drift.
 */
import { arches, groups, syscalls } from '../src/index.js';

const lines = [
  '| ABI | aliases | AUDIT_ARCH | value | bits | endian | calls | multiplexers | since |',
  '|---|---|---|---|---|---|---|---|---|',
  ...arches().map(
    (a) =>
      `| ${[
        a.name,
        a.aliases.join(', '),
        a.auditArchName.replace('AUDIT_ARCH_', ''),
        `0x${a.auditArch.toString(16)}`,
        a.bits,
        a.endian,
        syscalls(a).length,
        Object.keys(a.multiplexers).join(', ') || '-',
        a.introduced,
      ].join(' | ')} |`,
  ),
  '',
  '| Group | Description |',
  '|---|---|',
  ...groups().map((g) => `| \`${g.name}\` | ${g.description} |`),
];
console.log(lines.join('\n'));
