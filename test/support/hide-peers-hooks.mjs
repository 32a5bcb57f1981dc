// Module resolve hook: makes the server's optional peers look uninstalled, as in an app that only installed `maas`.
const hidden = new Set(['fastify', 'onnxruntime-node', 'better-sqlite3', 'pg', 'pg-boss', 'onnx-proto', 'prom-client']);

export async function resolve(specifier, context, next) {
  if (hidden.has(specifier)) {
    const err = new Error(`Cannot find package '${specifier}' imported from ${context.parentURL}`);
    err.code = 'ERR_MODULE_NOT_FOUND';
    throw err;
  }
  return next(specifier, context);
}
