/**
 * GENERATED FILE — DO NOT EDIT.
 * Source: openapi.yaml, by openapi-typescript (npm run generate).
 * npm test fails when this file is stale.
 */
/* eslint-disable */
export interface paths {
    "/v2": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Server metadata
         * @description Name, version and the protocol extensions this server implements.
         */
        get: operations["getServerMetadata"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/health/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liveness
         * @description 200 while the process is up. Decided by status code (KServe / Triton compatible); the body is informative.
         */
        get: operations["getServerLive"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/health/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness
         * @description 200 when the server accepts inference; 503 while starting or shutting down.
         */
        get: operations["getServerReady"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/models/{model}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Model metadata
         * @description Inputs, outputs and versions of the model's default (highest ready) version.
         */
        get: operations["getModelMetadata"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/models/{model}/versions/{version}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Model version metadata */
        get: operations["getModelVersionMetadata"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/models/{model}/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Model readiness
         * @description 200 when the model's default version can serve inference, 503 (`model_not_ready`) otherwise.
         */
        get: operations["getModelReady"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/models/{model}/versions/{version}/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Model version readiness */
        get: operations["getModelVersionReady"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/models/{model}/config": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Model configuration (Triton's model-configuration extension)
         * @description The effective configuration: `config.json` with every default filled in, and `input`/`output` completed
         *     from the loaded (default) version, as Triton's auto-complete does. See docs/serving.md for every field.
         */
        get: operations["getModelConfig"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/models/{model}/versions/{version}/config": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Model configuration, with inputs and outputs of one version */
        get: operations["getModelVersionConfig"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/models/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Statistics of every model (Triton's statistics extension)
         * @description Every version that is loaded or has served requests, with Triton's fields (counts and durations in ns).
         */
        get: operations["getAllModelStats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/models/{model}/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Statistics of one model's versions */
        get: operations["getModelStats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/models/{model}/versions/{version}/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Statistics of one version */
        get: operations["getModelVersionStats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/models/{model}/infer": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Inference (OIP v2)
         * @description Runs the model's default version, or the version its traffic split picks (see `updateModel`; `X-Routing-Key`
         *     keeps a client on one version). The body is either JSON (`InferRequest`) or, with the binary tensor
         *     extension, `application/octet-stream`: a JSON `InferRequest` header of `Inference-Header-Content-Length`
         *     bytes followed by the raw tensor data of every input whose `parameters.binary_data_size` is set, in order.
         *     Raw data is little-endian; BOOL is one byte per element; each BYTES element is a 4-byte little-endian length
         *     followed by its bytes. Outputs come back binary when requested (`binary_data_output`, or per output
         *     `parameters.binary_data`), and the response then carries `Inference-Header-Content-Length` too.
         */
        post: operations["modelInfer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/models/{model}/versions/{version}/infer": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Inference on one version (OIP v2)
         * @description As `modelInfer`, on the given version.
         */
        post: operations["modelVersionInfer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/repository/index": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Repository index
         * @description Every model version found in the repository, with its state (Triton's names).
         */
        post: operations["repositoryIndex"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/repository/models/{model}/load": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Load a model
         * @description (Re)loads the model's versions from the repository according to its version policy.
         */
        post: operations["repositoryModelLoad"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/repository/models/{model}/unload": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Unload a model
         * @description Unloads every version of the model; requests already running finish first.
         */
        post: operations["repositoryModelUnload"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models/{model}:predict": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Predict (TF-Serving REST)
         * @description TensorFlow Serving's REST predict on the model's default version. Row format (`instances` → `predictions`)
         *     or columnar format (`inputs` → `outputs`). A model with one input takes plain values per instance; several
         *     inputs take objects keyed by input name. BYTES values are strings, or `{"b64": "..."}` for raw bytes.
         */
        post: operations["modelPredict"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models/{model}/versions/{version}:predict": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Predict on one version (TF-Serving REST) */
        post: operations["modelVersionPredict"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models/{model}/labels/{label}:predict": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Predict on a labelled version (TF-Serving REST)
         * @description As `modelPredict`, on the version the label names (`PATCH /v1/models/{model}` sets labels).
         */
        post: operations["modelLabelPredict"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List models
         * @description Every model in the repository with its versions, ordered by name.
         */
        get: operations["listModels"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models/{model}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Retrieve a model */
        get: operations["retrieveModel"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Route a model's traffic (pin, labels, split, shadow)
         * @description Changes how unversioned requests are routed, and names versions. `default_version` pins them to a version
         *     (null follows the version policy: the highest READY); `labels` name versions (`stable`, `canary`) for
         *     `/v2/models/{model}/versions/{label}/…` and `/v1/models/{model}/labels/{label}:predict`; `traffic` splits
         *     them by weight (sticky per `X-Routing-Key`), optionally guarded by `rollback`; `shadow` mirrors a fraction
         *     to a version off the response path. Every version named stays loaded whatever the version policy says.
         *     Each change is recorded with its time and `reason` (`listModelEvents`). Fields left out stay as they are.
         */
        patch: operations["updateModel"];
        trace?: never;
    };
    "/v1/models/{model}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A model's routing changes
         * @description Every change of default, labels, traffic or shadow (and every automatic rollback), oldest first.
         */
        get: operations["listModelEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models/{model}/shadow": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** How the shadow version compares with the primary */
        get: operations["getModelShadow"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models/{model}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Upload a model version
         * @description The body is the raw ONNX file. The server opens a real session on it before accepting; it is then written
         *     atomically as the model's next version and loaded. Invalid ONNX is a 422 (`model_invalid`) with the
         *     runtime's message, and nothing is left on disk.
         */
        post: operations["uploadModelVersion"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models/{model}/versions/{version}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Retrieve a model version */
        get: operations["retrieveModelVersion"];
        put?: never;
        post?: never;
        /**
         * Delete a model version
         * @description Unloads the version (running requests finish), then removes its folder.
         */
        delete: operations["deleteModelVersion"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models/{model}/versions/{version}/evaluate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Evaluate a model version on a dataset
         * @description Runs the version over a dataset in a worker thread and scores it: accuracy and loss (classification) or RMSE,
         *     MAE and loss (regression) against `target`, argmax agreement and output differences against `compare_to`
         *     (another version of the same model, run on the same rows), latency p50/p99 at batch 1 and 64 measured on a
         *     session with one intra-op thread, and the file's size and gzip size. Inputs are built from the dataset's
         *     columns as training reads them: the model's feature columns by name (its metadata, `features`, or every
         *     column but the target), rows with a missing feature left out, labels matched to the model's label order. A
         *     dataset that does not fit the model's inputs is a 422 naming both. At most `--max-evaluations` (default 2) run
         *     at once per server process; beyond it the answer is a 503 `overloaded` with `Retry-After`, at once.
         */
        post: operations["evaluateModelVersion"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/datasets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List datasets
         * @description Newest first.
         */
        get: operations["listDatasets"];
        put?: never;
        /**
         * Upload a dataset
         * @description CSV with a header row (`text/csv`) or JSON Lines (`application/x-ndjson`), parsed and validated before the
         *     response. Columns are typed `number` (every present value numeric) or `string`; empty cells are missing.
         *     A rejected upload is a 422 `dataset_invalid` whose `details` list up to 100 `{line, column, message}`;
         *     nothing is stored then.
         */
        post: operations["createDataset"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/datasets/{dataset_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Retrieve a dataset */
        get: operations["retrieveDataset"];
        put?: never;
        post?: never;
        /**
         * Delete a dataset
         * @description Jobs that already started keep their copy of the rows; new jobs cannot use it.
         */
        delete: operations["deleteDataset"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/training-jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List training jobs
         * @description Newest first, optionally filtered by status.
         */
        get: operations["listTrainingJobs"];
        put?: never;
        /**
         * Create a training job
         * @description Queues a job that trains the network on the dataset and, on success, exports it to ONNX and deploys it as
         *     the next version of `model`. The response is the job with every hyperparameter resolved (defaults filled in);
         *     a default chosen from the data (the task, the feature columns) or a column that looks mistyped is told in a
         *     `message` event of the job. Every problem of a body is reported at once: a 400 `invalid_input` (the body's
         *     shape) or a 422 `training_spec_invalid` (the body against the dataset) lists each in `details`
         *     (`{ field, message }`).
         */
        post: operations["createTrainingJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/training-jobs/{job_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Retrieve a training job */
        get: operations["retrieveTrainingJob"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/training-jobs/{job_id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a training job
         * @description A queued job is cancelled at once; a running one stops at the next batch boundary and ends `cancelled`
         *     (the response then still shows `running`). A job that already ended is a 409 `invalid_job_state`.
         */
        post: operations["cancelTrainingJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/training-jobs/{job_id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Training job events
         * @description Events in order, ids increasing per job. As JSON, a cursor page (`after` = last event id seen). With
         *     `Accept: text/event-stream`, a live Server-Sent Events stream: `id:` is the event id, `event:` its type and
         *     `data:` the JSON `TrainingJobEvent`; it replays from `Last-Event-ID` (or `after`), sends `: heartbeat`
         *     comments while idle, and ends after the job's terminal status event.
         */
        get: operations["listTrainingJobEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/optimization-jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List optimisation jobs
         * @description Newest first, optionally filtered by status.
         */
        get: operations["listOptimizationJobs"];
        put?: never;
        /**
         * Create an optimisation job
         * @description Queues a job that makes a smaller or faster version of a served version (`model`, `version`: by default the
         *     version unversioned requests go to): `quantize` (fp16, int8 dynamic, int8 weight-only), `prune` (magnitude,
         *     optionally fine-tuned) or `distill` (a new student trained on the parent's outputs). It runs on the training
         *     jobs' machinery (one queue, worker threads, events over SSE with resume, cancel, restart safety). The job
         *     evaluates the parent and the candidate on the `evaluation` data, checks the candidate against `gate` (each
         *     method's defaults, overridable) and publishes a candidate that passes as the next version of `output_model`
         *     (default `model`), with the report. A candidate is not promoted unless `promote` is true: it stays loaded and
         *     takes no unversioned traffic (an unpinned model is pinned to its current default first) until
         *     `updateModel` pins it. A candidate that fails its gate ends the job `failed` (code `gate_failed`) with the
         *     report, and nothing is published. A bad body is a 400 `invalid_input` listing every field in `details`; a
         *     spec that does not fit the model or the data is a 422 (`optimize_spec_invalid`, `optimize_data_invalid`,
         *     `model_unsupported`, `fine_tune_unsupported`) naming the field.
         */
        post: operations["createOptimizationJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/optimization-jobs/{job_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Retrieve an optimisation job */
        get: operations["retrieveOptimizationJob"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/optimization-jobs/{job_id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel an optimisation job
         * @description A queued job is cancelled at once; a running one stops at its next stage or training batch and ends
         *     `cancelled` (the response then still shows `running`). A job that already ended is a 409 `invalid_job_state`.
         */
        post: operations["cancelOptimizationJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/optimization-jobs/{job_id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Optimisation job events
         * @description As the training jobs' events: a JSON cursor page, or with `Accept: text/event-stream` a live, resumable
         *     Server-Sent Events stream that ends after the terminal status event. A job reports `stage` events
         *     (`evaluating_parent`, `optimizing`, `evaluating_candidate`, `publishing`), `metrics` per epoch while it
         *     fine-tunes or distils, `message` events (the gate's verdict among them) and `status` changes.
         */
        get: operations["listOptimizationJobEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.yaml": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This contract */
        get: operations["getOpenApiSpec"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics
         * @description Prometheus text exposition format 0.0.4: per model version, requests that succeeded and failed (by error code),
         *     request, queue and compute durations and batch sizes (histograms), in-flight requests and queue depth; HTTP
         *     requests by route and status; jobs by status and run time; and the process's own metrics. Names follow
         *     Triton's `nv_inference_*` with a `maas_` prefix (docs/observability.md lists them). Needs the API key like
         *     every route, unless the server runs with `--metrics-port`, which serves it on that port, without a key,
         *     instead of here. The msw mock answers every family's HELP and TYPE lines with no samples.
         */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description The one error body, everywhere. A superset of what OIP (`error`) and TF-Serving clients read. */
        Error: {
            /** @description Human-readable message naming the field, what was expected and what came. */
            error: string;
            code: components["schemas"]["ErrorCode"];
            status: number;
            request_id: string;
            details?: components["schemas"]["ErrorDetail"][];
        };
        ErrorDetail: {
            /** @description Line of the uploaded file (1 = header row for CSV). */
            line?: number;
            column?: string;
            /** @description The request field the problem is in, as a path (e.g. optimizer.learning_rate). */
            field?: string;
            message: string;
        };
        /**
         * @description Stable machine-readable error code.
         * @enum {string}
         */
        ErrorCode: "invalid_json" | "invalid_input" | "invalid_parameter" | "input_shape_mismatch" | "datatype_mismatch" | "unsupported_media_type" | "payload_too_large" | "unauthorized" | "not_found" | "method_not_allowed" | "model_not_found" | "version_not_found" | "model_not_ready" | "model_invalid" | "dataset_not_found" | "dataset_invalid" | "job_not_found" | "invalid_job_state" | "training_spec_invalid" | "optimize_spec_invalid" | "optimize_data_invalid" | "model_unsupported" | "fine_tune_unsupported" | "idempotency_conflict" | "rate_limited" | "overloaded" | "unavailable" | "internal";
        /**
         * @description Tensor datatype (OIP v2 names). BYTES are strings (UTF-8) in JSON.
         * @enum {string}
         */
        Datatype: "BOOL" | "UINT8" | "UINT16" | "UINT32" | "UINT64" | "INT8" | "INT16" | "INT32" | "INT64" | "FP16" | "FP32" | "FP64" | "BYTES";
        TensorMetadata: {
            name: string;
            datatype: components["schemas"]["Datatype"];
            /** @description Dimensions; -1 marks a dynamic dimension. */
            shape: number[];
        };
        /** @description One element, or a nested array of elements. Non-finite floats travel as "NaN", "Infinity", "-Infinity". */
        TensorValue: number | string | boolean | (number | string | boolean | unknown[])[];
        /** @description Tensor contents in row-major order, flat or nested to match the shape. */
        TensorData: components["schemas"]["TensorValue"][];
        /** @description Free-form parameters (OIP). Values are strings, numbers or booleans. */
        Parameters: {
            [key: string]: string | number | boolean;
        };
        /** @description Request-level parameters. */
        InferParameters: components["schemas"]["Parameters"] & {
            /** @description Binary tensor extension — return every output as binary data. */
            binary_data_output?: boolean;
        };
        /** @description Tensor-level parameters. */
        TensorParameters: components["schemas"]["Parameters"] & {
            /** @description Binary tensor extension — this tensor's data is that many bytes of the binary section. */
            binary_data_size?: number;
            /** @description On a requested output — return this output as binary data. */
            binary_data?: boolean;
        };
        ServerMetadataResponse: {
            name: string;
            version: string;
            extensions: string[];
        };
        HealthResponse: {
            live?: boolean;
            ready?: boolean;
        };
        ModelMetadataResponse: {
            name: string;
            versions?: string[];
            /** @example onnxruntime_onnx */
            platform: string;
            inputs: components["schemas"]["TensorMetadata"][];
            outputs: components["schemas"]["TensorMetadata"][];
        };
        ModelReadyResponse: {
            name: string;
            version?: string;
            ready: boolean;
        };
        InferRequestInput: {
            name: string;
            shape: number[];
            datatype: components["schemas"]["Datatype"];
            parameters?: components["schemas"]["TensorParameters"];
            data?: components["schemas"]["TensorData"];
        };
        InferRequestOutput: {
            name: string;
            parameters?: components["schemas"]["TensorParameters"];
        };
        InferRequest: {
            id?: string;
            parameters?: components["schemas"]["InferParameters"];
            inputs: components["schemas"]["InferRequestInput"][];
            /** @description Outputs to return (all when absent). */
            outputs?: components["schemas"]["InferRequestOutput"][];
        };
        InferResponseOutput: {
            name: string;
            shape: number[];
            datatype: components["schemas"]["Datatype"];
            parameters?: components["schemas"]["TensorParameters"];
            data?: components["schemas"]["TensorData"];
        };
        InferResponse: {
            model_name: string;
            model_version?: string;
            id?: string;
            parameters?: components["schemas"]["Parameters"];
            outputs: components["schemas"]["InferResponseOutput"][];
        };
        RepositoryIndexRequest: {
            /** @description Only versions that are READY. */
            ready?: boolean;
        };
        RepositoryIndexEntry: {
            name: string;
            version: string;
            state: components["schemas"]["ModelState"];
            reason: string;
        };
        RepositoryModelRequest: {
            parameters?: components["schemas"]["Parameters"];
        };
        RepositoryActionResponse: {
            name: string;
            loaded_versions?: string[];
        };
        /** @description TF-Serving REST predict body, row (`instances`) or columnar (`inputs`) format. */
        PredictRequest: {
            signature_name?: string;
            instances: unknown[];
        } | {
            signature_name?: string;
            inputs: unknown;
        };
        PredictResponse: {
            predictions: unknown[];
        } | {
            outputs: unknown;
        };
        ModelName: string;
        /** @enum {string} */
        ModelState: "READY" | "UNAVAILABLE" | "LOADING" | "UNLOADING";
        ModelVersion: {
            /** @constant */
            object: "model.version";
            model: string;
            /** @description A positive integer, as a string (OIP convention). */
            version: string;
            state: components["schemas"]["ModelState"];
            /** @description Why the version is not READY (e.g. the runtime's load error); empty otherwise. */
            reason: string;
            size_bytes: number;
            /** Format: date-time */
            created_at: string;
            inputs: components["schemas"]["TensorMetadata"][];
            outputs: components["schemas"]["TensorMetadata"][];
            /**
             * @description How the version came to be.
             * @enum {string}
             */
            source: "repository" | "upload" | "training" | "optimization";
            /** @description The job that trained it, for source training. */
            training_job?: string | null;
            /** @description The job that made it, for source optimization. */
            optimization_job?: string;
            /** @description For source optimization: the model it was made from. */
            parent_model?: string;
            /** @description For source optimization: the version it was made from. */
            parent_version?: string;
            /**
             * @description Present (true) while the version is a candidate: published without being promoted, it stays loaded
             *     whatever the version policy says and takes no unversioned traffic until `updateModel` pins it (which ends
             *     its candidacy).
             */
            candidate?: boolean;
            /** @description ONNX Runtime session config entries the version is served with (e.g. `session.disable_quant_qdq` for int8 weight-only); present when there are any. */
            session_config?: {
                [key: string]: string;
            };
        };
        Model: {
            /** @constant */
            object: "model";
            name: components["schemas"]["ModelName"];
            description: string;
            platform: string;
            /** @description Where unversioned requests go without a split - the pinned version, else the highest READY one. */
            default_version: string | null;
            /** @description The version `updateModel` pinned as the default; null follows the version policy. */
            pinned_version: string | null;
            /** @description Version labels (`stable` → `3`). */
            labels: {
                [key: string]: string;
            };
            /** @description The weighted split of unversioned requests, if any. */
            traffic: components["schemas"]["TrafficWeight"][] | null;
            rollback: components["schemas"]["RollbackGuard"] | null;
            shadow: components["schemas"]["Shadow"] | null;
            /** @description KServe v1's model status: whether the model can serve (its default version is READY). */
            ready: boolean;
            /** @description TF Serving's model status (`GET /v1/models/{model}`), one entry per version, newest first. */
            model_version_status: components["schemas"]["TfServingVersionStatus"][];
            versions: components["schemas"]["ModelVersion"][];
        };
        ModelList: components["schemas"]["ListEnvelope"] & {
            data: components["schemas"]["Model"][];
        };
        TrafficWeight: {
            version: string;
            /** @description Relative weight; the weights need not add up to 100. */
            weight: number;
        };
        /**
         * @description Guard on a split: once a canary (any version but the one with the largest weight) has served `min_requests`,
         *     its weight goes to 0 when its error rate exceeds the stable version's by more than `max_error_rate`, or its
         *     p99 latency exceeds `max_p99_ratio` × the stable version's. The change is recorded as a `rollback` event.
         */
        RollbackGuard: {
            max_error_rate?: number;
            max_p99_ratio?: number;
            /** @default 100 */
            min_requests?: number;
        };
        Shadow: {
            version: string;
            /** @description Share of unversioned requests mirrored. */
            fraction: number;
        };
        TfServingVersionStatus: {
            version: string;
            /** @enum {string} */
            state: "START" | "LOADING" | "AVAILABLE" | "UNLOADING" | "END";
            status: {
                /** @description `OK`, or `UNKNOWN` when the version failed to load. */
                error_code: string;
                error_message: string;
            };
        };
        ModelUpdateRequest: {
            /** @description Pin unversioned requests to this version; null follows the version policy (the highest READY). */
            default_version?: string | null;
            /** @description Label → version; null removes the label. Labels start with a letter. */
            labels?: {
                [key: string]: string | null;
            };
            /** @description Weighted split of unversioned requests (null removes it). */
            traffic?: components["schemas"]["TrafficWeight"][] | null;
            rollback?: components["schemas"]["RollbackGuard"] | null;
            shadow?: components["schemas"]["Shadow"] | null;
            /** @description Why; recorded with each change. */
            reason?: string;
        };
        ModelEvent: {
            id: number;
            /** @constant */
            object: "model.event";
            model: string;
            /** Format: date-time */
            created_at: string;
            /** @enum {string} */
            kind: "default" | "labels" | "traffic" | "shadow" | "rollback";
            reason: string;
            /** @description The pin after the change. */
            default_version: string | null;
            labels: {
                [key: string]: string;
            };
            traffic: components["schemas"]["TrafficWeight"][] | null;
            shadow: components["schemas"]["Shadow"] | null;
        };
        ModelEventList: components["schemas"]["ListEnvelope"] & {
            data: components["schemas"]["ModelEvent"][];
        };
        ShadowReport: {
            /** @constant */
            object: "model.shadow";
            model: string;
            /** @description The shadow version; null when none is set. */
            version: string | null;
            fraction: number;
            /** @description Requests mirrored and compared. */
            mirrored: number;
            /** @description Chosen for mirroring but dropped because the server was busy. */
            dropped: number;
            /** @description Mirrored runs that failed. */
            failed: number;
            /** @description Share of rows whose top class agreed ([rows, classes] outputs). */
            argmax_agreement: number | null;
            rows_compared: number;
            /** @description Largest absolute difference over every numeric output. */
            max_abs_diff: number | null;
            latency_ms: {
                primary_p50: number | null;
                primary_p99: number | null;
                shadow_p50: number | null;
                shadow_p99: number | null;
            };
        };
        /** @description Triton's model configuration in its JSON form (docs/serving.md lists every field and default). */
        ModelConfig: {
            name: string;
            platform: string;
            backend: string;
            description?: string;
            /** @description latest, all or specific, as Triton writes it. */
            version_policy: {
                [key: string]: unknown;
            };
            max_batch_size: number;
            input: components["schemas"]["ModelConfigTensor"][];
            output: components["schemas"]["ModelConfigTensor"][];
            dynamic_batching?: {
                preferred_batch_size?: number[];
                max_queue_delay_microseconds?: number;
                default_queue_policy?: {
                    max_queue_size?: number;
                };
            };
            instance_group: {
                name: string;
                kind: string;
                count: number;
            }[];
            parameters: {
                [key: string]: {
                    string_value: string;
                };
            };
            model_warmup: {
                [key: string]: unknown;
            }[];
        };
        ModelConfigTensor: {
            name: string;
            /** @description Triton type, e.g. TYPE_FP32, TYPE_STRING. */
            data_type: string;
            dims: number[];
        };
        StatDuration: {
            count: number;
            ns: number;
        };
        ModelStatistics: {
            name: string;
            version: string;
            /** @description Milliseconds since the epoch of the last request; 0 before any. */
            last_inference: number;
            /** @description Inferences (rows) of successful requests. */
            inference_count: number;
            /** @description Model executions; a batch of several requests is one. */
            execution_count: number;
            inference_stats: {
                success: components["schemas"]["StatDuration"];
                fail: components["schemas"]["StatDuration"];
                queue: components["schemas"]["StatDuration"];
                compute_input: components["schemas"]["StatDuration"];
                compute_infer: components["schemas"]["StatDuration"];
                compute_output: components["schemas"]["StatDuration"];
                cache_hit?: components["schemas"]["StatDuration"];
                cache_miss?: components["schemas"]["StatDuration"];
            };
            batch_stats: {
                batch_size: number;
                compute_input: components["schemas"]["StatDuration"];
                compute_infer: components["schemas"]["StatDuration"];
                compute_output: components["schemas"]["StatDuration"];
            }[];
            memory_usage?: unknown[];
        };
        ModelStatisticsResponse: {
            model_stats: components["schemas"]["ModelStatistics"][];
        };
        ModelVersionDeleted: {
            /** @constant */
            object: "model.version.deleted";
            model: string;
            version: string;
            deleted: boolean;
        };
        ListEnvelope: {
            /** @constant */
            object: "list";
            has_more: boolean;
            /** @description Pass as `after` for the next page; null on the last page. */
            next_cursor: string | null;
        };
        DatasetColumn: {
            name: string;
            /** @enum {string} */
            type: "number" | "string";
            /** @description Rows where the value is empty or absent. */
            missing: number;
        };
        Dataset: {
            id: string;
            /** @constant */
            object: "dataset";
            name?: string | null;
            /** @enum {string} */
            format: "csv" | "jsonl";
            rows: number;
            columns: components["schemas"]["DatasetColumn"][];
            bytes: number;
            /** Format: date-time */
            created_at: string;
        };
        DatasetList: components["schemas"]["ListEnvelope"] & {
            data: components["schemas"]["Dataset"][];
        };
        DatasetDeleted: {
            id: string;
            /** @constant */
            object: "dataset.deleted";
            deleted: boolean;
        };
        /** @description The network. `logistic` is softmax regression; `linear` is a linear model (regression). */
        Architecture: {
            /** @constant */
            type: "linear";
        } | {
            /** @constant */
            type: "logistic";
        } | {
            /** @constant */
            type: "mlp";
            /**
             * @description Hidden layer sizes.
             * @default [
             *       64,
             *       64
             *     ]
             */
            hidden_layers?: number[];
            /**
             * @default relu
             * @enum {string}
             */
            activation?: "relu" | "tanh" | "sigmoid";
        };
        /** @description The optimizer. `gd` uses the whole training split per step (batch_size is ignored). */
        Optimizer: {
            /** @constant */
            type: "gd";
            /** @default 0.1 */
            learning_rate?: number;
        } | {
            /** @constant */
            type: "sgd";
            /** @default 0.01 */
            learning_rate?: number;
            /** @default 0 */
            momentum?: number;
            /**
             * @description Needs momentum > 0.
             * @default false
             */
            nesterov?: boolean;
        } | {
            /** @constant */
            type: "adam";
            /** @default 0.001 */
            learning_rate?: number;
            /** @default 0.9 */
            beta1?: number;
            /** @default 0.999 */
            beta2?: number;
            /** @default 1e-8 */
            epsilon?: number;
            /**
             * @description Decoupled (AdamW).
             * @default 0
             */
            weight_decay?: number;
        };
        /** @description Stop when validation loss has not improved by more than min_delta for patience epochs. */
        EarlyStopping: {
            patience: number;
            /** @default 0 */
            min_delta?: number;
        };
        TrainingJobCreateRequest: {
            /** @description The model the trained network is deployed under, as its next version. */
            model: components["schemas"]["ModelName"];
            /** @description Training data (a dataset id). */
            dataset: string;
            /** @description Validation data; when set, validation_split is not used. */
            validation_dataset?: string | null;
            /**
             * @description Default — classification for a string target column, regression for a number column (said in a message event; set it for integer class labels).
             * @enum {string}
             */
            task?: "classification" | "regression";
            /** @description The column to predict. */
            target: string;
            /** @description Feature columns, in order. Number columns are used as they are; string columns are one-hot encoded inside the exported model (it then takes one input per column, named after it; a category not seen in training encodes as all zeros). Default — every other column that has values, except string columns with more than 50 distinct values (each left-out column is named in a message event). */
            features?: string[];
            /** @description Default — { type: mlp } (hidden_layers [64, 64], relu). */
            architecture?: components["schemas"]["Architecture"];
            /** @description Default — { type: adam } (learning_rate 0.001). */
            optimizer?: components["schemas"]["Optimizer"];
            /**
             * @description Default — cross_entropy for classification, mse for regression.
             * @enum {string}
             */
            loss?: "cross_entropy" | "mse";
            /** @default 20 */
            epochs?: number;
            /** @default 32 */
            batch_size?: number;
            /**
             * @description Fraction held out for validation (stratified for classification); 0 disables validation. Resolved to 0 when validation_dataset is set.
             * @default 0.2
             */
            validation_split?: number;
            early_stopping?: components["schemas"]["EarlyStopping"] | null;
            /** @description Default — a random seed, reported in hyperparameters. */
            seed?: number;
            /**
             * @description Deploy as the new default (true: a pinned model's pin moves to the new version). false publishes a
             *     candidate instead: loaded, taking no unversioned traffic (an unpinned model is pinned to its current
             *     default first) until `updateModel` promotes it.
             * @default true
             */
            promote?: boolean;
        };
        /** @description The create body with every default resolved. */
        TrainingHyperparameters: {
            /** @enum {string} */
            task: "classification" | "regression";
            target: string;
            features: string[];
            architecture: components["schemas"]["Architecture"];
            optimizer: components["schemas"]["Optimizer"];
            /** @enum {string} */
            loss: "cross_entropy" | "mse";
            epochs: number;
            batch_size: number;
            validation_split: number;
            early_stopping: components["schemas"]["EarlyStopping"] | null;
            seed: number;
        };
        /** @enum {string} */
        TrainingJobStatus: "queued" | "running" | "succeeded" | "failed" | "cancelled";
        EpochMetrics: {
            epoch: number;
            train_loss: number;
            train_accuracy?: number;
            val_loss?: number;
            val_accuracy?: number;
            learning_rate: number;
            samples_per_second: number;
            elapsed_ms: number;
        };
        TrainingJobError: {
            /** @description One of training_failed, training_diverged, training_data_invalid, deploy_failed, interrupted (the process stopped mid-job and it could not be resumed). */
            code: string;
            message: string;
        };
        TrainingJobResult: {
            model: string;
            version: string;
        };
        TrainingJob: {
            id: string;
            /** @constant */
            object: "training_job";
            status: components["schemas"]["TrainingJobStatus"];
            model: string;
            dataset: string;
            validation_dataset: string | null;
            /** @description Jobs ahead of this one; null unless queued. */
            queue_position: number | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            started_at: string | null;
            /** Format: date-time */
            finished_at: string | null;
            hyperparameters: components["schemas"]["TrainingHyperparameters"];
            /** @description Whether the trained version is deployed as the new default (else as a candidate). */
            promote: boolean;
            metrics: components["schemas"]["EpochMetrics"] | null;
            error: components["schemas"]["TrainingJobError"] | null;
            result: components["schemas"]["TrainingJobResult"] | null;
        };
        TrainingJobList: components["schemas"]["ListEnvelope"] & {
            data: components["schemas"]["TrainingJob"][];
        };
        /** @enum {string} */
        TrainingJobEventType: "status" | "metrics" | "message";
        TrainingJobEvent: {
            id: number;
            /** @constant */
            object: "training_job.event";
            /** Format: date-time */
            created_at: string;
            type: components["schemas"]["TrainingJobEventType"];
            status?: components["schemas"]["TrainingJobStatus"];
            message?: string;
            /** @description On the `queued` event: the W3C trace id of the request that created the job (its `traceparent` header), so the job can be found from a trace. */
            trace_id?: string;
            metrics?: components["schemas"]["EpochMetrics"];
        };
        /** @description A page of events. Unlike other lists, `next_cursor` is the last event id of the page (or of the request's `after`) even on the last page, so a poller can always resume from it. */
        TrainingJobEventList: components["schemas"]["ListEnvelope"] & {
            data: components["schemas"]["TrainingJobEvent"][];
        };
        EvaluateRequest: {
            /** @description The data to evaluate on (a dataset id). */
            dataset: string;
            /** @description The column holding the truth (class labels, or the regression target). */
            target: string;
            /** @description The model's feature columns in input order (default — the model's metadata, else every column but the target). */
            features?: string[];
            /** @description Another version of the same model, run on the same rows (argmax agreement, output differences). */
            compare_to?: string;
        };
        LatencyFigures: {
            batch: number;
            /** @description Timed session runs (after 10 untimed ones). */
            runs: number;
            p50_ms: number;
            p99_ms: number;
            mean_ms: number;
        };
        /** @description One version's figures on one dataset (closed). */
        EvaluationFigures: components["schemas"]["EvaluationFiguresBase"];
        /** @description One version's figures on one dataset. A figure that does not apply (RMSE of a classifier, agreement without a reference) is null. */
        EvaluationFiguresBase: {
            /** @enum {string} */
            task: "classification" | "regression";
            /** @description The output scored (`probabilities`, else `value`, else the first FP32 output). */
            output: string;
            target: string | null;
            /** @description The feature columns the inputs were built from, in input order. */
            features: string[];
            /** @description Rows run (those with every feature present). */
            rows: number;
            /** @description Rows with a usable target (accuracy, loss, RMSE and MAE are over these). */
            labelled_rows: number;
            accuracy: number | null;
            /** @description Classification: mean −log p[label] (probabilities floored at 1e-12); regression: MSE. */
            loss: number | null;
            rmse: number | null;
            mae: number | null;
            /** @description Share of rows whose most probable class is the reference version's (classification). */
            agreement: number | null;
            /** @description Largest |this − reference| over every output value. */
            max_abs_diff: number | null;
            mean_abs_diff: number | null;
            latency: components["schemas"]["LatencyFigures"][];
            size_bytes: number;
            /** @description gzip (level 6) of the model file. */
            gzip_bytes: number;
        };
        ModelEvaluation: {
            /** @constant */
            object: "model.evaluation";
            model: string;
            version: string;
            dataset: string;
            /** @description The version agreement and differences are measured against. */
            compare_to: string | null;
        } & components["schemas"]["EvaluationFiguresBase"];
        /** QuantizeMethod */
        QuantizeMethod: {
            /** @constant */
            type: "quantize";
            /** @enum {string} */
            precision: "fp16" | "int8";
            /**
             * @description int8 — integer arithmetic (`dynamic`, required for int8 unless weight_only) or int8 storage with FP32 arithmetic (`weight_only`); fp16 is weight_only.
             * @enum {string}
             */
            mode?: "dynamic" | "weight_only";
            /**
             * @description int8: one scale per output channel.
             * @default false
             */
            per_channel?: boolean;
            /** @description int8 dynamic: 7-bit weights (default: true with per_channel). */
            reduce_range?: boolean;
        };
        /** @description Retrain the surviving weights of a dense network with the pruned ones held at zero. */
        FineTune: {
            /** @description Training data (a dataset id). */
            dataset: string;
            /** @description Default — the evaluation target. */
            target?: string;
            features?: string[];
            epochs: number;
            optimizer?: components["schemas"]["Optimizer"];
            /** @default 32 */
            batch_size?: number;
            /** @default 0 */
            seed?: number;
        };
        ResolvedFineTune: {
            dataset: string;
            target: string;
            features: string[] | null;
            epochs: number;
            optimizer: components["schemas"]["Optimizer"];
            batch_size: number;
            seed: number;
        };
        /** PruneMethod */
        PruneMethod: {
            /** @constant */
            type: "prune";
            /** @description Fraction of the MatMul/Gemm/Conv weights set to zero. */
            sparsity: number;
            /**
             * @default global
             * @enum {string}
             */
            scope?: "global" | "layer";
            fine_tune?: components["schemas"]["FineTune"] | null;
        };
        /** DistillMethod */
        DistillMethod: {
            /** @constant */
            type: "distill";
            /** @description The transfer set (a dataset id); unlabelled rows learn from the teacher alone. */
            dataset: string;
            /** @description The hard-label column (default — the evaluation target; null for none). */
            target?: string | null;
            features?: string[];
            student: {
                architecture: components["schemas"]["Architecture"];
            };
            temperature: number;
            /** @description Weight of the hard-label loss on labelled rows. */
            alpha: number;
            epochs: number;
            optimizer?: components["schemas"]["Optimizer"];
            /** @default 32 */
            batch_size?: number;
            /** @default 0 */
            seed?: number;
        };
        /** @description What to make (docs/optimization.md explains each, with measured figures). */
        OptimizationMethod: components["schemas"]["QuantizeMethod"] | components["schemas"]["PruneMethod"] | components["schemas"]["DistillMethod"];
        /** @description The method with every default filled in. */
        ResolvedOptimizationMethod: {
            /** @constant */
            type: "quantize";
            /** @enum {string} */
            precision: "fp16" | "int8";
            /** @enum {string} */
            mode: "dynamic" | "weight_only";
            per_channel: boolean;
            reduce_range: boolean;
        } | {
            /** @constant */
            type: "prune";
            sparsity: number;
            /** @enum {string} */
            scope: "global" | "layer";
            fine_tune: components["schemas"]["ResolvedFineTune"] | null;
        } | {
            /** @constant */
            type: "distill";
            dataset: string;
            target: string | null;
            features: string[] | null;
            student: {
                architecture: components["schemas"]["Architecture"];
            };
            temperature: number;
            alpha: number;
            epochs: number;
            optimizer: components["schemas"]["Optimizer"];
            batch_size: number;
            seed: number;
        };
        EvaluationSpec: {
            /** @description The data parent and candidate are evaluated on (a dataset id). */
            dataset: string;
            target: string;
            features?: string[];
        };
        ResolvedEvaluationSpec: {
            dataset: string;
            target: string;
            /** @description null — the model's metadata, else every column but the target. */
            features: string[] | null;
        };
        /**
         * @description Limits on the candidate against the parent, on the evaluation data. The method's defaults (docs/optimization.md)
         *     are overridden field by field. A limit whose figure cannot be computed (no labelled rows, say) fails.
         */
        GateThresholds: {
            /** @description Minimum share of rows picking the parent's class (classification). */
            min_agreement?: number;
            /** @description Maximum accuracy drop in percentage points (classification). */
            max_accuracy_drop_pt?: number;
            /** @description Maximum |candidate − parent| over every output value (checked for classification; for regression only when given). */
            max_abs_diff?: number;
            /** @description Maximum RMSE increase as a fraction of the parent's (regression). */
            max_rmse_increase?: number;
        };
        OptimizationJobCreateRequest: {
            /** @description The model to optimise (for distill, the teacher). */
            model: components["schemas"]["ModelName"];
            /** @description The version to optimise; default — the one unversioned requests go to (the pinned default, else the highest READY). */
            version?: string;
            method: components["schemas"]["OptimizationMethod"];
            evaluation: components["schemas"]["EvaluationSpec"];
            gate?: components["schemas"]["GateThresholds"];
            /**
             * @description Make a candidate that passes its gate the new default.
             * @default false
             */
            promote?: boolean;
            /** @description The model the candidate is published under, as its next version (default — `model`). */
            output_model?: components["schemas"]["ModelName"];
        };
        GateCheck: {
            /** @enum {string} */
            name: "min_agreement" | "max_accuracy_drop_pt" | "max_abs_diff" | "max_rmse_increase";
            limit: number;
            /** @description The measured figure; null when it could not be computed. */
            value: number | null;
            passed: boolean;
        };
        GateVerdict: {
            /**
             * @description Whose defaults applied.
             * @enum {string}
             */
            method: "quantize_int8" | "quantize_fp16" | "prune" | "distill";
            passed: boolean;
            checks: components["schemas"]["GateCheck"][];
            /** @description One sentence per check, failures first. */
            reasons: string[];
        };
        BeforeAfter: {
            before: number;
            after: number;
        };
        OptimizationReport: {
            /** @enum {string} */
            method: "quantize" | "prune" | "distill";
            parent: components["schemas"]["EvaluationFigures"];
            /** @description The candidate's figures, its agreement and differences measured against the parent. */
            candidate: components["schemas"]["EvaluationFigures"];
            parameters: components["schemas"]["BeforeAfter"];
            sparsity: components["schemas"]["BeforeAfter"];
            size_bytes: components["schemas"]["BeforeAfter"];
            gzip_bytes: components["schemas"]["BeforeAfter"];
            size_ratio: number;
            gzip_ratio: number;
            /** @description The standard-domain opset the candidate imports. */
            opset: number;
            ir_version: number;
            /** @description Nodes rewritten (quantize) or weights changed (prune). */
            rewritten: string[];
            skipped: {
                node: string;
                op: string;
                reason: string;
            }[];
            notes: string[];
            /** @description ONNX Runtime session config entries the candidate needs (and is served with). */
            session_config: {
                [key: string]: string;
            };
            /** @description prune — each weight's size and sparsity. */
            weights?: {
                name: string;
                parameters: number;
                sparsity: number;
            }[];
            fine_tune?: {
                epochs: number;
                rows: number;
                features: string[];
                target: string;
                history: components["schemas"]["EpochMetrics"][];
                messages: string[];
            };
            distillation?: {
                temperature: number;
                alpha: number;
                rows: number;
                labelled_rows: number;
                /** @enum {string} */
                teacher_output: "probabilities" | "logits";
                history: components["schemas"]["EpochMetrics"][];
                messages: string[];
            };
            gate: components["schemas"]["GateVerdict"];
        };
        /** @enum {string} */
        OptimizationJobStage: "evaluating_parent" | "optimizing" | "evaluating_candidate" | "publishing";
        OptimizationJob: {
            id: string;
            /** @constant */
            object: "optimization_job";
            status: components["schemas"]["TrainingJobStatus"];
            /** @description The parent model. */
            model: string;
            /** @description The parent version (resolved when the job was created). */
            version: string;
            method: components["schemas"]["ResolvedOptimizationMethod"];
            evaluation: components["schemas"]["ResolvedEvaluationSpec"];
            gate: components["schemas"]["GateThresholds"];
            promote: boolean;
            output_model: string;
            /** @description Jobs (training and optimisation) ahead of this one; null unless queued. */
            queue_position: number | null;
            /** @description What a running job is doing. */
            stage: components["schemas"]["OptimizationJobStage"] | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            started_at: string | null;
            /** Format: date-time */
            finished_at: string | null;
            /** @description Codes — gate_failed (the report says why), optimize_spec_invalid, optimize_data_invalid, model_unsupported, fine_tune_unsupported, optimization_failed, deploy_failed, interrupted. */
            error: components["schemas"]["TrainingJobError"] | null;
            /** @description The version published (a candidate unless promote). */
            result: components["schemas"]["TrainingJobResult"] | null;
            /** @description Once the candidate was evaluated (a failed gate included). */
            report: components["schemas"]["OptimizationReport"] | null;
        };
        OptimizationJobList: components["schemas"]["ListEnvelope"] & {
            data: components["schemas"]["OptimizationJob"][];
        };
        OptimizationJobEvent: {
            id: number;
            /** @constant */
            object: "optimization_job.event";
            /** Format: date-time */
            created_at: string;
            /** @enum {string} */
            type: "status" | "stage" | "metrics" | "message";
            status?: components["schemas"]["TrainingJobStatus"];
            stage?: components["schemas"]["OptimizationJobStage"];
            message?: string;
            /** @description On the `queued` event: the W3C trace id of the request that created the job (its `traceparent` header), so the job can be found from a trace. */
            trace_id?: string;
            metrics?: components["schemas"]["EpochMetrics"];
        };
        /** @description A page of events; `next_cursor` is the last event id even on the last page, as for training jobs. */
        OptimizationJobEventList: components["schemas"]["ListEnvelope"] & {
            data: components["schemas"]["OptimizationJobEvent"][];
        };
    };
    responses: {
        /** @description Model metadata. */
        ModelMetadata: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "name": "keras_mlp",
                 *       "versions": [
                 *         "1"
                 *       ],
                 *       "platform": "onnxruntime_onnx",
                 *       "inputs": [
                 *         {
                 *           "name": "input",
                 *           "datatype": "FP32",
                 *           "shape": [
                 *             -1,
                 *             100
                 *           ]
                 *         }
                 *       ],
                 *       "outputs": [
                 *         {
                 *           "name": "probabilities",
                 *           "datatype": "FP32",
                 *           "shape": [
                 *             -1,
                 *             10
                 *           ]
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["ModelMetadataResponse"];
            };
        };
        /** @description The model is ready. */
        ModelReady: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "name": "keras_mlp",
                 *       "version": "1",
                 *       "ready": true
                 *     }
                 */
                "application/json": components["schemas"]["ModelReadyResponse"];
            };
        };
        /**
         * @description Inference outputs. JSON, or with binary outputs requested, `application/octet-stream` with the JSON header
         *     length in the `Inference-Header-Content-Length` response header.
         */
        InferResponse: {
            headers: {
                /** @description Binary tensor extension — length of the JSON header at the start of the body. */
                "Inference-Header-Content-Length"?: number;
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "model_name": "keras_mlp",
                 *       "model_version": "1",
                 *       "id": "req-1",
                 *       "outputs": [
                 *         {
                 *           "name": "probabilities",
                 *           "shape": [
                 *             1,
                 *             3
                 *           ],
                 *           "datatype": "FP32",
                 *           "data": [
                 *             0.1,
                 *             0.7,
                 *             0.2
                 *           ]
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["InferResponse"];
                /** @example {"model_name":"keras_mlp","outputs":[{"name":"probabilities","shape":[1,3],"datatype":"FP32","parameters":{"binary_data_size":12}}]}<12 raw bytes> */
                "application/octet-stream": string;
            };
        };
        /** @description Predictions (row format) or outputs (columnar format). */
        PredictResponse: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "predictions": [
                 *         [
                 *           0.98,
                 *           0.01,
                 *           0.01
                 *         ],
                 *         [
                 *           0.01,
                 *           0.04,
                 *           0.95
                 *         ]
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["PredictResponse"];
            };
        };
        /** @description Done. */
        RepositoryAction: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "name": "keras_mlp",
                 *       "loaded_versions": [
                 *         "1"
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["RepositoryActionResponse"];
            };
        };
        /** @description The request is malformed (invalid JSON, a bad field, a shape or datatype mismatch). */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": "inputs[0]: shape [1,99] does not match model input 'input' shape [-1,100]",
                 *       "code": "input_shape_mismatch",
                 *       "status": 400,
                 *       "request_id": "req_8f1c2d"
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Missing or wrong API key. */
        Unauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": "Missing or invalid API key: send Authorization: Bearer <key>",
                 *       "code": "unauthorized",
                 *       "status": 401,
                 *       "request_id": "req_8f1c2d"
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description No such model, version, dataset, job or route. */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": "Model 'nope' not found",
                 *       "code": "model_not_found",
                 *       "status": 404,
                 *       "request_id": "req_8f1c2d"
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The resource is in the wrong state, or an Idempotency-Key was reused with another body. */
        Conflict: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": "Job job_01JD is succeeded; only queued or running jobs can be cancelled",
                 *       "code": "invalid_job_state",
                 *       "status": 409,
                 *       "request_id": "req_8f1c2d"
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The body is over the server's limit. */
        PayloadTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": "Request body is 70000000 bytes; the limit is 67108864 bytes (--max-body-size)",
                 *       "code": "payload_too_large",
                 *       "status": 413,
                 *       "request_id": "req_8f1c2d"
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The body's Content-Type is not one this operation takes. */
        UnsupportedMediaType: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": "Content-Type 'text/plain' is not supported here; expected application/json or application/octet-stream",
                 *       "code": "unsupported_media_type",
                 *       "status": 415,
                 *       "request_id": "req_8f1c2d"
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The body is well-formed but cannot be used (an invalid ONNX model, a dataset with bad rows, a spec that does not fit the data). */
        UnprocessableEntity: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": "Dataset has 1 invalid row",
                 *       "code": "dataset_invalid",
                 *       "status": 422,
                 *       "request_id": "req_8f1c2d",
                 *       "details": [
                 *         {
                 *           "line": 3,
                 *           "column": "sepal_length",
                 *           "message": "expected 5 fields, got 4"
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Rate limited. */
        TooManyRequests: {
            headers: {
                /** @description Seconds to wait before retrying. */
                "Retry-After"?: number;
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": "Too many requests",
                 *       "code": "rate_limited",
                 *       "status": 429,
                 *       "request_id": "req_8f1c2d"
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The server or model is not ready (starting, shutting down, model unavailable). */
        ServiceUnavailable: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": "Model 'keras_mlp' version 1 is not ready (state UNAVAILABLE)",
                 *       "code": "model_not_ready",
                 *       "status": 503,
                 *       "request_id": "req_8f1c2d"
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The model's effective configuration. */
        ModelConfig: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "name": "keras_mlp",
                 *       "platform": "onnxruntime_onnx",
                 *       "backend": "onnxruntime",
                 *       "description": "",
                 *       "version_policy": {
                 *         "latest": {
                 *           "num_versions": 1
                 *         }
                 *       },
                 *       "max_batch_size": 0,
                 *       "input": [
                 *         {
                 *           "name": "input",
                 *           "data_type": "TYPE_FP32",
                 *           "dims": [
                 *             -1,
                 *             100
                 *           ]
                 *         }
                 *       ],
                 *       "output": [
                 *         {
                 *           "name": "probabilities",
                 *           "data_type": "TYPE_FP32",
                 *           "dims": [
                 *             -1,
                 *             10
                 *           ]
                 *         }
                 *       ],
                 *       "instance_group": [
                 *         {
                 *           "name": "keras_mlp",
                 *           "kind": "KIND_CPU",
                 *           "count": 1
                 *         }
                 *       ],
                 *       "parameters": {},
                 *       "model_warmup": []
                 *     }
                 */
                "application/json": components["schemas"]["ModelConfig"];
            };
        };
        /** @description Statistics per model version. */
        ModelStatistics: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "model_stats": [
                 *         {
                 *           "name": "keras_mlp",
                 *           "version": "1",
                 *           "last_inference": 1764590400000,
                 *           "inference_count": 10,
                 *           "execution_count": 10,
                 *           "inference_stats": {
                 *             "success": {
                 *               "count": 10,
                 *               "ns": 2500000
                 *             },
                 *             "fail": {
                 *               "count": 0,
                 *               "ns": 0
                 *             },
                 *             "queue": {
                 *               "count": 10,
                 *               "ns": 150000
                 *             },
                 *             "compute_input": {
                 *               "count": 10,
                 *               "ns": 30000
                 *             },
                 *             "compute_infer": {
                 *               "count": 10,
                 *               "ns": 300000
                 *             },
                 *             "compute_output": {
                 *               "count": 10,
                 *               "ns": 20000
                 *             },
                 *             "cache_hit": {
                 *               "count": 0,
                 *               "ns": 0
                 *             },
                 *             "cache_miss": {
                 *               "count": 0,
                 *               "ns": 0
                 *             }
                 *           },
                 *           "batch_stats": [
                 *             {
                 *               "batch_size": 1,
                 *               "compute_input": {
                 *                 "count": 10,
                 *                 "ns": 30000
                 *               },
                 *               "compute_infer": {
                 *                 "count": 10,
                 *                 "ns": 300000
                 *               },
                 *               "compute_output": {
                 *                 "count": 10,
                 *                 "ns": 20000
                 *               }
                 *             }
                 *           ],
                 *           "memory_usage": []
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["ModelStatisticsResponse"];
            };
        };
        /** @description An unexpected server error (never a stack trace). */
        InternalError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": "Internal server error",
                 *       "code": "internal",
                 *       "status": 500,
                 *       "request_id": "req_8f1c2d"
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
    };
    parameters: {
        /** @description Model name. */
        ModelName: components["schemas"]["ModelName"];
        /** @description Model version, a positive integer. */
        ModelVersion: string;
        /** @description A positive integer version, or a label set by `updateModel` (`stable`, `canary`). */
        VersionOrLabel: string;
        /** @description A version label set by `updateModel`. */
        VersionLabel: string;
        /** @description Sticky routing for a traffic split; requests with the same key go to the same version while the weights stand. */
        RoutingKey: string;
        /** @description Dataset id. */
        DatasetId: string;
        /** @description Training job id. */
        JobId: string;
        /** @description Page size. */
        Limit: number;
        /** @description The `next_cursor` of the previous page. */
        After: string;
        /**
         * @description The same key and body within 24 h return the first result instead of creating a second resource; the same
         *     key with another body is a 409 `idempotency_conflict`.
         */
        IdempotencyKey: string;
        /** @description Binary tensor extension — length in bytes of the JSON header at the start of an octet-stream body. */
        InferenceHeaderContentLength: number;
    };
    requestBodies: {
        InferRequest: {
            content: {
                /**
                 * @example {
                 *       "id": "req-1",
                 *       "inputs": [
                 *         {
                 *           "name": "input",
                 *           "shape": [
                 *             1,
                 *             4
                 *           ],
                 *           "datatype": "FP32",
                 *           "data": [
                 *             [
                 *               0.5,
                 *               1,
                 *               "NaN",
                 *               2
                 *             ]
                 *           ]
                 *         }
                 *       ],
                 *       "outputs": [
                 *         {
                 *           "name": "probabilities"
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["InferRequest"];
                /** @example {"inputs":[{"name":"input","shape":[1,4],"datatype":"FP32","parameters":{"binary_data_size":16}}]}<16 raw bytes> */
                "application/octet-stream": string;
            };
        };
        PredictRequest: {
            content: {
                /**
                 * @example {
                 *       "signature_name": "serving_default",
                 *       "instances": [
                 *         [
                 *           5.1,
                 *           3.5,
                 *           1.4,
                 *           0.2
                 *         ],
                 *         [
                 *           6.7,
                 *           3,
                 *           5.2,
                 *           2.3
                 *         ]
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["PredictRequest"];
            };
        };
    };
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getServerMetadata: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Server metadata. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "name": "maas",
                     *       "version": "0.1.0",
                     *       "extensions": [
                     *         "binary_tensor_data",
                     *         "model_repository",
                     *         "tf_serving_predict"
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ServerMetadataResponse"];
                };
            };
            500: components["responses"]["InternalError"];
        };
    };
    getServerLive: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Live. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "live": true
                     *     }
                     */
                    "application/json": components["schemas"]["HealthResponse"];
                };
            };
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getServerReady: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "ready": true
                     *     }
                     */
                    "application/json": components["schemas"]["HealthResponse"];
                };
            };
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getModelMetadata: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Model name. */
                model: components["parameters"]["ModelName"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["ModelMetadata"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getModelVersionMetadata: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Model name. */
                model: components["parameters"]["ModelName"];
                /** @description A positive integer version, or a label set by `updateModel` (`stable`, `canary`). */
                version: components["parameters"]["VersionOrLabel"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["ModelMetadata"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getModelReady: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Model name. */
                model: components["parameters"]["ModelName"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["ModelReady"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getModelVersionReady: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Model name. */
                model: components["parameters"]["ModelName"];
                /** @description A positive integer version, or a label set by `updateModel` (`stable`, `canary`). */
                version: components["parameters"]["VersionOrLabel"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["ModelReady"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getModelConfig: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Model name. */
                model: components["parameters"]["ModelName"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["ModelConfig"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getModelVersionConfig: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Model name. */
                model: components["parameters"]["ModelName"];
                /** @description A positive integer version, or a label set by `updateModel` (`stable`, `canary`). */
                version: components["parameters"]["VersionOrLabel"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["ModelConfig"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getAllModelStats: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["ModelStatistics"];
            401: components["responses"]["Unauthorized"];
        };
    };
    getModelStats: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Model name. */
                model: components["parameters"]["ModelName"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["ModelStatistics"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
        };
    };
    getModelVersionStats: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Model name. */
                model: components["parameters"]["ModelName"];
                /** @description Model version, a positive integer. */
                version: components["parameters"]["ModelVersion"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["ModelStatistics"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
        };
    };
    modelInfer: {
        parameters: {
            query?: never;
            header?: {
                /** @description Binary tensor extension — length in bytes of the JSON header at the start of an octet-stream body. */
                "Inference-Header-Content-Length"?: components["parameters"]["InferenceHeaderContentLength"];
                /** @description Sticky routing for a traffic split; requests with the same key go to the same version while the weights stand. */
                "X-Routing-Key"?: components["parameters"]["RoutingKey"];
            };
            path: {
                /** @description Model name. */
                model: components["parameters"]["ModelName"];
            };
            cookie?: never;
        };
        requestBody: components["requestBodies"]["InferRequest"];
        responses: {
            200: components["responses"]["InferResponse"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    modelVersionInfer: {
        parameters: {
            query?: never;
            header?: {
                /** @description Binary tensor extension — length in bytes of the JSON header at the start of an octet-stream body. */
                "Inference-Header-Content-Length"?: components["parameters"]["InferenceHeaderContentLength"];
            };
            path: {
                /** @description Model name. */
                model: components["parameters"]["ModelName"];
                /** @description A positive integer version, or a label set by `updateModel` (`stable`, `canary`). */
                version: components["parameters"]["VersionOrLabel"];
            };
            cookie?: never;
        };
        requestBody: components["requestBodies"]["InferRequest"];
        responses: {
            200: components["responses"]["InferResponse"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    repositoryIndex: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                /**
                 * @example {
                 *       "ready": false
                 *     }
                 */
                "application/json": components["schemas"]["RepositoryIndexRequest"];
            };
        };
        responses: {
            /** @description The index. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example [
                     *       {
                     *         "name": "keras_mlp",
                     *         "version": "1",
                     *         "state": "READY",
                     *         "reason": ""
                     *       },
                     *       {
                     *         "name": "broken",
                     *         "version": "1",
                     *         "state": "UNAVAILABLE",
                     *         "reason": "Load model from ... failed: Protobuf parsing failed."
                     *       }
                     *     ]
                     */
                    "application/json": components["schemas"]["RepositoryIndexEntry"][];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
        };
    };
    repositoryModelLoad: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Model name. */
                model: components["parameters"]["ModelName"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                /** @example {} */
                "application/json": components["schemas"]["RepositoryModelRequest"];
            };
        };
        responses: {
            200: components["responses"]["RepositoryAction"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["UnprocessableEntity"];
        };
    };
    repositoryModelUnload: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Model name. */
                model: components["parameters"]["ModelName"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                /** @example {} */
                "application/json": components["schemas"]["RepositoryModelRequest"];
            };
        };
        responses: {
            200: components["responses"]["RepositoryAction"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
        };
    };
    modelPredict: {
        parameters: {
            query?: never;
            header?: {
                /** @description Sticky routing for a traffic split; requests with the same key go to the same version while the weights stand. */
                "X-Routing-Key"?: components["parameters"]["RoutingKey"];
            };
            path: {
                /** @description Model name. */
                model: components["parameters"]["ModelName"];
            };
            cookie?: never;
        };
        requestBody: components["requestBodies"]["PredictRequest"];
        responses: {
            200: components["responses"]["PredictResponse"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    modelVersionPredict: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Model name. */
                model: components["parameters"]["ModelName"];
                /** @description A positive integer version, or a label set by `updateModel` (`stable`, `canary`). */
                version: components["parameters"]["VersionOrLabel"];
            };
            cookie?: never;
        };
        requestBody: components["requestBodies"]["PredictRequest"];
        responses: {
            200: components["responses"]["PredictResponse"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    modelLabelPredict: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Model name. */
                model: components["parameters"]["ModelName"];
                /** @description A version label set by `updateModel`. */
                label: components["parameters"]["VersionLabel"];
            };
            cookie?: never;
        };
        requestBody: components["requestBodies"]["PredictRequest"];
        responses: {
            200: components["responses"]["PredictResponse"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listModels: {
        parameters: {
            query?: {
                /** @description Page size. */
                limit?: components["parameters"]["Limit"];
                /** @description The `next_cursor` of the previous page. */
                after?: components["parameters"]["After"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of models. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "object": "list",
                     *       "data": [
                     *         {
                     *           "object": "model",
                     *           "name": "keras_mlp",
                     *           "description": "100 → 64 relu → 64 relu → 10 softmax",
                     *           "platform": "onnxruntime_onnx",
                     *           "default_version": "1",
                     *           "pinned_version": null,
                     *           "labels": {},
                     *           "traffic": null,
                     *           "rollback": null,
                     *           "shadow": null,
                     *           "ready": true,
                     *           "model_version_status": [
                     *             {
                     *               "version": "1",
                     *               "state": "AVAILABLE",
                     *               "status": {
                     *                 "error_code": "OK",
                     *                 "error_message": ""
                     *               }
                     *             }
                     *           ],
                     *           "versions": [
                     *             {
                     *               "object": "model.version",
                     *               "model": "keras_mlp",
                     *               "version": "1",
                     *               "state": "READY",
                     *               "reason": "",
                     *               "size_bytes": 46393,
                     *               "created_at": "2026-11-29T10:00:00.000Z",
                     *               "inputs": [
                     *                 {
                     *                   "name": "input",
                     *                   "datatype": "FP32",
                     *                   "shape": [
                     *                     -1,
                     *                     100
                     *                   ]
                     *                 }
                     *               ],
                     *               "outputs": [
                     *                 {
                     *                   "name": "probabilities",
                     *                   "datatype": "FP32",
                     *                   "shape": [
                     *                     -1,
                     *                     10
                     *                   ]
                     *                 }
                     *               ],
                     *               "source": "repository"
                     *             }
                     *           ]
                     *         }
                     *       ],
                     *       "has_more": false,
                     *       "next_cursor": null
                     *     }
                     */
                    "application/json": components["schemas"]["ModelList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
        };
    };
    retrieveModel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Model name. */
                model: components["parameters"]["ModelName"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The model. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "object": "model",
                     *       "name": "keras_mlp",
                     *       "description": "100 → 64 relu → 64 relu → 10 softmax",
                     *       "platform": "onnxruntime_onnx",
                     *       "default_version": "2",
                     *       "pinned_version": "2",
                     *       "labels": {
                     *         "stable": "2",
                     *         "canary": "3"
                     *       },
                     *       "traffic": [
                     *         {
                     *           "version": "2",
                     *           "weight": 90
                     *         },
                     *         {
                     *           "version": "3",
                     *           "weight": 10
                     *         }
                     *       ],
                     *       "rollback": {
                     *         "max_error_rate": 0.05,
                     *         "min_requests": 200
                     *       },
                     *       "shadow": null,
                     *       "ready": true,
                     *       "model_version_status": [
                     *         {
                     *           "version": "3",
                     *           "state": "AVAILABLE",
                     *           "status": {
                     *             "error_code": "OK",
                     *             "error_message": ""
                     *           }
                     *         },
                     *         {
                     *           "version": "2",
                     *           "state": "AVAILABLE",
                     *           "status": {
                     *             "error_code": "OK",
                     *             "error_message": ""
                     *           }
                     *         }
                     *       ],
                     *       "versions": []
                     *     }
                     */
                    "application/json": components["schemas"]["Model"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
        };
    };
    updateModel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Model name. */
                model: components["parameters"]["ModelName"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "labels": {
                 *         "stable": "3",
                 *         "canary": "4"
                 *       },
                 *       "traffic": [
                 *         {
                 *           "version": "3",
                 *           "weight": 90
                 *         },
                 *         {
                 *           "version": "4",
                 *           "weight": 10
                 *         }
                 *       ],
                 *       "rollback": {
                 *         "max_error_rate": 0.05,
                 *         "max_p99_ratio": 1.5,
                 *         "min_requests": 200
                 *       },
                 *       "reason": "canary for the int8 candidate"
                 *     }
                 */
                "application/json": components["schemas"]["ModelUpdateRequest"];
            };
        };
        responses: {
            /** @description The model with its new routing. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Model"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["UnprocessableEntity"];
        };
    };
    listModelEvents: {
        parameters: {
            query?: {
                /** @description Return events with an id greater than this. */
                after?: number;
                limit?: number;
            };
            header?: never;
            path: {
                /** @description Model name. */
                model: components["parameters"]["ModelName"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of events. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "object": "list",
                     *       "data": [
                     *         {
                     *           "id": 1,
                     *           "object": "model.event",
                     *           "model": "keras_mlp",
                     *           "created_at": "2026-12-01T10:00:00Z",
                     *           "kind": "labels",
                     *           "reason": "label canary → version 2",
                     *           "default_version": null,
                     *           "labels": {
                     *             "canary": "2"
                     *           },
                     *           "traffic": null,
                     *           "shadow": null
                     *         }
                     *       ],
                     *       "has_more": false,
                     *       "next_cursor": "1"
                     *     }
                     */
                    "application/json": components["schemas"]["ModelEventList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
        };
    };
    getModelShadow: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Model name. */
                model: components["parameters"]["ModelName"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Requests mirrored and how the shadow's outputs and latency compare. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "object": "model.shadow",
                     *       "model": "keras_mlp",
                     *       "version": "2",
                     *       "fraction": 0.1,
                     *       "mirrored": 120,
                     *       "dropped": 0,
                     *       "failed": 0,
                     *       "argmax_agreement": 1,
                     *       "rows_compared": 120,
                     *       "max_abs_diff": 0.0009,
                     *       "latency_ms": {
                     *         "primary_p50": 0.4,
                     *         "primary_p99": 1.2,
                     *         "shadow_p50": 0.3,
                     *         "shadow_p99": 0.9
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["ShadowReport"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
        };
    };
    uploadModelVersion: {
        parameters: {
            query?: {
                /** @description Sets the model's description (kept in its config.json). */
                description?: string;
            };
            header?: {
                /**
                 * @description The same key and body within 24 h return the first result instead of creating a second resource; the same
                 *     key with another body is a 409 `idempotency_conflict`.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                /** @description Model name. */
                model: components["parameters"]["ModelName"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /** @example <ONNX model bytes> */
                "application/octet-stream": string;
            };
        };
        responses: {
            /** @description The new version, loaded. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "object": "model.version",
                     *       "model": "my_model",
                     *       "version": "2",
                     *       "state": "READY",
                     *       "reason": "",
                     *       "size_bytes": 1024,
                     *       "created_at": "2026-11-29T10:00:00.000Z",
                     *       "inputs": [
                     *         {
                     *           "name": "x",
                     *           "datatype": "FP32",
                     *           "shape": [
                     *             -1,
                     *             4
                     *           ]
                     *         }
                     *       ],
                     *       "outputs": [
                     *         {
                     *           "name": "y",
                     *           "datatype": "FP32",
                     *           "shape": [
                     *             -1,
                     *             3
                     *           ]
                     *         }
                     *       ],
                     *       "source": "upload"
                     *     }
                     */
                    "application/json": components["schemas"]["ModelVersion"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableEntity"];
        };
    };
    retrieveModelVersion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Model name. */
                model: components["parameters"]["ModelName"];
                /** @description Model version, a positive integer. */
                version: components["parameters"]["ModelVersion"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The version. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "object": "model.version",
                     *       "model": "keras_mlp",
                     *       "version": "1",
                     *       "state": "READY",
                     *       "reason": "",
                     *       "size_bytes": 46393,
                     *       "created_at": "2026-11-29T10:00:00.000Z",
                     *       "inputs": [
                     *         {
                     *           "name": "input",
                     *           "datatype": "FP32",
                     *           "shape": [
                     *             -1,
                     *             100
                     *           ]
                     *         }
                     *       ],
                     *       "outputs": [
                     *         {
                     *           "name": "probabilities",
                     *           "datatype": "FP32",
                     *           "shape": [
                     *             -1,
                     *             10
                     *           ]
                     *         }
                     *       ],
                     *       "source": "repository"
                     *     }
                     */
                    "application/json": components["schemas"]["ModelVersion"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
        };
    };
    deleteModelVersion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Model name. */
                model: components["parameters"]["ModelName"];
                /** @description Model version, a positive integer. */
                version: components["parameters"]["ModelVersion"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "object": "model.version.deleted",
                     *       "model": "my_model",
                     *       "version": "2",
                     *       "deleted": true
                     *     }
                     */
                    "application/json": components["schemas"]["ModelVersionDeleted"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
        };
    };
    evaluateModelVersion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Model name. */
                model: components["parameters"]["ModelName"];
                /** @description Model version, a positive integer. */
                version: components["parameters"]["ModelVersion"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "dataset": "ds_01JDQ3Z8W5M4",
                 *       "target": "species",
                 *       "compare_to": "1"
                 *     }
                 */
                "application/json": components["schemas"]["EvaluateRequest"];
            };
        };
        responses: {
            /** @description The version's figures on the dataset. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "object": "model.evaluation",
                     *       "model": "iris_classifier",
                     *       "version": "2",
                     *       "dataset": "ds_01JDQ3Z8W5M4",
                     *       "compare_to": "1",
                     *       "task": "classification",
                     *       "output": "probabilities",
                     *       "target": "species",
                     *       "features": [
                     *         "sepal_length",
                     *         "sepal_width",
                     *         "petal_length",
                     *         "petal_width"
                     *       ],
                     *       "rows": 150,
                     *       "labelled_rows": 150,
                     *       "accuracy": 0.9733,
                     *       "loss": 0.0712,
                     *       "rmse": null,
                     *       "mae": null,
                     *       "agreement": 1,
                     *       "max_abs_diff": 0.0031,
                     *       "mean_abs_diff": 0.0004,
                     *       "latency": [
                     *         {
                     *           "batch": 1,
                     *           "runs": 200,
                     *           "p50_ms": 0.021,
                     *           "p99_ms": 0.05,
                     *           "mean_ms": 0.024
                     *         },
                     *         {
                     *           "batch": 64,
                     *           "runs": 50,
                     *           "p50_ms": 0.034,
                     *           "p99_ms": 0.07,
                     *           "mean_ms": 0.037
                     *         }
                     *       ],
                     *       "size_bytes": 712,
                     *       "gzip_bytes": 498
                     *     }
                     */
                    "application/json": components["schemas"]["ModelEvaluation"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["UnprocessableEntity"];
            /**
             * @description `overloaded`: the server already runs as many evaluations as `--max-evaluations` allows (each is a
             *     worker thread); sent at once, with `Retry-After`.
             */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": "The server has 2 evaluations in progress, its limit (--max-evaluations); retry shortly",
                     *       "code": "overloaded",
                     *       "status": 503,
                     *       "request_id": "req_8f1c2d"
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listDatasets: {
        parameters: {
            query?: {
                /** @description Page size. */
                limit?: components["parameters"]["Limit"];
                /** @description The `next_cursor` of the previous page. */
                after?: components["parameters"]["After"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of datasets. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "object": "list",
                     *       "data": [],
                     *       "has_more": false,
                     *       "next_cursor": null
                     *     }
                     */
                    "application/json": components["schemas"]["DatasetList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
        };
    };
    createDataset: {
        parameters: {
            query?: {
                /** @description A label for the dataset (e.g. the file name). */
                name?: string;
            };
            header?: {
                /**
                 * @description The same key and body within 24 h return the first result instead of creating a second resource; the same
                 *     key with another body is a 409 `idempotency_conflict`.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example sepal_length,sepal_width,petal_length,petal_width,species
                 *     5.1,3.5,1.4,0.2,setosa
                 */
                "text/csv": string;
                /**
                 * @example {"x": 1.5, "y": 3.1}
                 *     {"x": 2.0, "y": 4.2}
                 */
                "application/x-ndjson": string;
            };
        };
        responses: {
            /** @description The dataset. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "ds_01JDQ3Z8W5M4",
                     *       "object": "dataset",
                     *       "name": "iris.csv",
                     *       "format": "csv",
                     *       "rows": 150,
                     *       "columns": [
                     *         {
                     *           "name": "sepal_length",
                     *           "type": "number",
                     *           "missing": 0
                     *         },
                     *         {
                     *           "name": "species",
                     *           "type": "string",
                     *           "missing": 0
                     *         }
                     *       ],
                     *       "bytes": 4009,
                     *       "created_at": "2026-11-29T10:00:00.000Z"
                     *     }
                     */
                    "application/json": components["schemas"]["Dataset"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableEntity"];
        };
    };
    retrieveDataset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Dataset id. */
                dataset_id: components["parameters"]["DatasetId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The dataset. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "ds_01JDQ3Z8W5M4",
                     *       "object": "dataset",
                     *       "name": null,
                     *       "format": "jsonl",
                     *       "rows": 2,
                     *       "columns": [
                     *         {
                     *           "name": "x",
                     *           "type": "number",
                     *           "missing": 0
                     *         },
                     *         {
                     *           "name": "y",
                     *           "type": "number",
                     *           "missing": 0
                     *         }
                     *       ],
                     *       "bytes": 40,
                     *       "created_at": "2026-11-29T10:00:00.000Z"
                     *     }
                     */
                    "application/json": components["schemas"]["Dataset"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
        };
    };
    deleteDataset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Dataset id. */
                dataset_id: components["parameters"]["DatasetId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "ds_01JDQ3Z8W5M4",
                     *       "object": "dataset.deleted",
                     *       "deleted": true
                     *     }
                     */
                    "application/json": components["schemas"]["DatasetDeleted"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
        };
    };
    listTrainingJobs: {
        parameters: {
            query?: {
                /** @description Page size. */
                limit?: components["parameters"]["Limit"];
                /** @description The `next_cursor` of the previous page. */
                after?: components["parameters"]["After"];
                /** @description Only jobs in this status. */
                status?: components["schemas"]["TrainingJobStatus"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of jobs. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "object": "list",
                     *       "data": [],
                     *       "has_more": false,
                     *       "next_cursor": null
                     *     }
                     */
                    "application/json": components["schemas"]["TrainingJobList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
        };
    };
    createTrainingJob: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description The same key and body within 24 h return the first result instead of creating a second resource; the same
                 *     key with another body is a 409 `idempotency_conflict`.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "model": "iris_classifier",
                 *       "dataset": "ds_01JDQ3Z8W5M4",
                 *       "task": "classification",
                 *       "target": "species",
                 *       "architecture": {
                 *         "type": "mlp",
                 *         "hidden_layers": [
                 *           16
                 *         ],
                 *         "activation": "relu"
                 *       },
                 *       "optimizer": {
                 *         "type": "adam",
                 *         "learning_rate": 0.01
                 *       },
                 *       "epochs": 50,
                 *       "batch_size": 16,
                 *       "seed": 7
                 *     }
                 */
                "application/json": components["schemas"]["TrainingJobCreateRequest"];
            };
        };
        responses: {
            /** @description The queued job. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TrainingJob"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["UnprocessableEntity"];
        };
    };
    retrieveTrainingJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Training job id. */
                job_id: components["parameters"]["JobId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The job. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TrainingJob"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
        };
    };
    cancelTrainingJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Training job id. */
                job_id: components["parameters"]["JobId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The job after the request. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TrainingJob"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
        };
    };
    listTrainingJobEvents: {
        parameters: {
            query?: {
                /** @description Only events with an id greater than this. */
                after?: number;
                /** @description Page size for the JSON form. */
                limit?: number;
            };
            header?: {
                /** @description SSE resume point (same meaning as `after`). */
                "Last-Event-ID"?: string;
            };
            path: {
                /** @description Training job id. */
                job_id: components["parameters"]["JobId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Events. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "object": "list",
                     *       "data": [
                     *         {
                     *           "id": 1,
                     *           "object": "training_job.event",
                     *           "created_at": "2026-11-29T10:00:00.000Z",
                     *           "type": "status",
                     *           "status": "queued"
                     *         },
                     *         {
                     *           "id": 3,
                     *           "object": "training_job.event",
                     *           "created_at": "2026-11-29T10:00:01.000Z",
                     *           "type": "metrics",
                     *           "metrics": {
                     *             "epoch": 1,
                     *             "train_loss": 0.52,
                     *             "train_accuracy": 0.81,
                     *             "val_loss": 0.49,
                     *             "val_accuracy": 0.83,
                     *             "learning_rate": 0.01,
                     *             "samples_per_second": 52000,
                     *             "elapsed_ms": 12
                     *           }
                     *         }
                     *       ],
                     *       "has_more": false,
                     *       "next_cursor": "3"
                     *     }
                     */
                    "application/json": components["schemas"]["TrainingJobEventList"];
                    /**
                     * @example id: 1
                     *     event: status
                     *     data: {"id":1,"object":"training_job.event","created_at":"2026-11-29T10:00:00.000Z","type":"status","status":"queued"}
                     */
                    "text/event-stream": string;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
        };
    };
    listOptimizationJobs: {
        parameters: {
            query?: {
                /** @description Page size. */
                limit?: components["parameters"]["Limit"];
                /** @description The `next_cursor` of the previous page. */
                after?: components["parameters"]["After"];
                /** @description Only jobs in this status. */
                status?: components["schemas"]["TrainingJobStatus"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of jobs. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "object": "list",
                     *       "data": [],
                     *       "has_more": false,
                     *       "next_cursor": null
                     *     }
                     */
                    "application/json": components["schemas"]["OptimizationJobList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
        };
    };
    createOptimizationJob: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description The same key and body within 24 h return the first result instead of creating a second resource; the same
                 *     key with another body is a 409 `idempotency_conflict`.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "model": "iris_classifier",
                 *       "method": {
                 *         "type": "quantize",
                 *         "precision": "int8",
                 *         "mode": "dynamic"
                 *       },
                 *       "evaluation": {
                 *         "dataset": "ds_01JDQ3Z8W5M4",
                 *         "target": "species"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["OptimizationJobCreateRequest"];
            };
        };
        responses: {
            /** @description The queued job. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OptimizationJob"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["UnprocessableEntity"];
        };
    };
    retrieveOptimizationJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Training job id. */
                job_id: components["parameters"]["JobId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The job; once it ended, with its report. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OptimizationJob"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
        };
    };
    cancelOptimizationJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Training job id. */
                job_id: components["parameters"]["JobId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The job after the request. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OptimizationJob"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
        };
    };
    listOptimizationJobEvents: {
        parameters: {
            query?: {
                /** @description Only events with an id greater than this. */
                after?: number;
                /** @description Page size for the JSON form. */
                limit?: number;
            };
            header?: {
                /** @description SSE resume point (same meaning as `after`). */
                "Last-Event-ID"?: string;
            };
            path: {
                /** @description Training job id. */
                job_id: components["parameters"]["JobId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Events. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "object": "list",
                     *       "data": [
                     *         {
                     *           "id": 1,
                     *           "object": "optimization_job.event",
                     *           "created_at": "2026-11-29T10:00:00.000Z",
                     *           "type": "status",
                     *           "status": "queued"
                     *         },
                     *         {
                     *           "id": 3,
                     *           "object": "optimization_job.event",
                     *           "created_at": "2026-11-29T10:00:01.000Z",
                     *           "type": "stage",
                     *           "stage": "evaluating_parent"
                     *         }
                     *       ],
                     *       "has_more": false,
                     *       "next_cursor": "3"
                     *     }
                     */
                    "application/json": components["schemas"]["OptimizationJobEventList"];
                    /**
                     * @example id: 1
                     *     event: status
                     *     data: {"id":1,"object":"optimization_job.event","created_at":"2026-11-29T10:00:00.000Z","type":"status","status":"queued"}
                     */
                    "text/event-stream": string;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
        };
    };
    getOpenApiSpec: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI document. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example openapi: 3.1.0
                     *     ...
                     */
                    "application/yaml": string;
                };
            };
            500: components["responses"]["InternalError"];
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The metrics, as Prometheus scrapes them. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example # HELP maas_inference_request_success_total Inference requests that succeeded, per model version
                     *     # TYPE maas_inference_request_success_total counter
                     *     maas_inference_request_success_total{model="keras_mlp",version="1"} 42
                     */
                    "text/plain": string;
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["InternalError"];
        };
    };
}
