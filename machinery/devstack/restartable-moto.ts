/**
 * moto's server behind a fixed loopback port that survives a restart of the server, with what DynamoDB guarantees
 * and moto lacks: durability. moto keeps tables in memory, so its request recorder logs every request and a
 * restarted server replays the log before the port lets clients in again. While it is down, clients' connections
 * are refused or cut, as they would be by an outage; the SDK and Temporal's activity retries ride it out.
 */

import net from 'node:net';
import path from 'node:path';
import { startMotoServer, type MotoServer } from './moto-server';

export interface RestartableMoto {
  /** The stable endpoint clients use. */
  endpoint: string;
  /** Stops the server, starts a new one, replays the recorded requests; resolves with how long it was down. */
  restart(): Promise<number>;
  stop(): Promise<void>;
}

export async function startRestartableMoto(dir: string): Promise<RestartableMoto> {
  const motoOptions = {
    logFile: path.join(dir, 'moto.log'),
    env: { MOTO_ENABLE_RECORDING: 'True', MOTO_RECORDER_FILEPATH: path.join(dir, 'moto-recording.jsonl') },
  };
  let backend: MotoServer;
  let up = false;
  const open = new Set<net.Socket>();
  const front = net.createServer((client) => {
    if (!up) return void client.destroy();
    const upstream = net.connect(backend.port, '127.0.0.1');
    open.add(client).add(upstream);
    const close = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const { port } = front.address() as net.AddressInfo;
  // Clients name the front as Host; moto's guard must accept it.
  const options = { ...motoOptions, alsoServes: [port] };
  backend = await startMotoServer(options);
  up = true;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    async restart() {
      const downAt = Date.now();
      up = false;
      for (const socket of open) socket.destroy();
      await backend.stop();
      backend = await startMotoServer(options);
      // Replayed by the new server to itself, with recording paused, so the log is not doubled.
      const replay = await fetch(`${backend.endpoint}/moto-api/recorder/replay-recording`, { method: 'POST' });
      if (!replay.ok) throw new Error(`moto could not replay its request log: HTTP ${replay.status}`);
      up = true;
      return Date.now() - downAt;
    },
    async stop() {
      up = false;
      for (const socket of open) socket.destroy();
      await new Promise((resolve) => front.close(resolve));
      await backend.stop();
    },
  };
}
