import { startServer } from '../src/web/server.js';

/**
 * The server side of `npm run bench:web`, run as a child process (fork) so the load generator and
 * the server do not share one event loop: in one process every client-side callback would delay
 * the server's answers and be counted as server latency.
 *
 * argv[2] is the store; the port (ephemeral, 127.0.0.1) and the catalog size go back over IPC.
 * The parent sends 'stop' (or disconnects) to close the server.
 */
const db = process.argv[2];
if (!db || !process.send) {
  process.stderr.write('usage: forked by bench/web.js with the store path as its argument\n');
  process.exit(2);
}
const server = await startServer({ db, port: 0, note: () => {} });
const stop = () => {
  void server.close().then(() => process.exit(0));
};
process.on('message', (m) => {
  if (m === 'stop') stop();
});
process.on('disconnect', stop);
process.send({ port: server.port, rules: server.state.rules.length });
