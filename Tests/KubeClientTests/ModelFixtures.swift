/// Objects as a real API server returns them (`kubectl get -o json`), used by the model tests.
enum ModelFixtures {
    static let deployment = #"""
    {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {
            "annotations": {
                "deployment.kubernetes.io/revision": "2",
                "kubectl.kubernetes.io/last-applied-configuration": "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\"}\n"
            },
            "creationTimestamp": "2024-05-01T09:12:44Z",
            "generation": 3,
            "labels": {
                "app.kubernetes.io/managed-by": "model-operator",
                "app.kubernetes.io/name": "resnet50"
            },
            "managedFields": [
                {
                    "apiVersion": "apps/v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {"f:spec": {"f:replicas": {}}},
                    "manager": "kubectl-client-side-apply",
                    "operation": "Update",
                    "time": "2024-05-01T09:12:44Z"
                }
            ],
            "name": "resnet50-v4",
            "namespace": "default",
            "ownerReferences": [
                {
                    "apiVersion": "ai.kubeedge.io/v1alpha1",
                    "blockOwnerDeletion": true,
                    "controller": true,
                    "kind": "InferenceModel",
                    "name": "resnet50",
                    "uid": "6f1c1d5e-2b53-4a8e-9a57-0f1b9a0d4c11"
                }
            ],
            "resourceVersion": "184467",
            "uid": "0d5b3f8c-7a61-4a6b-8f0e-d1b2a3c4e5f6"
        },
        "spec": {
            "progressDeadlineSeconds": 600,
            "replicas": 2,
            "revisionHistoryLimit": 10,
            "selector": {
                "matchLabels": {"app.kubernetes.io/name": "resnet50"},
                "matchExpressions": [{"key": "tier", "operator": "In", "values": ["edge", "cloud"]}]
            },
            "strategy": {
                "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 0},
                "type": "RollingUpdate"
            },
            "template": {
                "metadata": {
                    "creationTimestamp": null,
                    "labels": {"app.kubernetes.io/name": "resnet50", "tier": "edge"}
                },
                "spec": {
                    "affinity": {
                        "nodeAffinity": {
                            "requiredDuringSchedulingIgnoredDuringExecution": {
                                "nodeSelectorTerms": [
                                    {"matchExpressions": [{"key": "node-role.kubernetes.io/edge", "operator": "Exists"}]}
                                ]
                            },
                            "preferredDuringSchedulingIgnoredDuringExecution": [
                                {"weight": 50, "preference": {"matchExpressions": [
                                    {"key": "nvidia.com/gpu.product", "operator": "In", "values": ["Tesla-T4"]}]}}
                            ]
                        }
                    },
                    "containers": [
                        {
                            "args": ["--port=8080", "--model-dir=/models"],
                            "command": ["/usr/bin/serve"],
                            "env": [
                                {"name": "MODEL_NAME", "value": "resnet50"},
                                {"name": "POD_IP", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "status.podIP"}}}
                            ],
                            "image": "registry.local/serving:1.2",
                            "imagePullPolicy": "IfNotPresent",
                            "livenessProbe": {
                                "failureThreshold": 3,
                                "periodSeconds": 10,
                                "successThreshold": 1,
                                "tcpSocket": {"port": 8080},
                                "timeoutSeconds": 1
                            },
                            "name": "serving",
                            "ports": [{"containerPort": 8080, "name": "http", "protocol": "TCP"}],
                            "readinessProbe": {
                                "failureThreshold": 3,
                                "httpGet": {"path": "/healthz", "port": "http", "scheme": "HTTP"},
                                "initialDelaySeconds": 5,
                                "periodSeconds": 10,
                                "successThreshold": 1,
                                "timeoutSeconds": 1
                            },
                            "resources": {
                                "limits": {"cpu": "2", "memory": "4Gi", "nvidia.com/gpu": "1"},
                                "requests": {"cpu": "500m", "memory": "2Gi"}
                            },
                            "securityContext": {
                                "allowPrivilegeEscalation": false,
                                "capabilities": {"drop": ["ALL"]},
                                "readOnlyRootFilesystem": true
                            },
                            "terminationMessagePath": "/dev/termination-log",
                            "terminationMessagePolicy": "File",
                            "volumeMounts": [{"mountPath": "/models", "name": "model", "readOnly": true}]
                        }
                    ],
                    "dnsPolicy": "ClusterFirst",
                    "initContainers": [
                        {
                            "args": ["fetch", "--url", "http://127.0.0.1:8000/resnet50-v4.tar.gz"],
                            "command": ["model-operator"],
                            "image": "registry.local/model-operator:0.1",
                            "imagePullPolicy": "IfNotPresent",
                            "name": "fetch",
                            "resources": {},
                            "terminationMessagePath": "/dev/termination-log",
                            "terminationMessagePolicy": "FallbackToLogsOnError",
                            "volumeMounts": [
                                {"mountPath": "/models", "name": "model"},
                                {"mountPath": "/cache", "name": "cache"}
                            ]
                        }
                    ],
                    "nodeSelector": {"kubernetes.io/arch": "amd64"},
                    "restartPolicy": "Always",
                    "schedulerName": "default-scheduler",
                    "securityContext": {"runAsNonRoot": true, "fsGroup": 2000},
                    "serviceAccountName": "inference",
                    "terminationGracePeriodSeconds": 30,
                    "tolerations": [
                        {"effect": "NoSchedule", "key": "node-role.kubernetes.io/edge", "operator": "Exists"},
                        {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 300}
                    ],
                    "volumes": [
                        {"emptyDir": {"sizeLimit": "10Gi"}, "name": "model"},
                        {"hostPath": {"path": "/var/lib/model-cache", "type": "DirectoryOrCreate"}, "name": "cache"},
                        {"configMap": {"defaultMode": 420, "name": "serving-config"}, "name": "config"}
                    ]
                }
            }
        },
        "status": {
            "availableReplicas": 1,
            "conditions": [
                {
                    "lastTransitionTime": "2024-05-01T09:12:50Z",
                    "lastUpdateTime": "2024-05-01T09:12:50Z",
                    "message": "Deployment does not have minimum availability.",
                    "reason": "MinimumReplicasUnavailable",
                    "status": "False",
                    "type": "Available"
                },
                {
                    "lastTransitionTime": "2024-05-01T09:12:44Z",
                    "lastUpdateTime": "2024-05-01T09:14:02Z",
                    "message": "ReplicaSet \"resnet50-v4-7d9f8b6c5d\" is progressing.",
                    "reason": "ReplicaSetUpdated",
                    "status": "True",
                    "type": "Progressing"
                }
            ],
            "observedGeneration": 3,
            "readyReplicas": 1,
            "replicas": 2,
            "unavailableReplicas": 1,
            "updatedReplicas": 2
        }
    }
    """#

    static let node = #"""
    {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "annotations": {"node.alpha.kubernetes.io/ttl": "0", "volumes.kubernetes.io/controller-managed-attach-detach": "true"},
            "creationTimestamp": "2024-04-02T08:00:00Z",
            "labels": {
                "beta.kubernetes.io/arch": "amd64",
                "kubernetes.io/arch": "amd64",
                "kubernetes.io/hostname": "edge-gpu-1",
                "kubernetes.io/os": "linux",
                "node-role.kubernetes.io/edge": "",
                "nvidia.com/gpu.count": "2",
                "nvidia.com/gpu.memory": "15360",
                "nvidia.com/gpu.product": "Tesla-T4"
            },
            "name": "edge-gpu-1",
            "resourceVersion": "183920",
            "uid": "a8c0e7f2-9f5e-4d3a-8b1c-2e3f4a5b6c7d"
        },
        "spec": {
            "podCIDR": "10.244.1.0/24",
            "taints": [{"effect": "NoSchedule", "key": "node-role.kubernetes.io/edge"}]
        },
        "status": {
            "addresses": [{"address": "10.0.0.21", "type": "InternalIP"}, {"address": "edge-gpu-1", "type": "Hostname"}],
            "allocatable": {"cpu": "7800m", "ephemeral-storage": "95551679124", "hugepages-2Mi": "0",
                            "memory": "31959144Ki", "nvidia.com/gpu": "2", "pods": "110"},
            "capacity": {"cpu": "8", "ephemeral-storage": "103677060Ki", "hugepages-2Mi": "0",
                         "memory": "32930216Ki", "nvidia.com/gpu": "2", "pods": "110"},
            "conditions": [
                {"lastHeartbeatTime": "2024-05-01T09:10:11Z", "lastTransitionTime": "2024-04-02T08:00:00Z",
                 "message": "kubelet has sufficient memory available", "reason": "KubeletHasSufficientMemory",
                 "status": "False", "type": "MemoryPressure"},
                {"lastHeartbeatTime": "2024-05-01T09:10:11Z", "lastTransitionTime": "2024-04-02T08:00:30Z",
                 "message": "kubelet is posting ready status", "reason": "KubeletReady", "status": "True", "type": "Ready"}
            ],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "images": [{"names": ["registry.local/serving@sha256:3f2c", "registry.local/serving:1.2"], "sizeBytes": 812345678}],
            "nodeInfo": {
                "architecture": "amd64",
                "bootID": "5b1e4a8e-0c2f-4f0e-9d64-8e1b2c3d4e5f",
                "containerRuntimeVersion": "containerd://1.7.13",
                "kernelVersion": "5.15.0-105-generic",
                "kubeProxyVersion": "v1.29.3",
                "kubeletVersion": "v1.29.3",
                "machineID": "e3b0c44298fc1c149afbf4c8996fb924",
                "operatingSystem": "linux",
                "osImage": "Ubuntu 22.04.4 LTS",
                "systemUUID": "4c4c4544-0047-3610-8052-b4c04f4e4d32"
            }
        }
    }
    """#

    static let pod = #"""
    {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "creationTimestamp": "2024-05-01T09:12:45Z",
            "generateName": "resnet50-v4-7d9f8b6c5d-",
            "labels": {"app.kubernetes.io/name": "resnet50", "pod-template-hash": "7d9f8b6c5d"},
            "name": "resnet50-v4-7d9f8b6c5d-x2k9p",
            "namespace": "default",
            "ownerReferences": [{"apiVersion": "apps/v1", "blockOwnerDeletion": true, "controller": true,
                                 "kind": "ReplicaSet", "name": "resnet50-v4-7d9f8b6c5d", "uid": "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f"}],
            "resourceVersion": "184460",
            "uid": "f0e1d2c3-b4a5-4968-8776-5a4b3c2d1e0f"
        },
        "spec": {
            "containers": [{"image": "registry.local/serving:1.2", "imagePullPolicy": "IfNotPresent", "name": "serving",
                            "resources": {"requests": {"cpu": "500m", "memory": "2Gi"}},
                            "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"}],
            "initContainers": [{"image": "registry.local/model-operator:0.1", "name": "fetch",
                                "terminationMessagePath": "/dev/termination-log",
                                "terminationMessagePolicy": "FallbackToLogsOnError"}],
            "nodeName": "edge-gpu-1",
            "restartPolicy": "Always"
        },
        "status": {
            "conditions": [
                {"lastProbeTime": null, "lastTransitionTime": "2024-05-01T09:12:45Z",
                 "message": "containers with incomplete status: [fetch]", "reason": "ContainersNotInitialized",
                 "status": "False", "type": "Initialized"},
                {"lastProbeTime": null, "lastTransitionTime": "2024-05-01T09:12:45Z", "status": "True", "type": "PodScheduled"}
            ],
            "containerStatuses": [{"image": "registry.local/serving:1.2", "imageID": "", "lastState": {}, "name": "serving",
                                   "ready": false, "restartCount": 0, "started": false,
                                   "state": {"waiting": {"reason": "PodInitializing"}}}],
            "hostIP": "10.0.0.21",
            "initContainerStatuses": [{
                "containerID": "containerd://9a8b7c6d5e4f",
                "image": "registry.local/model-operator:0.1",
                "imageID": "registry.local/model-operator@sha256:0a1b",
                "lastState": {"terminated": {
                    "containerID": "containerd://1a2b3c4d", "exitCode": 1,
                    "finishedAt": "2024-05-01T09:13:20Z",
                    "message": "sha256 mismatch for version 4: want 108a\u2026, got 3f2c\u2026",
                    "reason": "Error", "startedAt": "2024-05-01T09:13:01Z"}},
                "name": "fetch", "ready": false, "restartCount": 2,
                "state": {"waiting": {"message": "back-off 40s restarting failed container=fetch", "reason": "CrashLoopBackOff"}}
            }],
            "phase": "Pending",
            "podIP": "10.244.1.17",
            "qosClass": "Burstable",
            "startTime": "2024-05-01T09:12:45Z"
        }
    }
    """#
}
