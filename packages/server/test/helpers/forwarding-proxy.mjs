// A forwarding HTTP proxy, run as a process of its own in front of a test server: it appends the
// address it was connected from to X-Forwarded-For (as nginx's $proxy_add_x_forwarded_for and
// cloud load balancers do) and connects onwards from its own address, so that each hop is told
// apart. Usage: node forwarding-proxy.mjs <listen port> <target URL> <outgoing local address>
// It prints "listening <port>" once it accepts connections.
import { createServer, request } from 'node:http';

const [port, target, localAddress] = process.argv.slice(2);
const upstream = new URL(target);

const server = createServer((req, res) => {
  const peer = req.socket.remoteAddress ?? '';
  const forwarded = req.headers['x-forwarded-for'];
  const headers = { ...req.headers, 'x-forwarded-for': forwarded ? `${forwarded}, ${peer}` : peer };
  const onward = request(
    {
      host: upstream.hostname,
      port: upstream.port,
      path: req.url,
      method: req.method,
      headers,
      localAddress,
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  onward.on('error', () => {
    if (!res.headersSent) res.writeHead(502).end('bad gateway\n');
    else res.destroy();
  });
  res.on('close', () => onward.destroy());
  req.pipe(onward);
});
server.listen(Number(port), '127.0.0.1', () => console.log(`listening ${server.address().port}`));
process.on('SIGTERM', () => process.exit(0));
