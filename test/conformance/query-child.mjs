// Entry point of IsolatedEngine's child process. Node 20 cannot load TypeScript, so the worker is
// imported through Vite's module runner (the same transform vitest uses); then it serves requests.
import { fileURLToPath, URL } from 'node:url';
import { runnerImport } from 'vite';

const worker = fileURLToPath(new URL('./query-worker.ts', import.meta.url));
const { module } = await runnerImport(worker, { configFile: false, logLevel: 'silent' });
await module.serve();
