import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { archiveUriFrom } from '../src/apt.js';
import { checkConfig } from '../src/config.js';

describe('archive URI from the machine apt configuration', () => {
  const deb822 = [
    'Types: deb',
    'URIs: http://mirror.example/debian-security',
    'Suites: bookworm-security',
    'Components: main',
    '',
    'Types: deb',
    'URIs: http://mirror.example/debian',
    'Suites: bookworm bookworm-updates',
    'Components: main',
  ].join('\n');

  it.each([
    ['deb822, skipping the security block', deb822, null, 'http://mirror.example/debian'],
    [
      'one-line sources.list with options',
      null,
      'deb [arch=amd64] http://sec.example/x bookworm-security main\ndeb [signed-by=/k.gpg] http://m.example/debian bookworm main\n',
      'http://m.example/debian',
    ],
    [
      'deb822 without a usable block falls back to sources.list',
      'Types: deb-src\nURIs: http://src.example/\n',
      'deb http://l.example/debian bookworm main',
      'http://l.example/debian',
    ],
    ['nothing', null, '# empty\n', null],
  ])('%s', (_name, a, b, uri) => {
    expect(archiveUriFrom(a, b)).toBe(uri);
  });
});

describe('kernel config check', () => {
  const write = (text: string) => {
    const p = join(mkdtempSync(join(tmpdir(), 'sb-config-')), 'config');
    writeFileSync(p, text);
    return p;
  };
  const ok = [
    'CONFIG_BLK_DEV_INITRD=y',
    'CONFIG_DEVTMPFS=y',
    'CONFIG_TMPFS=y',
    'CONFIG_PROC_FS=y',
    'CONFIG_SYSFS=y',
    'CONFIG_SERIAL_8250=y',
    'CONFIG_SERIAL_8250_CONSOLE=y',
    'CONFIG_BINFMT_ELF=y',
    'CONFIG_BINFMT_SCRIPT=y',
    'CONFIG_FUTEX=y',
    'CONFIG_EPOLL=y',
    'CONFIG_INET=y',
  ];

  it('accepts a config with every essential option built in', () => {
    expect(checkConfig(write(ok.join('\n')))).toEqual([]);
  });

  it('names options that are modules or missing', () => {
    const p = write(
      ok
        .map((l) => (l.startsWith('CONFIG_SERIAL_8250=') ? 'CONFIG_SERIAL_8250=m' : l))
        .filter((l) => !l.startsWith('CONFIG_DEVTMPFS'))
        .join('\n'),
    );
    expect(checkConfig(p)).toEqual([
      `${p}: CONFIG_DEVTMPFS is not set (needs =y: /init mounts /dev as devtmpfs)`,
      `${p}: CONFIG_SERIAL_8250 is m (needs =y: the serial port the results travel on)`,
    ]);
  });
});
