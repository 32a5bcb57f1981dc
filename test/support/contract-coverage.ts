// Which operations each contract file covers. Each file's last test checks it saw them all (on every target), and
// test/contract/coverage.test.ts checks that together they are every operation of openapi.yaml.
export const CONTRACT_AREAS = {
  server: ['getServerMetadata', 'getServerLive', 'getServerReady', 'getOpenApiSpec', 'getMetrics'],
  inference: [
    'getModelMetadata',
    'getModelVersionMetadata',
    'getModelReady',
    'getModelVersionReady',
    'modelInfer',
    'modelVersionInfer',
    'modelPredict',
    'modelVersionPredict',
  ],
  models: [
    'listModels',
    'retrieveModel',
    'uploadModelVersion',
    'retrieveModelVersion',
    'deleteModelVersion',
    'repositoryIndex',
    'repositoryModelLoad',
    'repositoryModelUnload',
  ],
  serving: ['getModelConfig', 'getModelVersionConfig', 'getAllModelStats', 'getModelStats', 'getModelVersionStats'],
  routing: ['updateModel', 'listModelEvents', 'getModelShadow', 'modelLabelPredict'],
  datasets: ['createDataset', 'listDatasets', 'retrieveDataset', 'deleteDataset'],
  training: [
    'createTrainingJob',
    'listTrainingJobs',
    'retrieveTrainingJob',
    'cancelTrainingJob',
    'listTrainingJobEvents',
  ],
} as const satisfies Record<string, readonly string[]>;
