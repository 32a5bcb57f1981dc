# Python grpcio stubs generated from maas's vendored grpc_service.proto (what tritonclient.grpc is generated from) against
# `maas serve`: every answer checked, the inference ones against the HTTP API. Run by test/grpc/python-interop.test.ts:
# python3 interop.py GRPC_HOST:PORT HTTP_URL (the generated *_pb2 modules on PYTHONPATH).
import json, struct, sys, urllib.request
import numpy as np
import grpc
import grpc_service_pb2 as pb
import grpc_service_pb2_grpc as rpc

grpc_addr, http_url = sys.argv[1], sys.argv[2]
ch = grpc.insecure_channel(grpc_addr, options=[("grpc.max_receive_message_length", -1)])
s = rpc.GRPCInferenceServiceStub(ch)
assert s.ServerLive(pb.ServerLiveRequest()).live
assert s.ServerReady(pb.ServerReadyRequest()).ready
meta = s.ServerMetadata(pb.ServerMetadataRequest())
print("server", meta.name, meta.version, list(meta.extensions))
m = s.ModelMetadata(pb.ModelMetadataRequest(name="keras_mlp"))
print("keras_mlp inputs", [(t.name, t.datatype, list(t.shape)) for t in m.inputs])

x = np.random.default_rng(1).random((1, 100), dtype=np.float32)
req = pb.ModelInferRequest(model_name="keras_mlp", inputs=[pb.ModelInferRequest.InferInputTensor(name="input", datatype="FP32", shape=[1, 100])],
                           outputs=[pb.ModelInferRequest.InferRequestedOutputTensor(name="probabilities")], raw_input_contents=[x.tobytes()])
r = s.ModelInfer(req)
probs = np.frombuffer(r.raw_output_contents[0], dtype=np.float32)
body = json.dumps({"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, 100], "data": x.ravel().tolist()}]}).encode()
h = json.load(urllib.request.urlopen(urllib.request.Request(f"{http_url}/v2/models/keras_mlp/infer", body, {"content-type": "application/json"})))
assert np.array_equal(probs, np.array(h["outputs"][0]["data"], dtype=np.float32)), (probs, h)
print("keras_mlp raw gRPC == HTTP JSON:", probs.round(4).tolist())

def bytes_tensor(items):
    return b"".join(struct.pack("<I", len(b)) + b for b in (i.encode() for i in items))
ids = np.array([[2**53 + 1, -5, 7]], dtype=np.int64)
r = s.ModelInfer(pb.ModelInferRequest(model_name="multi_io",
    inputs=[pb.ModelInferRequest.InferInputTensor(name="ids", datatype="INT64", shape=[1, 3]),
            pb.ModelInferRequest.InferInputTensor(name="mask", datatype="BOOL", shape=[1, 3]),
            pb.ModelInferRequest.InferInputTensor(name="text", datatype="BYTES", shape=[2])],
    raw_input_contents=[ids.tobytes(), np.array([[True, False, True]]).tobytes(), bytes_tensor(["héllo", "maas"])]))
out = {o.name: raw for o, raw in zip(r.outputs, r.raw_output_contents)}
assert np.frombuffer(out["ids_plus_one"], dtype=np.int64).tolist() == (ids + 1).ravel().tolist()
assert out["text_out"] == bytes_tensor(["héllo", "maas"])
print("multi_io INT64 exact, BYTES length-prefixed:", np.frombuffer(out["ids_plus_one"], dtype=np.int64).tolist())

def stream():
    for i in range(3):
        yield pb.ModelInferRequest(model_name="keras_mlp", id=f"s{i}", inputs=[pb.ModelInferRequest.InferInputTensor(name="input", datatype="FP32", shape=[1, 100] if i != 1 else [1, 99])],
                                   raw_input_contents=[x.tobytes() if i != 1 else x.ravel()[:99].tobytes()])
answers = list(s.ModelStreamInfer(stream()))
print("stream:", [a.infer_response.id or ("error: " + a.error_message) for a in answers])
assert sum(1 for a in answers if a.error_message) == 1 and len(answers) == 3
try:
    s.ModelMetadata(pb.ModelMetadataRequest(name="nope"))
except grpc.RpcError as e:
    print("unknown model:", e.code(), e.details())
    assert e.code() == grpc.StatusCode.NOT_FOUND
stats = s.ModelStatistics(pb.ModelStatisticsRequest(name="keras_mlp"))
print("keras_mlp inference_count", stats.model_stats[0].inference_count)
cfg = s.ModelConfig(pb.ModelConfigRequest(name="keras_mlp")).config
assert cfg.name == "keras_mlp" and [i.name for i in cfg.input] == ["input"]
print("config", cfg.name, [(i.name, i.data_type, list(i.dims)) for i in cfg.input])
print("OK")
