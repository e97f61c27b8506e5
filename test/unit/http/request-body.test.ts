import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeBody, encodeBodyAsync, needsAsyncEncoding, NO_BODY, type BodyInput, type EncodedBody } from '../../../src/http/request-body.js';
import { encodeMultipart, randomBoundary } from '../../../src/http/multipart.js';

const FORM = 'application/x-www-form-urlencoded';
/** Every byte value, then the sequences a multipart parser splits on. */
const ALL_BYTES = Uint8Array.from({ length: 256 }, (_, i) => i);
const TRICKY_TEXT = 'line 1\r\n--\r\n--not-a-boundary--\r\n\r\nend\n';

function encoded(result: EncodedBody | string): EncodedBody {
  if (typeof result === 'string') assert.fail(`unexpected problem: ${result}`);
  return result;
}

function boundaryOf(contentType: string | null): string {
  const match = /^multipart\/form-data; boundary=(----brood[0-9a-f]{24})$/.exec(contentType ?? '');
  assert.ok(match, `content-type ${String(contentType)}`);
  return match[1] as string;
}

type ParsedEntry = [string, string | { filename: string; type: string; hex: string }];

/** Reads a multipart body back with the platform's own parser (undici's, behind Response). */
async function parseMultipart(result: EncodedBody | string): Promise<ParsedEntry[]> {
  const { body, contentType } = encoded(result);
  boundaryOf(contentType);
  assert.ok(body instanceof Uint8Array, 'a multipart body is bytes');
  const form = await new Response(body, { headers: { 'content-type': contentType ?? '' } }).formData();
  const out: ParsedEntry[] = [];
  for (const [name, value] of form) {
    if (typeof value === 'string') out.push([name, value]);
    else out.push([name, { filename: value.name, type: value.type, hex: Buffer.from(await value.arrayBuffer()).toString('hex') }]);
  }
  return out;
}

const hex = (content: string | Uint8Array): string => Buffer.from(content).toString('hex');
const text = (body: EncodedBody['body']): string => (typeof body === 'string' ? body : Buffer.from(body ?? []).toString('latin1'));

test('no option: the same frozen constant every time, also when options are present but undefined or null', () => {
  const first = encodeBody({});
  assert.deepEqual(first, { body: null, contentType: null });
  assert.ok(Object.isFrozen(first));
  assert.equal(first, NO_BODY);
  assert.equal(encodeBody({}), first);
  assert.equal(encodeBody({ json: undefined, body: null, form: undefined, data: null, files: undefined }), first);
});

test('json: JSON text as application/json; null, 0, false and "" are given; undefined is not', () => {
  assert.deepEqual(encodeBody({ json: { a: 1, s: 'ü "q"', list: [true, null] } }), { body: '{"a":1,"s":"ü \\"q\\"","list":[true,null]}', contentType: 'application/json' });
  for (const [value, body] of [[null, 'null'], [0, '0'], [false, 'false'], ['', '""']] as const) {
    assert.deepEqual(encodeBody({ json: value }), { body, contentType: 'application/json' }, String(value));
  }
});

test('json that JSON cannot hold is a one-line problem', () => {
  const circular: Record<string, unknown> = {};
  circular['self'] = circular;
  for (const value of [circular, { n: 1n }, () => 1, Symbol('s')]) {
    const result = encodeBody({ json: value });
    assert.equal(typeof result, 'string', String(typeof value));
    assert.match(result as string, /^json cannot be encoded: [^\n]+$/);
  }
});

test('body: strings and bytes as given with no content-type, URLSearchParams as fetch sends it', () => {
  assert.deepEqual(encodeBody({ body: 'raw ü' }), { body: 'raw ü', contentType: null });
  const buffer = Buffer.from([0, 1, 255]);
  assert.equal(encoded(encodeBody({ body: buffer })).body, buffer, 'no copy');
  const bytes = new Uint8Array([9, 8]);
  assert.equal(encoded(encodeBody({ body: bytes })).body, bytes);
  assert.deepEqual(hex(encoded(encodeBody({ body: new Uint16Array([0x0102]).buffer })).body as Uint8Array), hex(new Uint8Array(new Uint16Array([0x0102]).buffer)));
  const params = new URLSearchParams([['a b', 'c&d'], ['a b', 'ü']]);
  assert.deepEqual(encodeBody({ body: params }), { body: 'a+b=c%26d&a+b=%C3%BC', contentType: 'application/x-www-form-urlencoded;charset=UTF-8' });
});

