import type { IncomingMessage } from 'node:http';

/**
 * The client's address, read the way Express reads `req.ip` with `trust proxy` set to a
 * number of hops (TRUST_PROXY): the peer's address, or, behind that many trusted proxies,
 * the address the last of them was given in X-Forwarded-For. Socket.IO's own
 * `handshake.address` is always the peer: behind nginx, every viewer would share nginx's
 * address and so one per-IP danmaku budget.
 */
export function clientIp(req: IncomingMessage, trustedHops: number): string {
  const peer = req.socket.remoteAddress ?? '';
  const header = req.headers['x-forwarded-for'];
  if (trustedHops <= 0 || !header) return peer;
  // Nearest first: the peer, then X-Forwarded-For from its right end.
  const chain = [peer, ...(Array.isArray(header) ? header.join(',') : header).split(',').map((a) => a.trim()).filter(Boolean).reverse()];
  return chain[Math.min(trustedHops, chain.length - 1)];
}
