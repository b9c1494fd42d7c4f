/**
 * Listening TCP sockets as the kernel reports them, so a test can prove what address a service really bound, not
 * what it printed: /proc/net/tcp and tcp6 on Linux, lsof (which ships with macOS) on macOS.
 */

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { currentHost } from '../../machinery/lambda-entry/host-platform';

export interface ListeningSocket {
  address: string;
  port: number;
  /** Linux: the socket's inode, which ties it to the process holding it. */
  inode: number;
  /** macOS: the process holding it, as lsof reports. */
  pid?: number;
}

/** Whether to read the kernel through /proc (Linux) or lsof (macOS); SHOPFLOW_SOCKETS_VIA=lsof tries lsof on Linux. */
const viaLsof = () => currentHost().os !== 'linux' || process.env.SHOPFLOW_SOCKETS_VIA === 'lsof';

/** `lsof -F pn` output: a "p<pid>" line, then one "n<address>:<port>" line per listening socket of that process. */
function lsofListeningSockets(): ListeningSocket[] {
  const result = spawnSync('lsof', ['-nP', '-iTCP', '-sTCP:LISTEN', '-F', 'pn'], { encoding: 'utf8' });
  if (result.error) throw new Error(`could not run lsof (${result.error.message}); it ships with macOS`);
  const sockets: ListeningSocket[] = [];
  let pid = 0;
  for (const line of result.stdout.split('\n')) {
    if (line.startsWith('p')) pid = Number(line.slice(1));
    const match = /^n(.*):(\d+)$/.exec(line);
    if (!match) continue;
    const address = match[1] === '*' ? '0.0.0.0' : match[1].replace(/^\[(.*)\]$/, '$1');
    sockets.push({ address, port: Number(match[2]), inode: 0, pid });
  }
  return sockets;
}

function ipv4(hex: string): string {
  // One little-endian 32-bit word: "0100007F" is 127.0.0.1.
  return [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.');
}

function ipv6(hex: string): string {
  // Four little-endian 32-bit words.
  const bytes = [0, 1, 2, 3].flatMap((w) => [3, 2, 1, 0].map((i) => hex.slice(w * 8 + i * 2, w * 8 + i * 2 + 2)));
  const groups = [0, 2, 4, 6, 8, 10, 12, 14].map((i) => parseInt(bytes[i] + bytes[i + 1], 16).toString(16));
  const joined = groups.join(':');
  if (joined === '0:0:0:0:0:0:0:0') return '::';
  if (joined === '0:0:0:0:0:0:0:1') return '::1';
  if (joined.startsWith('0:0:0:0:0:ffff:')) return `::ffff:${ipv4(hex.slice(24))}`;
  return joined;
}

export function listeningSockets(): ListeningSocket[] {
  if (viaLsof()) return lsofListeningSockets();
  const sockets: ListeningSocket[] = [];
  for (const [file, decode] of [
    ['/proc/net/tcp', ipv4],
    ['/proc/net/tcp6', ipv6],
  ] as const) {
    if (!fs.existsSync(file)) continue;
    for (const line of fs.readFileSync(file, 'utf8').trim().split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const [addressHex, portHex] = fields[1].split(':');
      if (fields[3] !== '0A') continue; // LISTEN
      sockets.push({ address: decode(addressHex), port: parseInt(portHex, 16), inode: Number(fields[9]) });
    }
  }
  return sockets;
}

export function listeningOn(port: number): ListeningSocket[] {
  return listeningSockets().filter((s) => s.port === port);
}

/** The socket inodes a process holds open. */
function socketInodes(pid: number): Set<number> {
  const inodes = new Set<number>();
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(Number(match[1]));
    } catch {
      // The descriptor closed while we looked.
    }
  }
  return inodes;
}

/** Every socket a process listens on. */
export function listeningSocketsOf(pid: number): ListeningSocket[] {
  if (viaLsof()) return lsofListeningSockets().filter((s) => s.pid === pid);
  const inodes = socketInodes(pid);
  return listeningSockets().filter((s) => inodes.has(s.inode));
}

/** The process (of this user) that holds the listening socket on `port`. */
export function pidListeningOn(port: number): number | undefined {
  if (viaLsof()) return listeningOn(port)[0]?.pid;
  const inodes = new Set(listeningOn(port).map((s) => s.inode));
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if ([...socketInodes(Number(entry))].some((inode) => inodes.has(inode))) return Number(entry);
    } catch {
      // Another user's process, or one that just exited.
    }
  }
  return undefined;
}