test('a body of another type is a problem that points to json', () => {
  const cases: Array<[unknown, string]> = [[{ a: 1 }, 'object'], [[1], 'array'], [42, 'number'], [true, 'boolean'], [new Map(), 'Map'], [new Blob(['x']), 'Blob']];
  for (const [body, got] of cases) {
    assert.equal(encodeBody({ body }), `body must be a string, bytes, URLSearchParams or FormData (got ${got}): use json for objects`);
  }
});

test('form: UTF-8, reserved characters escaped, spaces as +, byte for byte', () => {
  const result = encodeBody({ form: { q: 'a b&c=d+e%f/g?h#i', 'k&=+ /?#%': 'ü 日本 😀', safe: '*-._~' } });
  assert.deepEqual(result, {
    body: 'q=a+b%26c%3Dd%2Be%25f%2Fg%3Fh%23i&k%26%3D%2B+%2F%3F%23%25=%C3%BC+%E6%97%A5%E6%9C%AC+%F0%9F%98%80&safe=*-._%7E',
    contentType: FORM,
  });
});

test('form: arrays repeat the field, numbers and booleans as text, null and undefined left out', () => {
  const form = { tag: ['a', 1, true, null, 'b'], none: null, missing: undefined, zero: 0, no: false, empty: '' };
  assert.deepEqual(encodeBody({ form }), { body: 'tag=a&tag=1&tag=true&tag=b&zero=0&no=false&empty=', contentType: FORM });
  assert.deepEqual(encodeBody({ form: {} }), { body: '', contentType: FORM });
  assert.deepEqual(encodeBody({ form: new URLSearchParams('a=1&a=2') }), { body: 'a=1&a=2', contentType: FORM });
});

test('form of the wrong shape is a problem naming the option and field', () => {
  assert.equal(encodeBody({ form: 'a=1' }), 'form must be an object of fields or URLSearchParams (got string)');
  assert.equal(encodeBody({ form: [['a', '1']] }), 'form must be an object of fields or URLSearchParams (got array)');
  assert.equal(encodeBody({ form: { a: { b: 1 } } }), 'form field "a" must be a string, number or boolean, or an array of them (got object)');
  assert.equal(encodeBody({ form: { a: ['x', ['y']] } }), 'form field "a" must be a string, number or boolean, or an array of them (got array)');
  assert.equal(encodeBody({ data: { a: 1n } }), 'data field "a" must be a string, number or boolean, or an array of them (got bigint)');
});

test('multipart wire format, byte for byte: opening delimiter, CRLF line ends, closing --boundary--', () => {
  const result = encodeBody({ form: { a: '1' }, files: { f: { content: 'x', filename: 'f.txt', contentType: 'text/plain' }, g: 'y' } });
  const { body, contentType } = encoded(result);
  const b = boundaryOf(contentType);
  assert.ok(body instanceof Uint8Array);
  assert.equal(
    text(body),
    `--${b}\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n` +
      `--${b}\r\nContent-Disposition: form-data; name="f"; filename="f.txt"\r\nContent-Type: text/plain\r\n\r\nx\r\n` +
      `--${b}\r\nContent-Disposition: form-data; name="g"; filename="g"\r\nContent-Type: application/octet-stream\r\n\r\ny\r\n` +
      `--${b}--\r\n`,
  );
});

test('files parsed back by the platform: every byte value, "--" and CRLF inside content, names, filenames and types', async () => {
  const files = {
    binary: { content: ALL_BYTES, filename: 'all.bin', contentType: 'application/x-test' },
    tricky: { content: TRICKY_TEXT, filename: 'tricky.txt', contentType: 'text/plain' },
    bare: Buffer.from('--\r\n--'),
    bareText: 'ü text',
    noName: { content: new Uint8Array([0, 13, 10, 45, 45]) },
  };
  assert.deepEqual(await parseMultipart(encodeBody({ files })), [
    ['binary', { filename: 'all.bin', type: 'application/x-test', hex: hex(ALL_BYTES) }],
    ['tricky', { filename: 'tricky.txt', type: 'text/plain', hex: hex(TRICKY_TEXT) }],
    ['bare', { filename: 'bare', type: 'application/octet-stream', hex: hex('--\r\n--') }],
    ['bareText', { filename: 'bareText', type: 'application/octet-stream', hex: hex('ü text') }],
    ['noName', { filename: 'noName', type: 'application/octet-stream', hex: '000d0a2d2d' }],
  ]);
});

