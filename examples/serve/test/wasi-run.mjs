// Runs a WASI command with this process's standard input, output and
// error: node wasi-run.mjs serve.wasm -stdio < requests.jsonl
//
// One module instance per process: Node 20's V8 has been seen to crash
// (SIGSEGV) when one process instantiates the Go module many times over.
import fs from 'node:fs';
import { WASI } from 'node:wasi';

const [file, ...args] = process.argv.slice(2);
const wasi = new WASI({ version: 'preview1', args: ['serve', ...args], env: {}, stdin: 0, stdout: 1, stderr: 2, returnOnExit: true });
const module = await WebAssembly.compile(fs.readFileSync(file));
process.exitCode = wasi.start(await WebAssembly.instantiate(module, wasi.getImportObject()));
