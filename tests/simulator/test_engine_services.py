"""Services, Endpoints following readiness, curl through a Service, blue-green selector switch."""
import json

from simulator import Cluster

from .engine_helpers import cluster_with, deployment_yaml

SVC = json.dumps({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "kubia"},
                  "spec": {"selector": {"app": "kubia"}, "ports": [{"port": 80, "targetPort": 8080}]}})


def test_endpoints_follow_ready_pods_and_curl_answers_like_kubia():
    c = Cluster()
    c.files["d.yaml"] = deployment_yaml()
    c.files["s.yaml"] = SVC
    c.run("kubectl create -f d.yaml")
    assert c.run("kubectl create -f s.yaml").stdout == "service/kubia created\n"
    ep = c.get("Endpoints", "default", "kubia")
    assert "subsets" not in ep
    assert c.run("curl -s kubia").exit_code == 7
    c.advance(30)
    ep = c.get("Endpoints", "default", "kubia")
    assert len(ep["subsets"][0]["addresses"]) == 3 and ep["subsets"][0]["ports"] == [{"port": 8080, "protocol": "TCP"}]
    r = c.run("curl -s http://kubia")
    assert r.stdout.startswith("This is v1 running in pod kubia-")
    svc = c.get("Service", "default", "kubia")
    assert svc["spec"]["clusterIP"].startswith("10.96.")
    assert c.run(f"curl {svc['spec']['clusterIP']}").stdout.startswith("This is v1")
    pod_ip = c.list("Pod", "default")[0]["status"]["podIP"]
    assert c.run(f"curl {pod_ip}:8080").stdout.startswith("This is v1")


def test_v3_fails_from_the_fifth_request_per_container():
    c = Cluster()
    c.files["d.yaml"] = deployment_yaml(replicas=1, image="luksa/kubia:v3")
    c.files["s.yaml"] = SVC
    c.run("kubectl create -f d.yaml")
    c.run("kubectl create -f s.yaml")
    c.advance(30)
    answers = [c.run("curl -s kubia").stdout for _ in range(6)]
    assert all(a.startswith("This is v3 running in pod") for a in answers[:4])
    assert all(a.startswith("Some internal error has occurred! This is pod kubia-") for a in answers[4:])


def test_blue_green_switch_by_patching_the_selector():
    c = Cluster()
    c.files["blue.yaml"] = deployment_yaml(name="blue", image="luksa/kubia:v1").replace('"app": "blue"', '"app": "blue"')
    c.files["green.yaml"] = deployment_yaml(name="green", image="luksa/kubia:v2")
    c.files["s.yaml"] = SVC.replace('"app": "kubia"', '"app": "blue"')
    for f in ("blue.yaml", "green.yaml", "s.yaml"):
        assert c.run(f"kubectl apply -f {f}").exit_code == 0
    c.advance(40)
    assert c.run("curl -s kubia").stdout.startswith("This is v1")
    c.files["s.yaml"] = SVC.replace('"app": "kubia"', '"app": "green"')
    assert c.run("kubectl apply -f s.yaml").stdout == "service/kubia configured\n"
    c.advance(1)
    assert {c.run("curl -s kubia").stdout[:10] for _ in range(5)} == {"This is v2"}
    samples = c.service_timeline("kubia")
    assert all(len(s["ready"]) <= 1 for s in samples)  # never both versions at once


def test_rollout_shifts_traffic_without_errors():
    c = cluster_with(deployment_yaml())
    c.files["s.yaml"] = SVC
    c.run("kubectl create -f s.yaml")
    c.advance(1)
    c.run("kubectl set image deployment kubia nodejs=luksa/kubia:v2")
    seen = []
    for _ in range(60):
        r = c.run("curl -s kubia")
        assert r.exit_code == 0
        seen.append(r.stdout[:10])
        c.advance(1)
    assert seen[0] == "This is v1" and seen[-1] == "This is v2"
