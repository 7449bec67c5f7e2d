// The bench's HTTP/2 front for the local stack (CloudFront's protocol), as a process of its own, so
// that the bench driving the browser never delays an answer: `node h2front.mjs TARGET KEY CERT`
// prints the port it listens on.
import { request as httpRequest, Agent } from 'node:http';
import { createSecureServer } from 'node:http2';
import { readFileSync } from 'node:fs';

const [target, key, cert] = process.argv.slice(2);
const origin = new URL(target);
const agent = new Agent({ keepAlive: false, maxSockets: 64 });
const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);
const server = createSecureServer({ key: readFileSync(key), cert: readFileSync(cert), allowHTTP1: true }, (req, res) => {
  const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !name.startsWith(':') && !hopByHop.has(name)));
  headers.host = origin.host;
  const upstream = httpRequest({ host: origin.hostname, port: origin.port, method: req.method, path: req.url, headers, agent }, (answer) => {
    const out = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !hopByHop.has(name)));
    res.writeHead(answer.statusCode ?? 502, out);
    answer.pipe(res);
  });
  upstream.on('error', () => (res.headersSent ? res.destroy() : (res.writeHead(502), res.end())));
  req.pipe(upstream);
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
