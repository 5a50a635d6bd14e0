/// The container, probe and security-context shapes of `core/v1` (Kubernetes 1.25).
extension BuiltinShapes {
    static let keyToPath = StructShape("KeyToPath", ["key": .string, "path": .string, "mode": .int32])

    static let objectFieldSelector = StructShape("ObjectFieldSelector", ["apiVersion": .string, "fieldPath": .string])

    static let resourceFieldSelector = StructShape("ResourceFieldSelector", [
        "containerName": .string, "resource": .string, "divisor": .quantity,
    ])

    static let envVar = StructShape("EnvVar", [
        "name": .string, "value": .string,
        "valueFrom": .object(StructShape("EnvVarSource", [
            "fieldRef": .object(objectFieldSelector),
            "resourceFieldRef": .object(resourceFieldSelector),
            "configMapKeyRef": .object(StructShape("ConfigMapKeySelector", [
                "name": .string, "key": .string, "optional": .bool,
            ])),
            "secretKeyRef": .object(StructShape("SecretKeySelector", ["name": .string, "key": .string, "optional": .bool])),
        ])),
    ])

    static let envFromSource = StructShape("EnvFromSource", [
        "prefix": .string,
        "configMapRef": .object(StructShape("ConfigMapEnvSource", ["name": .string, "optional": .bool])),
        "secretRef": .object(StructShape("SecretEnvSource", ["name": .string, "optional": .bool])),
    ])

    static let httpGetAction = StructShape("HTTPGetAction", [
        "path": .string, "port": .intOrString, "host": .string, "scheme": .string,
        "httpHeaders": .array(.object(StructShape("HTTPHeader", ["name": .string, "value": .string]))),
    ])

    static let tcpSocketAction = StructShape("TCPSocketAction", ["port": .intOrString, "host": .string])

    static let execAction = StructShape("ExecAction", ["command": .array(.string)])

    static let probe = StructShape("Probe", [
        "exec": .object(execAction), "httpGet": .object(httpGetAction), "tcpSocket": .object(tcpSocketAction),
        "grpc": .object(StructShape("GRPCAction", ["port": .int32, "service": .string])),
        "initialDelaySeconds": .int32, "timeoutSeconds": .int32, "periodSeconds": .int32, "successThreshold": .int32,
        "failureThreshold": .int32, "terminationGracePeriodSeconds": .int64,
    ])

    static let lifecycleHandler = StructShape("LifecycleHandler", [
        "exec": .object(execAction), "httpGet": .object(httpGetAction), "tcpSocket": .object(tcpSocketAction),
    ])

    static let seLinuxOptions = StructShape("SELinuxOptions", [
        "user": .string, "role": .string, "type": .string, "level": .string,
    ])

    static let windowsOptions = StructShape("WindowsSecurityContextOptions", [
        "gmsaCredentialSpecName": .string, "gmsaCredentialSpec": .string, "runAsUserName": .string, "hostProcess": .bool,
    ])

    static let seccompProfile = StructShape("SeccompProfile", ["type": .string, "localhostProfile": .string])

    static let securityContext = StructShape("SecurityContext", [
        "capabilities": .object(StructShape("Capabilities", ["add": .array(.string), "drop": .array(.string)])),
        "privileged": .bool, "seLinuxOptions": .object(seLinuxOptions), "windowsOptions": .object(windowsOptions),
        "runAsUser": .int64, "runAsGroup": .int64, "runAsNonRoot": .bool, "readOnlyRootFilesystem": .bool,
        "allowPrivilegeEscalation": .bool, "procMount": .string, "seccompProfile": .object(seccompProfile),
    ])

    static let podSecurityContext = StructShape("PodSecurityContext", [
        "seLinuxOptions": .object(seLinuxOptions), "windowsOptions": .object(windowsOptions), "runAsUser": .int64,
        "runAsGroup": .int64, "runAsNonRoot": .bool, "supplementalGroups": .array(.int64), "fsGroup": .int64,
        "sysctls": .array(.object(StructShape("Sysctl", ["name": .string, "value": .string]))),
        "fsGroupChangePolicy": .string, "seccompProfile": .object(seccompProfile),
    ])

    static let container = StructShape("Container", [
        "name": .string, "image": .string, "command": .array(.string), "args": .array(.string), "workingDir": .string,
        "ports": .array(.object(StructShape("ContainerPort", [
            "name": .string, "hostPort": .int32, "containerPort": .int32, "protocol": .string, "hostIP": .string,
        ]))),
        "envFrom": .array(.object(envFromSource)), "env": .array(.object(envVar)),
        "resources": .object(StructShape("ResourceRequirements", [
            "limits": .map(.quantity), "requests": .map(.quantity),
        ])),
        "volumeMounts": .array(.object(StructShape("VolumeMount", [
            "name": .string, "readOnly": .bool, "mountPath": .string, "subPath": .string, "mountPropagation": .string,
            "subPathExpr": .string,
        ]))),
        "volumeDevices": .array(.object(StructShape("VolumeDevice", ["name": .string, "devicePath": .string]))),
        "livenessProbe": .object(probe), "readinessProbe": .object(probe), "startupProbe": .object(probe),
        "lifecycle": .object(StructShape("Lifecycle", [
            "postStart": .object(lifecycleHandler), "preStop": .object(lifecycleHandler),
        ])),
        "terminationMessagePath": .string, "terminationMessagePolicy": .string, "imagePullPolicy": .string,
        "securityContext": .object(securityContext), "stdin": .bool, "stdinOnce": .bool, "tty": .bool,
    ])

    static let ephemeralContainer = container.adding(["targetContainerName": .string], named: "EphemeralContainer")
}
