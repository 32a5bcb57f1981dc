// An existing model, parsed for rewriting: look up initializers, producers and consumers; add initializers and
// nodes with names that cannot clash; replace nodes in place (so the node list stays in topological order); drop
// what nothing uses any more; serialize. Everything the rewrite does not touch (metadata, doc strings, other
// domains, subgraphs) is written back as it came.
import onnxProto, { type onnx } from 'onnx-proto';
import type { Datatype } from '../../src/protocol/tensor.js';
import { type Attributes, attributeProtos } from './attributes.js';
import { type TensorValues, tensorProto } from './tensor-proto.js';
import { type Int64, int64Number } from './tensor-values.js';

const { ModelProto } = onnxProto.onnx;

type INodeProto = onnx.INodeProto;
type ITensorProto = onnx.ITensorProto;

/** ONNX's first IR version where an initializer need not also be a graph input. */
const IR_INITIALIZERS_APART = 4;

export class ModelGraph {
  readonly model: onnx.ModelProto;
  readonly graph: onnx.IGraphProto;
  private readonly names = new Set<string>();
  private readonly initializers = new Map<string, ITensorProto>();
  private readonly graphInputs = new Set<string>();
  private readonly graphOutputs = new Set<string>();
  private index: { producers: Map<string, INodeProto>; consumers: Map<string, INodeProto[]> } | null = null;
  private subgraphNames: Set<string> | null = null;
  private counter = 0;

  constructor(model: onnx.ModelProto) {
    if (!model.graph) throw new TypeError('the model has no graph');
    this.model = model;
    this.graph = model.graph;
    // Own arrays: a decoded message's empty repeated fields are protobufjs' shared, frozen empty array.
    this.graph.node = [...(this.graph.node ?? [])];
    this.graph.initializer = [...(this.graph.initializer ?? [])];
    this.model.opsetImport = [...(this.model.opsetImport ?? [])];
    for (const t of this.graph.initializer) {
      this.initializers.set(t.name ?? '', t);
      this.names.add(t.name ?? '');
    }
    for (const v of this.graph.input ?? []) this.graphInputs.add(v.name ?? '');
    for (const v of this.graph.output ?? []) this.graphOutputs.add(v.name ?? '');
    for (const name of [...this.graphInputs, ...this.graphOutputs]) this.names.add(name);
    for (const node of this.graph.node) {
      if (node.name) this.names.add(node.name);
      for (const name of [...(node.input ?? []), ...(node.output ?? [])]) this.names.add(name);
    }
  }

  /** Decodes model bytes; throws on malformed protobuf or a model without a graph. */
  static parse(bytes: Uint8Array): ModelGraph {
    return new ModelGraph(ModelProto.decode(bytes));
  }

  get nodes(): INodeProto[] {
    return this.graph.node!;
  }

  get irVersion(): number {
    return int64Number(this.model.irVersion as Int64);
  }

  /** The imported version of an operator domain ('' and 'ai.onnx' are the standard one), or undefined. */
  opset(domain = ''): number | undefined {
    const wanted = domain === 'ai.onnx' ? '' : domain;
    const entry = this.model.opsetImport?.find((o) => (o.domain === 'ai.onnx' ? '' : (o.domain ?? '')) === wanted);
    return entry ? int64Number(entry.version as Int64) : undefined;
  }

  /** The initializer called `name`, if it is a constant (from IR 4 on, one that is also a graph input can be fed). */
  constant(name: string): ITensorProto | undefined {
    const t = this.initializers.get(name);
    if (!t) return undefined;
    if (this.graphInputs.has(name) && this.irVersion >= IR_INITIALIZERS_APART) return undefined;
    return t;
  }

  /** The initializer called `name` whether or not a graph input of that name can override it. */
  initializerNamed(name: string): ITensorProto | undefined {
    return this.initializers.get(name);
  }

  isGraphOutput(name: string): boolean {
    return this.graphOutputs.has(name);
  }

  isGraphInput(name: string): boolean {
    return this.graphInputs.has(name) && !this.initializers.has(name);
  }

  /** The node whose output `name` is, or undefined for graph inputs and initializers. */
  producer(name: string): INodeProto | undefined {
    return this.indexes().producers.get(name);
  }

  /** The top-level nodes reading `name` (each once). */
  consumers(name: string): INodeProto[] {
    return this.indexes().consumers.get(name) ?? [];
  }

  /** Whether a subgraph (If/Loop/Scan body) refers to `name` — such values are left alone. */
  usedInSubgraph(name: string): boolean {
    this.subgraphNames ??= collectSubgraphNames(this.nodes);
    return this.subgraphNames.has(name);
  }

  /** A value or node name not used anywhere in the model yet (and reserved from now on). */
  freshName(base: string): string {
    let name = base;
    while (this.names.has(name)) name = `${base}_${this.counter++}`;
    this.names.add(name);
    return name;
  }

  /** Adds an initializer under a fresh name derived from `base` and returns that name. */
  addInitializer(base: string, datatype: Datatype, dims: readonly number[], values: TensorValues): string {
    const name = this.freshName(base);
    const proto = tensorProto(name, datatype, dims, values);
    this.graph.initializer!.push(proto);
    this.initializers.set(name, proto);
    return name;
  }

