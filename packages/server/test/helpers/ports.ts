// Ports for servers a test starts itself (PostgreSQL, Redis), never the shared ones.
import { createServer } from 'node:net';

/** A port nobody listens on just now (the server binds it moments later). */
export function sparePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
