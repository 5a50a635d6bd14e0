/// The root shapes of the type-checked kinds: Deployment, ReplicaSet (`apps/v1`), Pod and Service (`v1`).
extension BuiltinShapes {
    static let deployment = typeMeta("Deployment", [
        "spec": .object(StructShape("DeploymentSpec", [
            "replicas": .int32, "selector": .object(labelSelector), "template": .object(podTemplateSpec),
            "strategy": .object(StructShape("DeploymentStrategy", [
                "type": .string,
                "rollingUpdate": .object(StructShape("RollingUpdateDeployment", [
                    "maxUnavailable": .intOrString, "maxSurge": .intOrString,
                ])),
            ])),
            "minReadySeconds": .int32, "revisionHistoryLimit": .int32, "paused": .bool, "progressDeadlineSeconds": .int32,
        ])),
        "status": .object(StructShape("DeploymentStatus", [
            "observedGeneration": .int64, "replicas": .int32, "updatedReplicas": .int32, "readyReplicas": .int32,
            "availableReplicas": .int32, "unavailableReplicas": .int32,
            "conditions": .array(.object(condition.adding([:], named: "DeploymentCondition"))),
            "collisionCount": .int32,
        ])),
    ])

    static let replicaSet = typeMeta("ReplicaSet", [
        "spec": .object(StructShape("ReplicaSetSpec", [
            "replicas": .int32, "minReadySeconds": .int32, "selector": .object(labelSelector),
            "template": .object(podTemplateSpec),
        ])),
        "status": .object(StructShape("ReplicaSetStatus", [
            "replicas": .int32, "fullyLabeledReplicas": .int32, "readyReplicas": .int32, "availableReplicas": .int32,
            "observedGeneration": .int64,
            "conditions": .array(.object(condition.adding([:], named: "ReplicaSetCondition"))),
        ])),
    ])

    static let containerState = StructShape("ContainerState", [
        "waiting": .object(StructShape("ContainerStateWaiting", ["reason": .string, "message": .string])),
        "running": .object(StructShape("ContainerStateRunning", ["startedAt": .time])),
        "terminated": .object(StructShape("ContainerStateTerminated", [
            "exitCode": .int32, "signal": .int32, "reason": .string, "message": .string, "startedAt": .time,
            "finishedAt": .time, "containerID": .string,
        ])),
    ])

    static let containerStatus = StructShape("ContainerStatus", [
        "name": .string, "state": .object(containerState), "lastState": .object(containerState), "ready": .bool,
        "restartCount": .int32, "image": .string, "imageID": .string, "containerID": .string, "started": .bool,
    ])

    static let pod = typeMeta("Pod", [
        "spec": .object(podSpec),
        "status": .object(StructShape("PodStatus", [
            "phase": .string, "conditions": .array(.object(condition.adding([:], named: "PodCondition"))),
            "message": .string, "reason": .string, "nominatedNodeName": .string, "hostIP": .string, "podIP": .string,
            "podIPs": .array(.object(StructShape("PodIP", ["ip": .string]))), "startTime": .time,
            "initContainerStatuses": .array(.object(containerStatus)),
            "containerStatuses": .array(.object(containerStatus)), "qosClass": .string,
            "ephemeralContainerStatuses": .array(.object(containerStatus)),
        ])),
    ])

    static let service = typeMeta("Service", [
        "spec": .object(StructShape("ServiceSpec", [
            "ports": .array(.object(StructShape("ServicePort", [
                "name": .string, "protocol": .string, "appProtocol": .string, "port": .int32,
                "targetPort": .intOrString, "nodePort": .int32,
            ]))),
            "selector": .map(.string), "clusterIP": .string, "clusterIPs": .array(.string), "type": .string,
            "externalIPs": .array(.string), "sessionAffinity": .string, "loadBalancerIP": .string,
            "loadBalancerSourceRanges": .array(.string), "externalName": .string, "externalTrafficPolicy": .string,
            "healthCheckNodePort": .int32, "publishNotReadyAddresses": .bool,
            "sessionAffinityConfig": .object(StructShape("SessionAffinityConfig", [
                "clientIP": .object(StructShape("ClientIPConfig", ["timeoutSeconds": .int32])),
            ])),
            "ipFamilies": .array(.string), "ipFamilyPolicy": .string, "allocateLoadBalancerNodePorts": .bool,
            "loadBalancerClass": .string, "internalTrafficPolicy": .string,
        ])),
        "status": .object(StructShape("ServiceStatus", [
            "loadBalancer": .object(StructShape("LoadBalancerStatus", [
                "ingress": .array(.object(StructShape("LoadBalancerIngress", [
                    "ip": .string, "hostname": .string,
                    "ports": .array(.object(StructShape("PortStatus", [
                        "port": .int32, "protocol": .string, "error": .string,
                    ]))),
                ]))),
            ])),
            "conditions": .array(.object(condition)),
        ])),
    ])
}
