import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WireFault } from './fault-rules.js';

const CHUNK = 64 * 1024;

/**
 * Writes a `wire` fault's reply. A padded body is streamed chunk by chunk with
 * backpressure, so a 50 MB body costs the simulator one chunk of memory; a client that
 * stops reading (its size cap) ends the stream by closing the socket.
 */
export function writeWire(req: IncomingMessage, res: ServerResponse, fault: WireFault): void {
  if (res.destroyed || res.headersSent) return;
  const body = Buffer.from(fault.body ?? '', 'utf8');
  const total = Math.max(body.length, fault.padToBytes ?? 0);
  const ending = fault.ending ?? 'end';
  const headers: Record<string, string | number> = { ...fault.headers };
  // A cut body promises more than it sends; a stalled one promises the whole of what it holds back.
  if (!fault.chunked) headers['content-length'] = ending === 'end' ? total : total + 1024;
  res.writeHead(fault.status ?? 200, headers);
  res.write(body);
  let sent = body.length;
  const finish = (): void => {
    if (ending === 'end') res.end();
    else if (ending === 'cut') req.socket.destroy();
    // 'stall': nothing more; the socket stays open until the client gives up or the sim stops.
  };
  const pump = (): void => {
    while (sent < total) {
      const size = Math.min(CHUNK, total - sent);
      sent += size;
      if (!res.write(Buffer.alloc(size, 0x20))) {
        res.once('drain', pump);
        return;
      }
    }
    finish();
  };
  res.on('close', () => res.off('drain', pump));
  pump();
}
