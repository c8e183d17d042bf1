// Module order matters: the globals are set before the language service's code runs.
import './worker-globals.js';
import '@kusto/monaco-kusto/release/esm/kusto.worker';
