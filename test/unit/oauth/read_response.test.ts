import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readResponse } from '../../../packages/engine/src/util/read_response.js';

const JSON_TEXT = JSON.stringify({ sub: '248289761001', name: 'Jane Doë' });
const answer = (status = 200) => ({
  status,
  statusText: 'Fine',
  headers: new Headers({ 'content-type': 'application/json', 'x-twice': 'a, b' }),
  url: 'https://provider.example/userinfo',
});
const bytes = () => new TextEncoder().encode(JSON_TEXT);

/** What a step shows: its value, or the kind of error it threw or rejected with. */
async function outcome(step: () => unknown): Promise<unknown> {
  try {
    const value = await step();
    if (value instanceof ArrayBuffer) return { arrayBuffer: new TextDecoder().decode(value) };
    if (value instanceof Uint8Array) return { bytes: new TextDecoder().decode(value) };
    if (value instanceof Blob) return { blob: await value.text(), type: value.type };
    if (value instanceof Response) return { response: value.status };
    if (value instanceof ReadableStream) return { stream: await new Response(value).text() };
    return { value };
  } catch (err) {
    return { error: (err as Error).constructor.name };
  }
}

type Step = (r: Response) => unknown;
const read = {
  text: (r: Response) => r.text(),
  json: (r: Response) => r.json(),
  arrayBuffer: (r: Response) => r.arrayBuffer(),
  bytes: (r: Response) => r.bytes(),
  blob: (r: Response) => r.blob(),
  body: (r: Response) => r.body,
  bodyUsed: (r: Response) => r.bodyUsed,
  bodyIsNull: (r: Response) => r.body === null,
  cloneThenText: async (r: Response) => r.clone().text(),
};

const sequences: Array<[string, Step[]]> = [
  ['text', [read.text, read.bodyUsed]],
  ['text twice', [read.text, read.text]],
  ['json then text', [read.json, read.text, read.bodyUsed]],
  ['arrayBuffer', [read.arrayBuffer, read.json]],
  ['bytes', [read.bytes, read.bodyUsed, read.text]],
  ['blob', [read.blob, read.bodyUsed]],
  ['the body stream, then text', [read.body, read.bodyUsed, read.text]],
  ['text, then the body', [read.text, read.bodyIsNull, read.bodyUsed, read.body]],
  ['a clone read, then the original', [read.cloneThenText, read.bodyUsed, read.json]],
  ['a clone after the body was read', [read.text, read.cloneThenText]],
];

describe('an answer read into memory behaves as a Response built around the same bytes', () => {
  for (const [what, steps] of sequences) {
    it(`when it is used as "${what}", then each step shows what a Response shows`, async () => {
      const ours = readResponse(bytes(), answer());
      const theirs = new Response(bytes(), answer());
      for (const [i, step] of steps.entries()) {
        assert.deepEqual(await outcome(() => step(ours)), await outcome(() => step(theirs)), `step ${i + 1}`);
      }
    });
  }

  it('when it is made, then it is a Response with the status, status text, headers and url of the answer', async () => {
    const response = readResponse(bytes(), answer(401));
    assert.ok(response instanceof Response);
    assert.equal(response.status, 401);
    assert.equal(response.statusText, 'Fine');
    assert.equal(response.headers.get('x-twice'), 'a, b');
    assert.equal(response.url, 'https://provider.example/userinfo');
    assert.equal(response.ok, false);
    assert.deepEqual(await response.json(), JSON.parse(JSON_TEXT));
  });

  it('when the status has no body (204, 304), then it has none, as fetch gives it', async () => {
    for (const status of [204, 205, 304]) {
      const response = readResponse(bytes(), answer(status));
      assert.equal(response.body, null);
      assert.equal(await response.text(), '');
      assert.equal(response.url, 'https://provider.example/userinfo');
    }
  });
});
