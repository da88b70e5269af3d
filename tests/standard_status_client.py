#!/usr/bin/python3
"""An outside client's view of our errors: Debian's grpcio with its default limits, and the
standard google.rpc names only.

It knows google.rpc.Status and its detail messages as googleapis defines them (built below from
their published field numbers, not from our proto files), and our scheduling API compiled from
proto/ with protoc. It sends requests that break many rules at once and checks that each answer
is INVALID_ARGUMENT (not RESOURCE_EXHAUSTED from metadata over the client's limit) and that the
`grpc-status-details-bin` trailer unpacks, by type URL, as google.rpc.BadRequest.

  standard_status_client.py --address 127.0.0.1:PORT --token JWT --protoc PATH --proto-dir DIR

Exits 0 when every check passes; prints what failed otherwise.
"""

import argparse
import importlib
import os
import subprocess
import sys
import tempfile

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

FIELD = descriptor_pb2.FieldDescriptorProto


def standard_rpc_messages():
    """google.rpc.Status and google.rpc.BadRequest, in a pool of their own."""
    pool = descriptor_pool.DescriptorPool()
    any_file = descriptor_pb2.FileDescriptorProto()
    from google.protobuf import any_pb2
    any_pb2.DESCRIPTOR.CopyToProto(any_file)
    pool.Add(any_file)

    status_file = descriptor_pb2.FileDescriptorProto(
        name="google/rpc/status.proto", package="google.rpc", syntax="proto3",
        dependency=["google/protobuf/any.proto"])
    status = status_file.message_type.add(name="Status")
    status.field.add(name="code", number=1, type=FIELD.TYPE_INT32, label=FIELD.LABEL_OPTIONAL)
    status.field.add(name="message", number=2, type=FIELD.TYPE_STRING, label=FIELD.LABEL_OPTIONAL)
    status.field.add(name="details", number=3, type=FIELD.TYPE_MESSAGE,
                     label=FIELD.LABEL_REPEATED, type_name=".google.protobuf.Any")
    pool.Add(status_file)

    details_file = descriptor_pb2.FileDescriptorProto(
        name="google/rpc/error_details.proto", package="google.rpc", syntax="proto3")
    bad_request = details_file.message_type.add(name="BadRequest")
    violation = bad_request.nested_type.add(name="FieldViolation")
    violation.field.add(name="field", number=1, type=FIELD.TYPE_STRING, label=FIELD.LABEL_OPTIONAL)
    violation.field.add(name="description", number=2, type=FIELD.TYPE_STRING,
                        label=FIELD.LABEL_OPTIONAL)
    bad_request.field.add(name="field_violations", number=1, type=FIELD.TYPE_MESSAGE,
                          label=FIELD.LABEL_REPEATED,
                          type_name=".google.rpc.BadRequest.FieldViolation")
    pool.Add(details_file)

    def message_class(name):
        return message_factory.MessageFactory(pool).GetPrototype(
            pool.FindMessageTypeByName(name))
    return message_class("google.rpc.Status"), message_class("google.rpc.BadRequest")


def compile_scheduling_api(protoc, proto_dir, out_dir):
    files = ["homecare/common/v1/types.proto", "homecare/scheduling/v1/scheduling.proto"]
    subprocess.run([protoc, f"-I{proto_dir}", f"--python_out={out_dir}", *files], check=True)
    sys.path.insert(0, out_dir)
    return importlib.import_module("homecare.scheduling.v1.scheduling_pb2")


