/**
 * Listening TCP sockets as the kernel reports them (/proc/net/tcp and tcp6), so a test can prove what address a
 * service really bound, not what it printed. Linux only, like the rest of the test suite.
 */

import fs from 'node:fs';

export interface ListeningSocket {
  address: string;
  port: number;
  inode: number;
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
  const sockets: ListeningSocket[] = [];
  for (const [file, decode] of [['/proc/net/tcp', ipv4], ['/proc/net/tcp6', ipv6]] as const) {
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
  const inodes = socketInodes(pid);
  return listeningSockets().filter((s) => inodes.has(s.inode));
}

/** The process (of this user) that holds the listening socket on `port`. */
export function pidListeningOn(port: number): number | undefined {
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
