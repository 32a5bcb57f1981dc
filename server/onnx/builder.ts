// A small fluent graph builder: values are tensor names (strings), nodes get unique generated output names,
// and every node input must already exist, so a typo fails here rather than inside ONNX Runtime.
import type { onnx } from 'onnx-proto';
import type { Datatype } from '../../src/protocol/tensor.js';
import { type Attributes, attributeProtos } from './attributes.js';
import { type ModelOptions, serializeModel } from './model.js';
import { type TensorValues, tensorProto } from './tensor-proto.js';
import { type Dim, valueInfoProto } from './value-info.js';

export interface NodeOptions {
  /** Operator domain; '' (default) is the standard ONNX domain. */
  domain?: string;
  /** Node name; generated (`<OpType>_<n>`) when omitted. */
  name?: string;
  /** Output names; generated (`<optype>_<n>`) when omitted. */
  outputs?: readonly string[];
  docString?: string;
}

interface DeclaredIo {
  name: string;
  datatype: Datatype;
  shape: readonly Dim[] | null;
}

export class GraphBuilder {
  private readonly inputs: DeclaredIo[] = [];
  private readonly outputs: DeclaredIo[] = [];
  private readonly initializers: onnx.ITensorProto[] = [];
  private readonly nodes: onnx.INodeProto[] = [];
  /** Every value name in the graph → how it came to be. */
  private readonly values = new Map<string, 'input' | 'initializer' | 'node'>();
  private readonly nodeNames = new Set<string>();
  private readonly usedDomains = new Set<string>();
  private counter = 0;

  constructor(
    readonly name: string,
    readonly docString?: string,
  ) {}

  /** Declares a graph input; -1 or a string in `shape` makes that dimension dynamic, null leaves the rank unknown. */
  input(name: string, datatype: Datatype, shape: readonly Dim[] | null): string {
    this.claim(name, 'input');
    this.inputs.push({ name, datatype, shape });
    return name;
  }

  /** A named constant tensor (weights, biases, shape operands). */
  initializer(name: string, datatype: Datatype, dims: readonly number[], values: TensorValues): string {
    const proto = tensorProto(name, datatype, dims, values);
    this.claim(name, 'initializer');
    this.initializers.push(proto);
    return name;
  }

  /** An initializer with a generated name, for small operands such as `axes` or a constant 1. */
  constant(datatype: Datatype, dims: readonly number[], values: TensorValues): string {
    return this.initializer(this.freshValue('const'), datatype, dims, values);
  }

  /** Adds a one-output node and returns the output's name. Pass '' for an omitted optional input. */
  node(opType: string, inputs: readonly string[], attributes?: Attributes, options: NodeOptions = {}): string {
    return this.nodeOutputs(opType, inputs, options.outputs?.length ?? 1, attributes, options)[0]!;
  }

  /** Adds a node with `outputs` outputs (a count, or names) and returns their names. */
  nodeOutputs(
    opType: string,
    inputs: readonly string[],
    outputs: number | readonly string[],
    attributes?: Attributes,
    options: NodeOptions = {},
  ): string[] {
    for (const input of inputs) {
      if (input !== '' && !this.values.has(input)) {
        throw new Error(`node ${opType}: input ${input} is not a graph input, initializer or node output`);
      }
    }
    const names =
      typeof outputs === 'number'
        ? (options.outputs ?? Array.from({ length: outputs }, () => this.freshValue(opType.toLowerCase())))
        : outputs;
    for (const output of names) this.claim(output, 'node');
    const nodeName = options.name ?? this.freshNodeName(opType);
    if (this.nodeNames.has(nodeName)) throw new Error(`node name ${nodeName} is used twice`);
    this.nodeNames.add(nodeName);
    const domain = options.domain ?? '';
    this.usedDomains.add(domain);
    const node: onnx.INodeProto = {
      name: nodeName,
      opType,
      input: [...inputs],
      output: [...names],
      attribute: attributeProtos(attributes),
    };
    if (domain) node.domain = domain;
    if (options.docString) node.docString = options.docString;
    this.nodes.push(node);
    return [...names];
  }

  /**
   * Declares `value` as graph output `name`. A node output not yet exposed is renamed in place; a graph input,
   * an initializer or an already exposed value is routed through an Identity node instead.
   */
  output(value: string, name: string, datatype: Datatype, shape: readonly Dim[] | null): string {
    const origin = this.values.get(value);
    if (!origin) throw new Error(`output ${name}: ${value} is not a value of this graph`);
    const exposed = this.outputs.some((o) => o.name === value);
    if (value !== name) {
      if (origin === 'node' && !exposed) this.rename(value, name);
      else this.node('Identity', [value], undefined, { outputs: [name] });
    } else if (origin !== 'node' || exposed) {
      throw new Error(`output ${name}: a graph output needs its own name, different from ${value}`);
    }
    this.outputs.push({ name, datatype, shape });
    return name;
  }

  /** Domains of the operators used so far ('' = standard ONNX). */
  get domains(): ReadonlySet<string> {
    return this.usedDomains;
  }

  toGraphProto(): onnx.IGraphProto {
    if (this.outputs.length === 0) throw new Error(`graph ${this.name} has no outputs`);
    const graph: onnx.IGraphProto = {
      name: this.name,
      node: this.nodes,
      initializer: this.initializers,
      input: this.inputs.map((io) => valueInfoProto(io.name, io.datatype, io.shape)),
      output: this.outputs.map((io) => valueInfoProto(io.name, io.datatype, io.shape)),
    };
    if (this.docString) graph.docString = this.docString;
    return graph;
  }

  /** The serialized ModelProto (see ModelOptions for the defaults). */
  toModel(options?: ModelOptions): Uint8Array {
    return serializeModel(this, options);
  }

  private claim(name: string, origin: 'input' | 'initializer' | 'node'): void {
    if (!name) throw new Error('a value name must not be empty');
    if (this.values.has(name)) throw new Error(`value name ${name} is used twice`);
    this.values.set(name, origin);
  }

  private rename(from: string, to: string): void {
    this.claim(to, 'node');
    this.values.delete(from);
    for (const node of this.nodes) {
      node.input = node.input!.map((n) => (n === from ? to : n));
      node.output = node.output!.map((n) => (n === from ? to : n));
    }
  }

  private freshValue(prefix: string): string {
    let name: string;
    do name = `${prefix}_${this.counter++}`;
    while (this.values.has(name));
    return name;
  }

  private freshNodeName(opType: string): string {
    let name: string;
    do name = `${opType}_${this.counter++}`;
    while (this.nodeNames.has(name));
    return name;
  }
}
