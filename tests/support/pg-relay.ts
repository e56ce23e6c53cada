import net from 'node:net';

/**
 * A TCP relay in front of Postgres that a test can cut: whoever connects through it sees
 * a real network failure while the test keeps its direct connection.
 * - `cut()` closes every connection and refuses new ones until `restore()`: the database
 *   is away.
 * - `cutNextStatement()` closes a connection the moment it next carries anything: what
 *   an idle pooled connection looks like after Postgres restarted or failed over, the next
 *   statement being the first to notice.
 */
export async function startPgRelay(target: string) {
  const targetUrl = new URL(target);
  const open = new Set<net.Socket>();
  let refusing = false;
  let cutNext = false;
  const server = net.createServer((client) => {
    if (refusing) return void client.destroy();
    const upstream = net.connect({ host: targetUrl.hostname, port: Number(targetUrl.port || 5432) });
    open.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('data', (chunk) => {
      if (cutNext) {
        cutNext = false;
        return drop();
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => client.write(chunk));
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(targetUrl.href);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as net.AddressInfo).port);
  return {
    url: url.href,
    cut() {
      refusing = true;
      for (const s of open) s.destroy();
      open.clear();
    },
    restore() {
      refusing = false;
    },
    cutNextStatement() {
      cutNext = true;
    },
    close() {
      for (const s of open) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type PgRelay = Awaited<ReturnType<typeof startPgRelay>>;
