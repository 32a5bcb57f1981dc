// The baseline for bench/server: the least a Node server can do for the same requests — node:http, one
// onnxruntime-node session, JSON.parse → session.run → JSON.stringify. No framework, no validation beyond what
// keeps it from crashing. It answers the same OIP v2 `infer` and TF-Serving `:predict` bodies as `maas serve`.
// Usage: node bench/bare-server.mjs --model FILE --name NAME [--port 0]
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import ort from 'onnxruntime-node';

const { values } = parseArgs({
  options: { model: { type: 'string' }, name: { type: 'string' }, port: { type: 'string', default: '0' } },
});
if (!values.model || !values.name) {
  process.stderr.write('usage: node bench/bare-server.mjs --model FILE --name NAME [--port 0]\n');
  process.exit(2);
}
const name = values.name;
const session = await ort.InferenceSession.create(values.model);
const inputName = session.inputNames[0];
const outputNames = session.outputNames;
const width = session.inputMetadata[0].shape.at(-1);
const inferPath = `/v2/models/${name}/infer`;
const predictPath = `/v1/models/${name}:predict`;

async function infer(request) {
  const tensor = request.inputs[0];
  const input = new ort.Tensor('float32', Float32Array.from(tensor.data), tensor.shape);
  const results = await session.run({ [inputName]: input });
  return {
    model_name: name,
    model_version: '1',
    outputs: outputNames.map((output) => {
      const value = results[output];
      return { name: output, datatype: 'FP32', shape: value.dims, data: Array.from(value.data) };
    }),
  };
}

async function predict(request) {
  const rows = request.instances;
  const data = new Float32Array(rows.length * width);
  for (let i = 0; i < rows.length; i++) data.set(rows[i], i * width);
  const results = await session.run({ [inputName]: new ort.Tensor('float32', data, [rows.length, width]) });
  const value = results[outputNames[0]];
  const columns = value.dims[1];
  const predictions = [];
  for (let i = 0; i < rows.length; i++)
    predictions.push(Array.from(value.data.subarray(i * columns, (i + 1) * columns)));
  return { predictions };
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', async () => {
    const handler = req.url === inferPath ? infer : req.url === predictPath ? predict : undefined;
    let status = 200;
    let body;
    try {
      if (req.method !== 'POST' || !handler) {
        status = 404;
        body = { error: 'not found' };
      } else {
        body = await handler(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      }
    } catch (err) {
      status = 400;
      body = { error: String(err) };
    }
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  });
});

server.listen(Number(values.port), '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`);
});
const stop = () => {
  server.close(() => session.release().then(() => process.exit(0)));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
