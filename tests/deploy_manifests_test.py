#!/usr/bin/env python3
"""Checks deploy/: renders both Kustomize overlays with kubectl and checks what a cluster would
run (probes, limits, non-root, the Services gRPC clients balance over, PDBs, HPAs, the Redis
Cluster), and reads the container file and the systemd units. It cannot apply anything: there
is no Kubernetes cluster here.

Usage: deploy_manifests_test.py <kubectl> <repository root>
"""
import configparser
import os
import re
import subprocess
import sys
import unittest

import yaml

KUBECTL = sys.argv[1] if len(sys.argv) > 1 else "kubectl"
ROOT = sys.argv[2] if len(sys.argv) > 2 else os.getcwd()
DEPLOY = os.path.join(ROOT, "deploy")
SERVICES = {"roster": (50051, 9151), "scheduling": (50052, 9152), "checkin": (50053, 9153)}


def render(overlay):
    out = subprocess.run([KUBECTL, "kustomize", os.path.join(DEPLOY, "kubernetes", "overlays", overlay)],
                         check=True, capture_output=True, text=True).stdout
    docs = [d for d in yaml.safe_load_all(out) if d]
    by_kind = {}
    for doc in docs:
        by_kind.setdefault(doc["kind"], {})[doc["metadata"]["name"]] = doc
    return docs, by_kind


def matches(selector, labels):
    return all(labels.get(k) == v for k, v in selector.items())


class OverlayTest(unittest.TestCase):
    def check_overlay(self, overlay):
        docs, kinds = render(overlay)
        for doc in docs:
            if doc["kind"] != "Namespace":
                self.assertEqual(doc["metadata"].get("namespace"), "homecare", doc["metadata"]["name"])
        flags = kinds["ConfigMap"]["homecare-flags"]["data"]
        secret = kinds["Secret"]["homecare-token"]
        # The placeholder must not start a service: HS256 needs 32 bytes.
        self.assertLess(len(secret["stringData"]["token-secret"]), 32)
        replicas = {}
        for name, (port, metrics) in SERVICES.items():
            full = "homecare-" + name
            deployment = kinds["Deployment"][full]
            pod = deployment["spec"]["template"]
            labels = pod["metadata"]["labels"]
            self.assertTrue(matches(deployment["spec"]["selector"]["matchLabels"], labels))
            spec = pod["spec"]
            self.assertTrue(spec["securityContext"]["runAsNonRoot"])
            self.assertNotEqual(spec["securityContext"].get("runAsUser"), 0)
            (container,) = spec["containers"]
            ports = {p["name"]: p["containerPort"] for p in container["ports"]}
            self.assertEqual(ports, {"grpc": port, "metrics": metrics})
            args = container["args"]
            self.assertEqual(args[args.index("--port") + 1], str(port))
            self.assertEqual(args[args.index("--metrics-port") + 1], str(metrics))
            self.assertEqual(container["readinessProbe"]["grpc"]["port"], port)
            self.assertIn("livenessProbe", container)
            for kind in ("requests", "limits"):
                self.assertEqual(set(container["resources"][kind]), {"cpu", "memory"}, full)
            context = container["securityContext"]
            self.assertFalse(context["allowPrivilegeEscalation"])
            self.assertTrue(context["readOnlyRootFilesystem"])
            self.assertEqual(context["capabilities"]["drop"], ["ALL"])
            self.assertEqual(container["envFrom"][0]["configMapRef"]["name"], "homecare-flags")
            (volume,) = spec["volumes"]
            self.assertEqual(volume["secret"]["secretName"], "homecare-token")
            mount = container["volumeMounts"][0]["mountPath"]
            self.assertEqual(args[args.index("--secret-file") + 1], mount + "/token-secret")
            # Callers resolve every pod through a headless Service and balance round robin.
            service = kinds["Service"][full]
            self.assertEqual(service["spec"]["clusterIP"], "None")
            self.assertTrue(matches(service["spec"]["selector"], labels))
            self.assertEqual({p["name"]: p["port"] for p in service["spec"]["ports"]},
                             {"grpc": port, "metrics": metrics})
            budget = kinds["PodDisruptionBudget"][full]
            self.assertTrue(matches(budget["spec"]["selector"]["matchLabels"], labels))
            autoscaler = kinds["HorizontalPodAutoscaler"][full]
            self.assertEqual(autoscaler["spec"]["scaleTargetRef"]["name"], full)
            self.assertEqual(autoscaler["spec"]["minReplicas"], deployment["spec"]["replicas"])
            self.assertLess(autoscaler["spec"]["minReplicas"], autoscaler["spec"]["maxReplicas"])
            self.assertGreater(budget["spec"]["minAvailable"], 0)
            self.assertLess(budget["spec"]["minAvailable"], deployment["spec"]["replicas"])
            replicas[name] = deployment["spec"]["replicas"]
        # The callers' targets are the headless Services' names.
        env = {e["name"]: e["value"] for e in kinds["Deployment"]["homecare-scheduling"]["spec"]
               ["template"]["spec"]["containers"][0]["env"]}
        self.assertEqual(env["HOMECARE_ROSTER"], "dns:///homecare-roster:50051")
        env = {e["name"]: e["value"] for e in kinds["Deployment"]["homecare-checkin"]["spec"]
               ["template"]["spec"]["containers"][0]["env"]}
        self.assertEqual(env["HOMECARE_SCHEDULING"], "dns:///homecare-scheduling:50052")

        # The Redis Cluster: an even number of nodes (a replica per master), the Job joining
        # all of them, the seeds among them, AOF with fsync always.
        redis = kinds["StatefulSet"]["redis-cluster"]
        nodes = redis["spec"]["replicas"]
        self.assertGreaterEqual(nodes, 6)
        self.assertEqual(nodes % 2, 0)
        job_env = {e["name"]: e["value"] for e in
                   kinds["Job"]["redis-cluster-create"]["spec"]["template"]["spec"]["containers"][0]["env"]}
        self.assertEqual(int(job_env["REDIS_NODES"]), nodes)
        config = kinds["ConfigMap"]["redis-cluster"]["data"]["redis.conf"]
        for line in ("cluster-enabled yes", "appendonly yes", "appendfsync always"):
            self.assertIn(line, config)
        self.assertEqual(kinds["Service"]["redis-cluster"]["spec"]["clusterIP"], "None")
        for seed in flags["HOMECARE_REDIS_CLUSTER"].split(","):
            match = re.fullmatch(r"redis-cluster-(\d+)\.redis-cluster:6379", seed)
            self.assertIsNotNone(match, seed)
            self.assertLess(int(match.group(1)), nodes)
        self.assertEqual(flags["HOMECARE_REDIS_MIN_REPLICAS_ACKED"], "1")
        return replicas, nodes

    def test_overlays(self):
        small, small_nodes = self.check_overlay("small")
        large, large_nodes = self.check_overlay("large")
        for name in SERVICES:
            self.assertGreater(large[name], small[name], name)
        self.assertGreater(large_nodes, small_nodes)


