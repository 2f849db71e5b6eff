// The HTTP server, from JavaScript's fetch on a loopback port: every
// golden scenario through /v1/replay and a contract driven through its
// life give the bytes -stdio gives; every case's answers carry the
// same results and errors; bad requests get their 4xx problem documents;
// SIGTERM stops it cleanly.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { minify, native, opOf, replayRequests, cases, splitLines, startServer } from './lib.mjs';
import { validator } from './schemas.mjs';

const problemSchema = validator('response.schema.json', '#/$defs/problem');

let server;
before(async () => { server = await startServer(['-max-request', '65536']); });
after(async () => { if (server) assert.equal(await server.stop(), 0, 'the server did not exit 0 on SIGTERM'); });

async function post(op, body, type = 'application/json') {
  const resp = await fetch(`${server.url}/v1/${op}`, { method: 'POST', headers: { 'content-type': type }, body });
  return { status: resp.status, type: resp.headers.get('content-type'), body: Buffer.from(await resp.arrayBuffer()) };
}

test('every golden scenario through /v1/replay gives the bytes -stdio gives', async () => {
  const { list, input, lines } = replayRequests();
  const stdio = splitLines(native(input));
  for (let i = 0; i < list.length; i++) {
    // The op left out: the path names it.
    const body = lines[i].replace('"op":"replay",', '');
    const r = await post('replay', body);
    assert.equal(r.status, 200, list[i].name);
    assert.equal(r.body.toString(), stdio[i], `${list[i].name}: HTTP and -stdio differ`);
  }
});

test('a contract through create, commit, pay, settle and terminate gives the bytes -stdio gives', async () => {
  const fs = await import('node:fs');
  const catalog = minify(fs.readFileSync(new URL('../../../internal/protocol/testdata/catalog.json', import.meta.url), 'utf8'));
  const steps = [
    (c) => ({ id: 't', op: 'terms', catalog: JSON.parse(catalog), plan: 'dog-m' }),
    (c, ref) => ({ id: 1, op: 'create', termsRef: ref, subscription: { id: 'BELLA', client: 'C9', patient: { species: 'dog', weightKg: '12.5' }, start: '2026-02-28', payment: 'auto' } }),
    (c) => ({ id: 2, op: 'commit', contract: c, date: '2026-03-05', invoice: 'A1', lines: [{ id: '1', item: 'FLEA-1', qty: '2', unitPrice: '23.49' }, { id: '2', item: 'CONSULT', qty: '1', unitPrice: '45.00' }] }),
    (c) => ({ id: 3, op: 'pay', contract: c, date: '2026-02-28', amount: '20.00', status: 'taken' }),
    (c) => ({ id: 4, op: 'commit', contract: c, date: '2026-05-20', invoice: 'A2', lines: [{ id: '1', item: 'FLEA-3PK', qty: '1', unitPrice: '64.00' }] }),
    (c) => ({ id: 5, op: 'settle', contract: c, date: '2026-06-01', reason: 'cancelled' }),
    (c) => ({ id: 6, op: 'terminate', contract: c, date: '2026-06-01', reason: 'cancelled' }),
    (c) => ({ id: 7, op: 'standing', contract: c, date: '2026-07-01' }),
  ];
  let contract;
  let ref;
  const sent = [];
  const overHTTP = [];
  for (const step of steps) {
    const req = step(contract, ref);
    const line = JSON.stringify(req);
    sent.push(line + '\n');
    const { op, ...rest } = req;
    const r = await post(op, JSON.stringify(rest));
    assert.equal(r.status, 200, r.body.toString());
    overHTTP.push(r.body.toString());
    const resp = JSON.parse(r.body);
    contract = resp.contract ?? contract;
    ref = resp.result.termsRef ?? ref;
  }
  assert.equal(JSON.parse(overHTTP.at(-1)).result.status, 'cancelled');
  assert.deepEqual(splitLines(native(Buffer.from(sent.join('')))), overHTTP);
});

test('every case over HTTP: results byte for byte, errors as problem documents carrying the same id and error', async () => {
  for (const s of cases()) {
    const fresh = await startServer();
    try {
      const reqs = splitLines(s.requests);
      const want = splitLines(s.golden);
      for (let i = 0; i < reqs.length; i++) {
        const resp = await fetch(`${fresh.url}/v1/${opOf(reqs[i])}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: reqs[i] });
        const body = Buffer.from(await resp.arrayBuffer()).toString();
        const w = JSON.parse(want[i]);
        if (w.result !== undefined) {
          assert.equal(resp.status, 200);
          assert.equal(body, want[i], `${s.name}:${i + 1}`);
          continue;
        }
        assert.equal(resp.headers.get('content-type'), 'application/problem+json');
        const p = JSON.parse(body);
        assert.equal(problemSchema(p), null, `${s.name}:${i + 1}: ${body}`);
        assert.equal(p.status, resp.status);
        assert.ok(resp.status >= 400 && resp.status < 500, `${s.name}:${i + 1}: status ${resp.status}`);
        if (opOf(reqs[i]) !== 'replay' || w.error.code !== 'unknownOperation') {
          assert.deepEqual({ id: p.id, error: p.error }, w, `${s.name}:${i + 1}`);
        }
      }
    } finally {
      assert.equal(await fresh.stop(), 0);
    }
  }
});

test('bad requests get 4xx problem documents, never a 500', async () => {
  const cases = [
    ['malformed JSON', () => post('commit', '{"id": 1,\n "contract": {,}}'), 400, 'malformed'],
    ['unknown operation', () => post('comit', '{}'), 404, 'unknownOperation'],
    ['wrong method', () => fetch(`${server.url}/v1/commit`), 405, 'methodNotAllowed'],
    ['wrong content type', () => post('schedule', '{}', 'text/plain'), 415, 'unsupportedMediaType'],
    ['over the limit', () => post('validate', `{"catalog":"${'x'.repeat(70000)}"}`), 413, 'tooLarge'],
    ['bad fields', () => post('standing', '{"contract":{"version":1},"date":"2026-02-30","dat":1}'), 422, 'invalid'],
  ];
  for (const [name, send, status, code] of cases) {
    const r = await send();
    const body = Buffer.isBuffer(r.body) ? r.body.toString() : await r.text();
    assert.equal(r.status, status, `${name}: ${body}`);
    const p = JSON.parse(body);
    assert.equal(problemSchema(p), null, `${name}: ${body}`);
    assert.equal(p.error.code, code, name);
    if (code === 'malformed') assert.deepEqual([p.error.line, p.error.column], [2, 15]);
    if (code === 'invalid') assert.deepEqual(p.error.problems.map((x) => x.path), ['contract.revision', 'contract.terms', 'contract.subscription', 'date', 'dat'].filter((x) => p.error.problems.some((y) => y.path === x)));
  }
  const health = await fetch(`${server.url}/healthz`);
  assert.equal(health.status, 200);
  assert.deepEqual(await health.json(), { status: 'ok' });
  assert.ok(!server.logs().includes('"status":500'), 'a 500 was logged');
});
