/**
 * sydbox-1's published socket-matching cases (t/t0004-sockmatch.sh in sydbox-1,
 * `sockmatchtest PATTERN ADDRESS`: exit 0 = match, exit 2 = no match), transcribed
 * as data. Its `for mask in seq A -1 B` loops are expanded by `masks()`.
 * Rows: [pattern, address, matches, sydbox test title].
 */
export type SockmatchCase = readonly [pattern: string, address: string, matches: boolean, title: string];

const masks = (from: number, to: number): number[] => {
  const out: number[] = [];
  for (let m = from; m >= to; m--) out.push(m);
  return out;
};

const rows: SockmatchCase[] = [];
const add = (title: string, matches: boolean, ...pairs: [string, string][]) => {
  for (const [p, a] of pairs) rows.push([p, a, matches, title]);
};

// Marked TODO in sydbox-1 (known to fail there); sb implements them.
add('unix: identical path matches', true, ['unix:/foo', 'unix:/foo']);
add('unix: non-identical path does not match', false, ['unix:/foo', 'unix:/bar']);

add('ipv4: identical ip without netmask matches', true, ['inet:1.2.3.4@53', 'inet:1.2.3.4@53']);
for (const m of masks(32, 0)) {
  add(`ipv4: identical ip with netmask /${m} matches`, true, [`inet:1.2.3.4/${m}@53`, 'inet:1.2.3.4@53']);
}
add(
  'ipv4: identical ip without netmask matches with port in range',
  true,
  ['inet:1.2.3.4@50-55', 'inet:1.2.3.4@53'],
  ['inet:1.2.3.4@50-55', 'inet:1.2.3.4@50'],
  ['inet:1.2.3.4@50-55', 'inet:1.2.3.4@55'],
);
for (const m of masks(32, 0)) {
  add(
    `ipv4: identical ip with netmask /${m} matches with port in range`,
    true,
    [`inet:1.2.3.4/${m}@50-55`, 'inet:1.2.3.4@53'],
    [`inet:1.2.3.4/${m}@50-55`, 'inet:1.2.3.4@50'],
    [`inet:1.2.3.4/${m}@50-55`, 'inet:1.2.3.4@55'],
  );
}
add(
  'ipv4: identical ip without netmask does not match with port out of range',
  false,
  ['inet:1.2.3.4@50-55', 'inet:1.2.3.4@49'],
  ['inet:1.2.3.4@50-55', 'inet:1.2.3.4@56'],
);
for (const m of masks(32, 0)) {
  add(
    `ipv4: identical ip with netmask /${m} does not match with port out of range`,
    false,
    [`inet:1.2.3.4/${m}@50-55`, 'inet:1.2.3.4@49'],
    [`inet:1.2.3.4/${m}@50-55`, 'inet:1.2.3.4@56'],
  );
}
add(
  'ipv4: ip with different 4th part without netmask does not match',
  false,
  ['inet:1.2.3.3@53', 'inet:1.2.3.4@53'],
  ['inet:1.2.3.5@53', 'inet:1.2.3.4@53'],
);
for (const m of masks(32, 30)) {
  add(`ipv4: ip with different 4th part with netmask /${m} does not match`, false, [
    `inet:1.2.3.3/${m}@53`,
    'inet:1.2.3.4@53',
  ]);
}
for (const m of masks(29, 0)) {
  add(`ipv4: ip with different 4th part with netmask /${m} matches`, true, [
    `inet:1.2.3.3/${m}@53`,
    'inet:1.2.3.4@53',
  ]);
}
for (const m of masks(31, 0)) {
  add(`ipv4: ip with different 4th part with netmask /${m} matches`, true, [
    `inet:1.2.3.5/${m}@53`,
    'inet:1.2.3.4@53',
  ]);
}
add(
  'ipv4: ip with different 3rd part without netmask does not match',
  false,
  ['inet:1.2.1.4@53', 'inet:1.2.3.4@53'],
  ['inet:1.2.2.4@53', 'inet:1.2.3.4@53'],
);
for (const m of masks(32, 24)) {
  add(
    `ipv4: ip with different 3rd part with netmask /${m} does not match`,
    false,
    [`inet:1.2.1.4/${m}@53`, 'inet:1.2.3.4@53'],
    [`inet:1.2.2.4/${m}@53`, 'inet:1.2.3.4@53'],
  );
}
add('ipv4: ip with different 3rd part with netmask /23 does not match', false, [
  'inet:1.2.1.4/23@53',
  'inet:1.2.3.4@53',
]);
add('ipv4: ip with different 3rd part with netmask /23 matches', true, [
  'inet:1.2.2.4/23@53',
  'inet:1.2.3.4@53',
]);
for (const m of masks(22, 0)) {
  add(
    `ipv4: ip with different 3rd part with netmask /${m} matches`,
    true,
    [`inet:1.2.1.4/${m}@53`, 'inet:1.2.3.4@53'],
    [`inet:1.2.2.4/${m}@53`, 'inet:1.2.3.4@53'],
  );
}
add(
  'ipv4: ip with different 2nd part without netmask does not match',
  false,
  ['inet:1.1.3.4@53', 'inet:1.2.3.4@53'],
  ['inet:1.3.3.4@53', 'inet:1.2.3.4@53'],
);
for (const m of masks(32, 16)) {
  add(
    `ipv4: ip with different 2nd part with netmask /${m} does not match`,
    false,
    [`inet:1.1.3.4/${m}@53`, 'inet:1.2.3.4@53'],
    [`inet:1.3.3.4/${m}@53`, 'inet:1.2.3.4@53'],
  );
}
add('ipv4: ip with different 2nd part with netmask /15 does not match', false, [
  'inet:1.1.3.4/15@53',
  'inet:1.2.3.4@53',
]);
add('ipv4: ip with different 2nd part with netmask /15 matches', true, [
  'inet:1.3.3.4/15@53',
  'inet:1.2.3.4@53',
]);
add(
  'ipv4: ip with different 1st part without netmask does not match',
  false,
  ['inet:0.2.3.4@53', 'inet:1.2.3.4@53'],
  ['inet:3.2.3.4@53', 'inet:1.2.3.4@53'],
);
for (const m of masks(32, 8)) {
  add(
    `ipv4: ip with different 1st part with netmask /${m} does not match`,
    false,
    [`inet:0.2.3.4/${m}@53`, 'inet:1.2.3.4@53'],
    [`inet:3.2.3.4/${m}@53`, 'inet:1.2.3.4@53'],
  );
}
add('ipv4: ip with different 1st part with netmask /7 matches', true, [
  'inet:0.2.3.4/7@53',
  'inet:1.2.3.4@53',
]);
add('ipv4: ip with different 1st part with netmask /7 does not match', false, [
  'inet:3.2.3.4/7@53',
  'inet:1.2.3.4@53',
]);
// Corner cases
add('ipv4: .253/31 does not match .254', false, ['inet:1.2.3.253/31@53', 'inet:1.2.3.254@53']);
add('ipv4: .254/31 matches .254', true, ['inet:1.2.3.254/31@53', 'inet:1.2.3.254@53']);
add('ipv4: .255/31 matches .254', true, ['inet:1.2.3.255/31@53', 'inet:1.2.3.254@53']);
add('ipv4: .255/24 matches .0', true, ['inet:1.2.3.255/24@53', 'inet:1.2.3.0@53']);
add('ipv4: .255.255/23 matches .254.0', true, ['inet:1.2.255.255/23@53', 'inet:1.2.254.0@53']);
add('ipv4: broadcast /1 matches 128 prefix', true, ['inet:255.255.255.255/1@53', 'inet:128.0.0.0@53']);
add('ipv4: broadcast /1 does not match 127 prefix', false, [
  'inet:255.255.255.255/1@53',
  'inet:127.0.0.0@53',
]);
// IPv6
add('ipv6: different last bit /127 matches', true, [
  'inet6:1234:5678::abcf/127@53',
  'inet6:1234:5678::abce@53',
]);
add('ipv6: different last bit /127 does not match', false, [
  'inet6:1234:5678::abcd/127@53',
  'inet6:1234:5678::abce@53',
]);
add('ipv6: identical prefix /15 matches', true, ['inet6:123e::ffff/15@53', 'inet6:123e::0@53']);

export const SYDBOX_SOCKMATCH_CASES: readonly SockmatchCase[] = rows;