test('names and filenames: quote, CR and LF escaped as browsers do, non-ASCII as UTF-8 bytes', async () => {
  const result = encodeBody({ form: { 'a"b\r\nc': 'v\r\n' }, files: { '日本 😀': { content: 'x', filename: 'q"\n\r ü.txt' } } });
  const raw = Buffer.from(encoded(result).body as Uint8Array);
  assert.ok(raw.includes(Buffer.from('name="a%22b%0D%0Ac"\r\n\r\nv\r\n\r\n', 'latin1')), 'escaped name, value as given');
  assert.ok(raw.includes(Buffer.from('name="日本 😀"; filename="q%22%0A%0D ü.txt"', 'utf8')), 'UTF-8 name and filename');
  assert.deepEqual(await parseMultipart(result), [
    ['a"b\r\nc', 'v\r\n'],
    ['日本 😀', { filename: 'q"\n\r ü.txt', type: 'application/octet-stream', hex: hex('x') }],
  ]);
});

test('form fields and files together: the fields first as plain parts (arrays repeated), then the files, in one body', async () => {
  const form = Object.freeze({ user: 'ü 日本', tag: Object.freeze(['a', 2, false]), skipped: null });
  const files = Object.freeze({ doc: Object.freeze({ content: ALL_BYTES, filename: 'd.bin' }) });
  assert.deepEqual(await parseMultipart(encodeBody({ form, files })), [
    ['user', 'ü 日本'],
    ['tag', 'a'],
    ['tag', '2'],
    ['tag', 'false'],
    ['doc', { filename: 'd.bin', type: 'application/octet-stream', hex: hex(ALL_BYTES) }],
  ]);
});

test('bad files are one-line problems', () => {
  const cases: Array<[unknown, string]> = [
    ['x', 'files must be an object of file fields (got string)'],
    [{ f: 1 }, 'files field "f" must be { content, filename?, contentType? }, a string or bytes (got number)'],
    [{ f: { content: 'x', type: 'text/plain' } }, 'files field "f" has an unknown key "type": use content, filename and contentType'],
    [{ f: { filename: 'a' } }, 'files field "f" content must be a string or bytes (got undefined)'],
    [{ f: { content: 'x', filename: 3 } }, 'files field "f" filename must be a string (got number)'],
    [{ f: { content: 'x', contentType: 1 } }, 'files field "f" contentType must be a string (got number)'],
    [{ f: { content: 'x', contentType: 'text/plain\r\nX-Evil: 1' } }, 'files field "f" contentType must be one line'],
  ];
  for (const [files, problem] of cases) assert.equal(encodeBody({ files }), problem);
  assert.equal(encodeBody({ files: {}, form: 3 }), 'form must be an object of fields or URLSearchParams (got number)');
});

test('boundary: random ----brood + 24 hex digits, and regenerated when it occurs in the content', () => {
  const a = randomBoundary();
  assert.match(a, /^----brood[0-9a-f]{24}$/);
  assert.notEqual(randomBoundary(), a);
  const offered = ['inside', 'inside', 'outside'];
  const result = encodeMultipart([{ name: 'f', content: 'text with inside in it', filename: 'f' }], () => offered.shift() ?? 'exhausted');
  assert.equal(encoded(result).contentType, 'multipart/form-data; boundary=outside');
  assert.deepEqual(offered, [], 'tried until one was absent');
  const second = ['clash', 'other'];
  const inHeader = encodeMultipart([{ name: 'clash', content: '' }], () => second.shift() ?? 'exhausted');
  assert.equal(encoded(inHeader).contentType, 'multipart/form-data; boundary=other', 'names are checked too');
  assert.match(encodeMultipart([{ name: 'f', content: 'xx' }], () => 'x') as string, /^no multipart boundary absent from the content/);
  assert.equal(text(encoded(encodeMultipart([], () => 'B')).body), '--B--\r\n', 'no parts: only the closing delimiter');
});

test('FormData body: strings and Blob/File entries through encodeBodyAsync, as fetch would send them', async () => {
  const form = new FormData();
  form.append('name', 'ü 日本');
  form.append('blob', new Blob([ALL_BYTES]));
  form.append('file', new File([TRICKY_TEXT], 'a"b.txt', { type: 'text/plain' }));
  form.append('name', 'again');
  const input: BodyInput = { body: form };
  assert.equal(needsAsyncEncoding(input), true);
  assert.equal(encodeBody(input), 'a FormData body holding files must be encoded with encodeBodyAsync');
  assert.deepEqual(await parseMultipart(await encodeBodyAsync(input)), [
    ['name', 'ü 日本'],
    ['blob', { filename: 'blob', type: 'application/octet-stream', hex: hex(ALL_BYTES) }],
    ['file', { filename: 'a"b.txt', type: 'text/plain', hex: hex(TRICKY_TEXT) }],
    ['name', 'again'],
  ]);
});

