/**
 * The world one attack runs in: a fresh work directory (programs/attack.h describes it), host
 * services that record whether anything reached them (a denied TCP port, a denied UDP port, a
 * denied abstract unix socket), and the host-side evidence collected after the run.
 */
import { execFileSync, spawn as spawnChild } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Built } from './build.js';
import type { Attack, AttackContext, User } from './corpus.js';

export const NOBODY = 65534;

export interface World {
  readonly ctx: AttackContext;
  readonly secret: string;
  readonly env: Record<string, string>;
  /** Host-side evidence of an escape (empty: none found). */
  evidence(output: string): string[];
  close(): Promise<void>;
}

async function listenTcp(onConn: () => void): Promise<{ server: Server; port: number }> {
  const server = createServer((s) => {
    onConn();
    s.destroy();
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  return { server, port: (server.address() as { port: number }).port };
}

async function listenUdp(onMsg: () => void): Promise<{ sock: UdpSocket; port: number }> {
  const sock = createSocket('udp4');
  sock.on('message', onMsg);
  await new Promise<void>((res) => sock.bind(0, '127.0.0.1', res));
  return { sock, port: sock.address().port };
}

async function freePort(): Promise<number> {
  const { server, port } = await listenTcp(() => {});
  await new Promise<void>((res) => server.close(() => res()));
  return port;
}

/** Processes whose cwd or root is inside the work directory (left running after the sandbox ended). */
export function processesIn(dir: string): number[] {
  const found: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    for (const link of ['cwd', 'root']) {
      try {
        const t = readlinkSync(`/proc/${e}/${link}`);
        if (t === dir || t.startsWith(`${dir}/`) || t.startsWith(`${dir}-moved`)) {
          found.push(Number(e));
          break;
        }
      } catch {
        // Gone, or not ours to read.
      }
    }
  }
  return found;
}

export async function makeWorld(a: Attack, user: User, built: Built): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), `sb-attack-${a.name}-`));
  const secret = `SECRET-${randomBytes(12).toString('hex')}`;
  for (const d of ['vault', 'hidden', 'protected', 'public', 'scripts', 'suid']) mkdirSync(join(dir, d));
  writeFileSync(join(dir, 'vault', 'secret'), `${secret}\n`, { mode: 0o644 });
  writeFileSync(join(dir, 'hidden', 'exists'), 'hidden\n');
  writeFileSync(join(dir, 'protected', 'keep'), 'keep\n');
  writeFileSync(join(dir, 'public', 'ok'), 'public\n');
  writeFileSync(join(dir, 'public', 'decoy'), 'decoy\n');
  copyFileSync(built.helpers.get('marker')!, join(dir, 'denied-exec'));
  chmodSync(join(dir, 'denied-exec'), 0o755);
  chmodSync(dir, 0o755);
  if (user === 'nobody') execFileSync('chown', ['-R', `${NOBODY}:${NOBODY}`, dir]);

  let tcpHits = 0;
  let udpHits = 0;
  let abstractHits = 0;
  const denied = await listenTcp(() => tcpHits++);
  const ok = await listenTcp(() => {});
  const udpDenied = await listenUdp(() => udpHits++);
  const udpOk = await listenUdp(() => {});
  const abstract = `sb-attack-${randomBytes(6).toString('hex')}`;
  const abs = createServer((s) => {
    abstractHits++;
    s.destroy();
  });
  await new Promise<void>((res) => abs.listen(`\0${abstract}`, res));
  const ctx: AttackContext = {
    dir,
    cacheDir: built.dir,
    portDenied: denied.port,
    portOk: ok.port,
    udpDenied: udpDenied.port,
    udpOk: udpOk.port,
    bindDenied: await freePort(),
    abstract,
  };
  const env: Record<string, string> = {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: dir,
    LANG: 'C',
    LC_ALL: 'C',
    SB_SECRET_HINT: 'vault/secret',
    SB_PORT_DENIED: String(ctx.portDenied),
    SB_PORT_OK: String(ctx.portOk),
    SB_UDP_DENIED: String(ctx.udpDenied),
    SB_UDP_OK: String(ctx.udpOk),
    SB_BIND_DENIED: String(ctx.bindDenied),
    SB_ABSTRACT: abstract,
    SB_SCRIPT_DIR: 'scripts',
  };
  for (const k of ['SB_ATTACK_TRIES', 'SB_ATTACK_SECONDS', 'SB_ATTACK_COUNT_ALL', 'SB_BOMB'] as const) {
    const v = process.env[k];
    if (v) env[k] = v;
  }
  const children: ReturnType<typeof spawnChild>[] = [];
  for (const need of a.needs ?? []) {
    if (need === 'i386') env.SB_I386 = built.helpers.get('payload-i386')!;
    if (need === 'handle')
      env.SB_HANDLE = execFileSync(built.helpers.get('handle')!, [join(dir, 'vault', 'secret')], {
        encoding: 'utf8',
      }).trim();
    if (need === 'suid' || need === 'caps') {
      const p = join(dir, 'suid', need === 'suid' ? 'probe' : 'capprobe');
      copyFileSync(built.helpers.get('probe')!, p);
      execFileSync('chown', ['0:0', p]);
      if (need === 'suid') chmodSync(p, 0o4755);
      else {
        chmodSync(p, 0o755);
        execFileSync('setcap', ['cap_dac_read_search,cap_dac_override+ep', p]);
      }
      env[need === 'suid' ? 'SB_SUID' : 'SB_CAPS'] = p;
    }
    if (need === 'fd-socket') {
      const sock = join(dir, 'public', 'fd.sock');
      const c = spawnChild(built.helpers.get('fdsend')!, [sock, join(dir, 'vault', 'secret')], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      children.push(c);
      await new Promise<void>((res, rej) => {
        c.stdout!.once('data', () => res());
        c.once('exit', (code) => rej(new Error(`fdsend exited ${code}`)));
      });
      env.SB_FD_SOCKET = sock;
    }
  }

  const evidence = (output: string): string[] => {
    const e: string[] = [];
    if (output.includes(secret)) e.push('the secret appeared in the output');
    const extra = existsSync(join(dir, 'protected'))
      ? readdirSync(join(dir, 'protected')).filter((f) => f !== 'keep')
      : ['(protected/ is gone)'];
    if (extra.length) e.push(`protected/ gained ${extra.map((x) => JSON.stringify(x)).join(', ')}`);
    try {
      if (readFileSync(join(dir, 'protected', 'keep'), 'utf8') !== 'keep\n')
        e.push('protected/keep was changed');
    } catch {
      e.push('protected/keep is gone');
    }
    if (existsSync(join(dir, 'exec-marker'))) e.push('the denied program ran (exec-marker)');
    if (tcpHits) e.push(`the denied TCP port got ${tcpHits} connection(s)`);
    if (udpHits) e.push(`the denied UDP port got ${udpHits} datagram(s)`);
    if (abstractHits) e.push(`the denied abstract socket got ${abstractHits} connection(s)`);
    const left = processesIn(dir);
    if (left.length) {
      e.push(`process(es) ${left.join(', ')} still running in the work directory`);
      for (const p of left) {
        try {
          process.kill(p, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }
    return e;
  };

  const close = async (): Promise<void> => {
    for (const c of children) c.kill('SIGKILL');
    await Promise.all([
      new Promise((r) => denied.server.close(r)),
      new Promise((r) => ok.server.close(r)),
      new Promise((r) => abs.close(r)),
      new Promise<void>((r) => udpDenied.sock.close(() => r())),
      new Promise<void>((r) => udpOk.sock.close(() => r())),
    ]);
    for (const p of [dir, `${dir}-moved`]) {
      try {
        execFileSync('umount', ['-R', '-l', join(p, 'public', 'view')], { stdio: 'ignore' });
      } catch {
        // Not mounted (the usual case).
      }
      rmSync(p, { recursive: true, force: true });
    }
  };
  return { ctx, secret, env, evidence, close };
}
