// Helpers shared by the tests: where things are, the two ways to run the
// command's -stdio mode (the native binary, the WebAssembly module under
// node:wasi), and the HTTP server on a loopback port.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '../../..');
export const casesDir = path.join(root, 'internal/protocol/testdata/cases');
export const apiDir = path.resolve(here, '../api');

// SERVE and SERVE_WASM are the native binary and the module, built by
// run.sh.
export const serveBin = process.env.SERVE || path.join(os.tmpdir(), 'healthplan-serve');
export const serveWasm = process.env.SERVE_WASM || path.join(os.tmpdir(), 'healthplan-serve.wasm');

// cases are the protocol's test cases: requests, one per line, and the
// responses the engine gives them.
export function cases() {
  return fs.readdirSync(casesDir).filter((f) => f.endsWith('.jsonl')).sort().map((f) => {
    const name = f.replace(/\.jsonl$/, '');
    const requests = fs.readFileSync(path.join(casesDir, f));
    const golden = fs.readFileSync(path.join(casesDir, name + '.golden'));
    return { name, requests, golden };
  });
}

// goldenScenarios are testdata/*.json with the lines examples/replay prints.
export function goldenScenarios() {
  const dir = path.join(root, 'testdata');
  return fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => ({
    name: f,
    text: fs.readFileSync(path.join(dir, f), 'utf8'),
    golden: fs.readFileSync(path.join(dir, f.replace(/\.json$/, '.golden')), 'utf8'),
  }));
}

// minify removes the white space outside strings, keeping every other
// byte (numbers stay exactly as written).
export function minify(text) {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i];
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (!' \t\r\n'.includes(c)) {
      out += c;
    }
  }
  return out;
}

// replayRequests is one replay request per golden scenario, as JSON
// Lines, and the response each must get: the golden lines as its events.
export function replayRequests() {
  const list = goldenScenarios();
  const lines = list.map((s) => `{"id":${JSON.stringify(s.name)},"op":"replay","scenario":${minify(s.text)}}\n`);
  const want = list.map((s) => `{"id":${JSON.stringify(s.name)},"result":{"events":[${s.golden.trimEnd().split('\n').join(',')}]}}\n`);
  return { list, input: Buffer.from(lines.join('')), lines, want: Buffer.from(want.join('')), wantLines: want };
}

// native runs `serve -stdio` on input and returns what it writes.
export function native(input) {
  const r = spawnSync(serveBin, ['-stdio'], { input, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`serve -stdio exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

// wasm runs the WebAssembly module on input under node:wasi, -stdio, in
// a process of its own (wasi-run.mjs), and returns what it writes.
export function wasm(input) {
  const runner = path.join(here, 'wasi-run.mjs');
  const r = spawnSync(process.execPath, ['--no-warnings', runner, serveWasm, '-stdio'], { input, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`the module exited ${r.status} (${r.signal ?? 'no signal'}): ${r.stderr}`);
  return r.stdout;
}

// startServer starts `serve -http 127.0.0.1:0` and resolves to its base
// URL once it listens; stop() sends SIGTERM and resolves to its exit code.
export function startServer(args = []) {
  const child = spawn(serveBin, ['-http', '127.0.0.1:0', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let logs = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not start:\n' + logs)), 10000);
    child.stderr.on('data', (chunk) => {
      logs += chunk;
      for (const line of logs.split('\n')) {
        try {
          const l = JSON.parse(line);
          if (l.msg === 'listening') {
            clearTimeout(timer);
            resolve({
              url: 'http://' + l.addr,
              logs: () => logs,
              stop: () => new Promise((done) => { child.on('exit', (code) => done(code)); child.kill('SIGTERM'); }),
            });
            return;
          }
        } catch { /* not a whole line yet */ }
      }
    });
    child.on('exit', (code) => reject(new Error(`the server exited ${code}:\n${logs}`)));
  });
}

// opOf is the operation a request names, for its URL.
export function opOf(line) {
  try {
    const op = JSON.parse(line).op;
    if (typeof op === 'string' && /^[a-zA-Z]+$/.test(op)) return op;
  } catch { /* malformed: any operation's path will do */ }
  return 'replay';
}

export function splitLines(buf) {
  const s = buf.toString('utf8');
  return s.endsWith('\n') ? s.slice(0, -1).split('\n').map((l) => l + '\n') : s.split('\n');
}
