// The schemas and the OpenAPI document describe what the engine accepts
// and answers: every request the tests send that the engine accepts is
// valid, every response is valid against its operation's schema, every
// golden scenario against the scenario schema; and the OpenAPI document
// names every operation and only schemas that exist.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { apiDir, goldenScenarios, replayRequests, cases, splitLines } from './lib.mjs';
import { schemas, validator } from './schemas.mjs';

const request = validator('request.schema.json');
const response = validator('response.schema.json');
const operations = Object.keys(schemas['request.schema.json'].$defs);

// checkPair checks one request and the engine's response to it.
export function checkPair(reqText, respText, where) {
  const resp = JSON.parse(respText);
  let err = response(resp);
  assert.equal(err, null, `${where}: the response is not valid:\n${err}\n${respText}`);
  let req;
  try { req = JSON.parse(reqText); } catch { req = undefined; }
  if (resp.result !== undefined) {
    err = request(req);
    assert.equal(err, null, `${where}: the engine accepted a request the schema refuses:\n${err}\n${reqText.slice(0, 500)}`);
    err = validator('response.schema.json', `#/$defs/response_${req.op}`)(resp);
    assert.equal(err, null, `${where}: the ${req.op} response is not valid against its schema:\n${err}`);
  }
}

test('every case request the engine accepts, and every response, is valid', () => {
  let n = 0;
  for (const s of cases()) {
    const reqs = splitLines(s.requests);
    const resps = splitLines(s.golden);
    assert.equal(reqs.length, resps.length, s.name);
    reqs.forEach((r, i) => { checkPair(r, resps[i], `${s.name}:${i + 1}`); n++; });
  }
  assert.ok(n > 50, `only ${n} cases`);
});

test('every golden replay request and response is valid', () => {
  const { lines, wantLines } = replayRequests();
  lines.forEach((r, i) => checkPair(r, wantLines[i], `replay ${i}`));
});

test('every golden scenario is valid against the scenario schema, and every event it replays against the event schema', () => {
  const scenario = validator('scenario.schema.json');
  const event = validator('scenario.schema.json', '#/$defs/event');
  let events = 0;
  for (const s of goldenScenarios()) {
    const doc = JSON.parse(s.text);
    const err = scenario(doc);
    assert.equal(err, null, `${s.name}:\n${err}`);
    const results = s.golden.trimEnd().split('\n').map((l) => JSON.parse(l));
    doc.events.forEach((ev, i) => {
      if (results[i].error !== undefined) return; // refused alone: it may be anything
      const e = event(ev);
      assert.equal(e, null, `${s.name}: events[${i}] was replayed, but the schema refuses it:\n${e}`);
      events++;
    });
  }
  assert.ok(events > 100, `only ${events} events`);
});

test('the test catalog and its terms are valid', () => {
  const catalog = JSON.parse(fs.readFileSync(path.join(apiDir, '../../../internal/protocol/testdata/catalog.json'), 'utf8'));
  assert.equal(validator('terms.schema.json', '#/$defs/catalog')(catalog), null);
});

test('the schemas refuse what the engine refuses for its shape', () => {
  const bad = [
    { op: 'commit' },
    { op: 'comit' },
    { op: 'schedule', contract: { version: 1 }, dates: 1 },
    { op: 'replay', scenario: { currency: 'GBP', plans: [{ id: 'p', species: 'dog', termMonths: 12, monthlyFee: '1', rules: [{ group: 'g', discountPercnt: '1', endDay: 1, allowed: 1 }] }] } },
  ];
  for (const b of bad) assert.notEqual(request(b), null, JSON.stringify(b));
});

test('the OpenAPI document has a path per operation, and every $ref it makes exists', () => {
  const doc = JSON.parse(fs.readFileSync(path.join(apiDir, 'openapi.json'), 'utf8'));
  assert.equal(doc.openapi, '3.1.0');
  for (const op of operations) assert.ok(doc.paths[`/v1/${op}`]?.post, `no POST /v1/${op}`);
  assert.ok(doc.paths['/healthz']?.get);
  const refs = [];
  const walk = (v) => {
    if (v && typeof v === 'object') {
      if (typeof v.$ref === 'string') refs.push(v.$ref);
      Object.values(v).forEach(walk);
    }
  };
  walk(doc);
  for (const r of refs) {
    const [file, frag] = r.split('#');
    assert.ok(schemas[file], `${r}: no such schema file`);
    let node = schemas[file];
    for (const part of (frag || '').split('/').filter(Boolean)) node = node?.[part];
    assert.ok(node, `${r}: no such definition`);
  }
});
