// The baseline of the serving benchmark: a bare node:http server that answers a fixed string.
import { createServer } from 'node:http';

const server = createServer((_req, res) => res.end('0.5\n'));
server.listen(0, '127.0.0.1', () => process.send(`http://127.0.0.1:${server.address().port}/`));
