// The WebAssembly module under node:wasi answers every golden scenario and
// every protocol test case with exactly the bytes the native -stdio does.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { native, replayRequests, cases, wasm } from './lib.mjs';

test('every golden scenario: the .wasm and -stdio answer the same bytes, and the golden events', async () => {
  const { input, want, list } = replayRequests();
  const fromWasm = await wasm(input);
  const fromNative = native(input);
  assert.ok(list.length > 0, 'no golden scenarios');
  assert.ok(fromWasm.equals(fromNative), 'the .wasm and -stdio differ');
  assert.ok(fromNative.equals(want), 'the answers are not the golden events');
});

for (const s of cases()) {
  test(`case ${s.name}: the .wasm and -stdio answer the same bytes, and the golden responses`, async () => {
    const fromWasm = await wasm(s.requests);
    const fromNative = native(s.requests);
    assert.ok(fromWasm.equals(fromNative), 'the .wasm and -stdio differ');
    assert.ok(fromNative.equals(s.golden), 'the answers are not the golden responses');
  });
}
