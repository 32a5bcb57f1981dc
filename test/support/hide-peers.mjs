// `node --import tsx --import ./test/support/hide-peers.mjs ...`: runs with fastify and onnxruntime-node hidden.
import { register } from 'node:module';

register('./hide-peers-hooks.mjs', import.meta.url);
