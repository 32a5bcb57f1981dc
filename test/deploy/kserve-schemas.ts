// The fields of KServe's CRDs (serving.kserve.io, v0.14: ServingRuntime v1alpha1, InferenceService v1beta1) that
// deploy/kserve uses, as closed JSON Schemas: a misspelt or misplaced key fails. Types follow the CRDs' OpenAPI.
const closed = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: 'object',
  additionalProperties: false,
  properties,
  required,
});
const quantity = { anyOf: [{ type: 'string' }, { type: 'integer' }] };
const resources = closed({
  requests: closed({ cpu: quantity, memory: quantity }),
  limits: closed({ cpu: quantity, memory: quantity }),
});
const probe = closed({
  httpGet: closed({ path: { type: 'string' }, port: { anyOf: [{ type: 'integer' }, { type: 'string' }] } }, ['port']),
  grpc: closed({ port: { type: 'integer' }, service: { type: 'string' } }, ['port']),
  initialDelaySeconds: { type: 'integer' },
  periodSeconds: { type: 'integer' },
  timeoutSeconds: { type: 'integer' },
  failureThreshold: { type: 'integer' },
});
const container = closed(
  {
    name: { type: 'string' },
    image: { type: 'string' },
    args: { type: 'array', items: { type: 'string' } },
    command: { type: 'array', items: { type: 'string' } },
    env: { type: 'array', items: closed({ name: { type: 'string' }, value: { type: 'string' } }, ['name']) },
    ports: {
      type: 'array',
      items: closed(
        { name: { type: 'string' }, containerPort: { type: 'integer' }, protocol: { enum: ['TCP', 'UDP', 'SCTP'] } },
        ['containerPort'],
      ),
    },
    readinessProbe: probe,
    livenessProbe: probe,
    resources,
    securityContext: closed({
      runAsNonRoot: { type: 'boolean' },
      runAsUser: { type: 'integer' },
      allowPrivilegeEscalation: { type: 'boolean' },
      readOnlyRootFilesystem: { type: 'boolean' },
    }),
  },
  ['name'],
);
const metadata = closed({ name: { type: 'string' }, labels: { type: 'object' }, annotations: { type: 'object' } }, [
  'name',
]);
const protocol = { enum: ['v1', 'v2', 'grpc-v1', 'grpc-v2'] };

export const kserveSchemas = {
  ServingRuntime: closed(
    {
      apiVersion: { const: 'serving.kserve.io/v1alpha1' },
      kind: { const: 'ServingRuntime' },
      metadata,
      spec: closed(
        {
          supportedModelFormats: {
            type: 'array',
            minItems: 1,
            items: closed(
              {
                name: { type: 'string' },
                version: { type: 'string' },
                autoSelect: { type: 'boolean' },
                priority: { type: 'integer', minimum: 1 },
              },
              ['name'],
            ),
          },
          protocolVersions: { type: 'array', items: protocol },
          multiModel: { type: 'boolean' },
          disabled: { type: 'boolean' },
          containers: { type: 'array', minItems: 1, items: container },
        },
        ['containers'],
      ),
    },
    ['apiVersion', 'kind', 'metadata', 'spec'],
  ),
  InferenceService: closed(
    {
      apiVersion: { const: 'serving.kserve.io/v1beta1' },
      kind: { const: 'InferenceService' },
      metadata,
      spec: closed(
        {
          predictor: closed(
            {
              minReplicas: { type: 'integer' },
              maxReplicas: { type: 'integer' },
              model: closed(
                {
                  modelFormat: closed({ name: { type: 'string' }, version: { type: 'string' } }, ['name']),
                  runtime: { type: 'string' },
                  protocolVersion: protocol,
                  storageUri: { type: 'string' },
                  resources,
                },
                ['modelFormat'],
              ),
            },
            ['model'],
          ),
        },
        ['predictor'],
      ),
    },
    ['apiVersion', 'kind', 'metadata', 'spec'],
  ),
};