test('FormData of strings only encodes synchronously too; FormData given as data is the body', async () => {
  const form = new FormData();
  form.append('a', '1');
  form.append('b', '--\r\n');
  assert.deepEqual(await parseMultipart(encodeBody({ body: form })), [['a', '1'], ['b', '--\r\n']]);
  assert.equal(needsAsyncEncoding({ data: form }), true);
  assert.deepEqual(await parseMultipart(await encodeBodyAsync({ data: form })), [['a', '1'], ['b', '--\r\n']]);
});

test('needsAsyncEncoding is false for everything but a FormData body', () => {
  const inputs: BodyInput[] = [{}, { json: { a: 1 } }, { body: 'x' }, { body: new Uint8Array(1) }, { form: { a: 1 } }, { data: 'x' }, { files: { f: 'x' } }];
  for (const input of inputs) assert.equal(needsAsyncEncoding(input), false, JSON.stringify(input));
});

test('encodeBodyAsync gives what encodeBody gives when there is no FormData', async () => {
  assert.equal(await encodeBodyAsync({}), NO_BODY);
  assert.deepEqual(await encodeBodyAsync({ form: { a: 'b c' } }), { body: 'a=b+c', contentType: FORM });
  assert.equal(await encodeBodyAsync({ json: 1, body: 'x' }), 'json and body are both given: pick one');
});

test('data: an object or URLSearchParams is form, a string or bytes the body, and with files the form fields', async () => {
  assert.deepEqual(encodeBody({ data: { a: 'x y', n: [1, 2] } }), { body: 'a=x+y&n=1&n=2', contentType: FORM });
  assert.deepEqual(encodeBody({ data: new URLSearchParams({ a: 'ü' }) }), { body: 'a=%C3%BC', contentType: FORM });
  assert.deepEqual(encodeBody({ data: '{"raw":1}' }), { body: '{"raw":1}', contentType: null });
  const bytes = Buffer.from([1, 2, 3]);
  assert.equal(encoded(encodeBody({ data: bytes })).body, bytes);
  assert.deepEqual(await parseMultipart(encodeBody({ data: { a: '1' }, files: { f: 'x' } })), [
    ['a', '1'],
    ['f', { filename: 'f', type: 'application/octet-stream', hex: hex('x') }],
  ]);
  assert.equal(encodeBody({ data: 5 }), 'data must be an object of fields, URLSearchParams, a string or bytes (got number)');
});

test('every conflict is a problem naming the two options', () => {
  const cases: Array<[BodyInput, string]> = [
    [{ json: {}, body: 'x' }, 'json and body are both given: pick one'],
    [{ json: {}, form: {} }, 'json and form are both given: pick one'],
    [{ json: {}, data: {} }, 'json and data are both given: pick one'],
    [{ json: {}, files: {} }, 'json and files are both given: pick one'],
    [{ json: null, body: 'x' }, 'json and body are both given: pick one'],
    [{ body: 'x', form: {} }, 'body and form are both given: pick one'],
    [{ body: 'x', data: 'y' }, 'body and data are both given: pick one'],
    [{ body: 'x', files: {} }, 'body and files are both given: pick one'],
    [{ form: {}, data: {} }, 'form and data are both given: pick one'],
    [{ form: {}, data: {}, files: {} }, 'form and data are both given: pick one'],
    [{ data: 'x', files: {} }, 'data as a string is the whole body and cannot go with files: give data as an object of fields'],
    [{ data: new Uint8Array(1), files: {} }, 'data as a Uint8Array is the whole body and cannot go with files: give data as an object of fields'],
  ];
  for (const [input, problem] of cases) assert.equal(encodeBody(input), problem, JSON.stringify(Object.keys(input)));
});

test('an option given as null is not given, so it conflicts with nothing', () => {
  assert.deepEqual(encodeBody({ json: undefined, body: null, form: { a: 1 } }), { body: 'a=1', contentType: FORM });
  assert.deepEqual(encodeBody({ body: 'x', form: null, data: undefined, files: null }), { body: 'x', contentType: null });
});
