// The benchmark upstream: a minimal node:http server answering every request with 200 and a small body over
// keep-alive connections. Run by bench/proxy-compare.ts as its own process; prints "READY <port>" when bound.
// Run: node bench/upstream-server.ts --port 18080
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({ options: { port: { type: 'string', default: '18080' } } });
const BODY = Buffer.from('hello from upstream\n');

const server = createServer({ keepAliveTimeout: 120_000, requestTimeout: 0 }, (request, response) => {
  request.resume();
  response.writeHead(200, { 'content-type': 'text/plain', 'content-length': BODY.length });
  response.end(BODY);
});
server.maxRequestsPerSocket = 0;
server.listen(Number(args.port), '127.0.0.1', () => {
  process.stdout.write(`READY ${Number(args.port)}\n`);
});
const stop = (): void => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