class Checker:
    def __init__(self, channel, token, status_class, bad_request_class):
        self.channel = channel
        self.metadata = [("authorization", f"Bearer {token}")]
        self.status_class = status_class
        self.bad_request_class = bad_request_class
        self.failures = []

    def expect_invalid_argument(self, name, method, request, response_class, min_violations):
        call = self.channel.unary_unary(
            f"/homecare.scheduling.v1.SchedulingService/{method}",
            request_serializer=lambda message: message.SerializeToString(),
            response_deserializer=response_class.FromString)
        try:
            call(request, metadata=self.metadata, timeout=10)
            self.failures.append(f"{name}: succeeded; expected INVALID_ARGUMENT")
            return
        except grpc.RpcError as error:
            if error.code() != grpc.StatusCode.INVALID_ARGUMENT:
                self.failures.append(f"{name}: {error.code()} {error.details()!r}")
                return
            trailers = dict(error.trailing_metadata() or ())
        raw = trailers.get("grpc-status-details-bin")
        if raw is None:
            self.failures.append(f"{name}: no grpc-status-details-bin trailer")
            return
        status = self.status_class.FromString(raw)
        if status.code != grpc.StatusCode.INVALID_ARGUMENT.value[0]:
            self.failures.append(f"{name}: google.rpc.Status.code is {status.code}")
        found = None
        for detail in status.details:
            if detail.type_url == "type.googleapis.com/google.rpc.BadRequest":
                found = self.bad_request_class.FromString(detail.value)
        if found is None:
            urls = [detail.type_url for detail in status.details]
            self.failures.append(f"{name}: no google.rpc.BadRequest among {urls}")
            return
        if len(found.field_violations) < min_violations:
            self.failures.append(f"{name}: only {len(found.field_violations)} violations")
        if not all(violation.field for violation in found.field_violations):
            self.failures.append(f"{name}: a violation names no field")
        print(f"{name}: INVALID_ARGUMENT, {len(found.field_violations)} field violations "
              f"decoded as google.rpc.BadRequest; message {status.message[:80]!r}...")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--address", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--protoc", required=True)
    parser.add_argument("--proto-dir", required=True)
    args = parser.parse_args()

    status_class, bad_request_class = standard_rpc_messages()
    with tempfile.TemporaryDirectory() as out_dir:
        api = compile_scheduling_api(args.protoc, args.proto_dir, out_dir)
        channel = grpc.insecure_channel(args.address)  # gRPC's default limits
        checker = Checker(channel, args.token, status_class, bad_request_class)

        create = channel.unary_unary(
            "/homecare.scheduling.v1.SchedulingService/CreateClient",
            request_serializer=lambda message: message.SerializeToString(),
            response_deserializer=api.Client.FromString)
        edna = api.CreateClientRequest(request_id="standard-status-client")
        edna.client.display_name = "Edna Clarke"
        edna.client.locality_id = "north"
        edna.client.location.latitude = 51.52
        edna.client.location.longitude = -0.1
        client_id = create(edna, metadata=checker.metadata, timeout=10).client_id

        plan = api.CreateCarePlanRequest(request_id="fifty-bad-patterns")
        plan.care_plan.client_id = client_id
        plan.care_plan.effective_date.year = 2031
        plan.care_plan.effective_date.month = 1
        plan.care_plan.effective_date.day = 6
        plan.care_plan.weekly_budget_minutes = 600
        for i in range(50):
            plan.care_plan.patterns.add(pattern_id=f"p{i}", duration_minutes=-5, carers_required=9)
        checker.expect_invalid_argument("care plan with 50 bad patterns", "CreateCarePlan", plan,
                                        api.CreateCarePlanResponse, 10)

        client = api.CreateClientRequest()
        client.client.display_name = "Edna"
        for i in range(20):
            client.client.contacts.add(name="", relationship="x" * 300, phone="not a phone")
        checker.expect_invalid_argument("client with 20 bad contacts", "CreateClient", client,
                                        api.Client, 10)

        update = api.UpdateClientRequest()
        update.client.client_id = client_id
        update.update_mask.paths.extend(f"no_such_field_{i}" for i in range(10000))
        checker.expect_invalid_argument("update mask of 10,000 unknown paths", "UpdateClient",
                                        update, api.Client, 10)
        channel.close()

    for failure in checker.failures:
        print(f"FAILED {failure}")
    return 1 if checker.failures else 0


if __name__ == "__main__":
    sys.exit(main())