class FilesTest(unittest.TestCase):
    def test_container_file(self):
        text = open(os.path.join(DEPLOY, "docker", "Dockerfile")).read()
        stages = re.findall(r"^FROM (\S+) AS (\S+)", text, re.M)
        self.assertEqual([s for _, s in stages], ["build", "runtime", "roster", "scheduling", "checkin"])
        self.assertTrue(stages[0][0].startswith("debian:12"))
        self.assertTrue(stages[1][0].startswith("debian:12"))
        runtime = text.split("AS runtime", 1)[1].split("AS roster", 1)[0]
        user = re.search(r"^USER (\S+)", runtime, re.M).group(1)
        self.assertNotIn(user.split(":")[0], ("0", "root"))
        self.assertNotIn("-dev", runtime)  # only runtime libraries
        for name, (port, metrics) in SERVICES.items():
            stage = text.split(f"AS {name}\n", 1)[1].split("\nFROM", 1)[0]
            self.assertIn(f"EXPOSE {port} {metrics}", stage)
            self.assertIn(f'ENTRYPOINT ["/usr/bin/homecare-{name}"]', stage)

    def test_systemd_units(self):
        for name, (port, metrics) in SERVICES.items():
            unit = configparser.ConfigParser(strict=False, interpolation=None)
            unit.optionxform = str
            unit.read(os.path.join(DEPLOY, "systemd", f"homecare-{name}.service"))
            service = unit["Service"]
            command = service["ExecStart"].split()
            self.assertEqual(command[0], f"/usr/bin/homecare-{name}")
            self.assertEqual(command[command.index("--port") + 1], str(port))
            self.assertEqual(command[command.index("--metrics-port") + 1], str(metrics))
            self.assertNotEqual(service["User"], "root")
            self.assertEqual(service["Restart"], "on-failure")
            self.assertEqual(service["NoNewPrivileges"], "yes")
            self.assertEqual(service["EnvironmentFile"], f"/etc/homecare/{name}.env")
            self.assertEqual(unit["Install"]["WantedBy"], "multi-user.target")


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