  /** A node (not yet placed in the graph) with fresh output names derived from `outputs` or the op type. */
  makeNode(
    opType: string,
    inputs: readonly string[],
    outputs: number | readonly string[] = 1,
    attributes?: Attributes,
    domain = '',
  ): INodeProto {
    const names =
      typeof outputs === 'number'
        ? Array.from({ length: outputs }, (_, i) => this.freshName(`${opType.toLowerCase()}_${i}`))
        : [...outputs];
    const node: INodeProto = {
      name: this.freshName(opType),
      opType,
      input: [...inputs],
      output: names,
      attribute: attributeProtos(attributes),
    };
    if (domain) node.domain = domain;
    return node;
  }

  /** Puts `replacement` where `node` was (pass [] to remove it). Values `node` produced must be produced again. */
  replaceNode(node: INodeProto, replacement: readonly INodeProto[]): void {
    const at = this.nodes.indexOf(node);
    if (at < 0) throw new Error(`node ${node.name ?? node.opType} is not in the graph`);
    this.nodes.splice(at, 1, ...replacement);
    this.index = null;
  }

  /** Points input `index` of `node` at `value`. */
  setInput(node: INodeProto, index: number, value: string): void {
    const inputs = [...(node.input ?? [])];
    inputs[index] = value;
    node.input = inputs;
    this.index = null;
  }

  /** Puts `nodes` at the front of the graph (for nodes that read only initializers, e.g. Casts of weights). */
  prepend(nodes: readonly INodeProto[]): void {
    if (nodes.length === 0) return;
    this.nodes.unshift(...nodes);
    this.index = null;
  }

  /** Inserts `nodes` just before `node`. */
  insertBefore(node: INodeProto, nodes: readonly INodeProto[]): void {
    const at = this.nodes.indexOf(node);
    if (at < 0) throw new Error(`node ${node.name ?? node.opType} is not in the graph`);
    this.nodes.splice(at, 0, ...nodes);
    this.index = null;
  }

  /** Replaces an initializer's contents, keeping its name. */
  setInitializer(name: string, datatype: Datatype, dims: readonly number[], values: TensorValues): void {
    const old = this.initializers.get(name);
    if (!old) throw new Error(`${name} is not an initializer`);
    const fresh = tensorProto(name, datatype, dims, values);
    const list = this.graph.initializer!;
    list[list.indexOf(old)] = fresh;
    this.initializers.set(name, fresh);
  }

  /** Removes initializers nothing reads any more (nor a graph output nor a subgraph); returns their names. */
  removeUnusedInitializers(): string[] {
    const removed: string[] = [];
    this.graph.initializer = this.graph.initializer!.filter((t) => {
      const name = t.name ?? '';
      const used = this.consumers(name).length > 0 || this.graphOutputs.has(name) || this.usedInSubgraph(name);
      if (!used) {
        removed.push(name);
        this.initializers.delete(name);
      }
      return used;
    });
    if (removed.length > 0 && this.graph.input) {
      // IR < 4 lists initializers among the inputs too.
      const gone = new Set(removed);
      this.graph.input = this.graph.input.filter((v) => !gone.has(v.name ?? ''));
    }
    return removed;
  }

  /** Raises the import of `domain` to at least `version` (adding it when missing). */
  requireOpset(domain: string, version: number): void {
    const list = this.model.opsetImport;
    const entry = list.find((o) => (o.domain ?? '') === domain);
    if (!entry) list.push({ domain, version });
    else if (int64Number(entry.version as Int64) < version) entry.version = version;
  }

  toBytes(): Uint8Array {
    return new Uint8Array(ModelProto.encode(this.model).finish());
  }

  private indexes(): { producers: Map<string, INodeProto>; consumers: Map<string, INodeProto[]> } {
    if (this.index) return this.index;
    const producers = new Map<string, INodeProto>();
    const consumers = new Map<string, INodeProto[]>();
    for (const node of this.nodes) {
      for (const out of node.output ?? []) if (out) producers.set(out, node);
      for (const input of new Set(node.input ?? [])) {
        if (!input) continue;
        const list = consumers.get(input);
        if (list) list.push(node);
        else consumers.set(input, [node]);
      }
    }
    this.index = { producers, consumers };
    return this.index;
  }
}

/** Every value name nodes inside subgraph attributes read, recursively. */
function collectSubgraphNames(nodes: readonly INodeProto[]): Set<string> {
  const names = new Set<string>();
  const visit = (graph: onnx.IGraphProto) => {
    for (const node of graph.node ?? []) {
      for (const input of node.input ?? []) names.add(input);
      for (const a of node.attribute ?? []) {
        if (a.g) visit(a.g);
        for (const g of a.graphs ?? []) visit(g);
      }
    }
  };
  for (const node of nodes) {
    for (const a of node.attribute ?? []) {
      if (a.g) visit(a.g);
      for (const g of a.graphs ?? []) visit(g);
    }
  }
  return names;
}
