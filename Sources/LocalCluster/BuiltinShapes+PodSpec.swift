/// The pod spec, scheduling and volume shapes of `core/v1` (Kubernetes 1.25).
extension BuiltinShapes {
    static let nodeSelectorTerm = StructShape("NodeSelectorTerm", [
        "matchExpressions": .array(.object(nodeSelectorRequirement)),
        "matchFields": .array(.object(nodeSelectorRequirement)),
    ])

    static let nodeSelectorRequirement = StructShape("NodeSelectorRequirement", [
        "key": .string, "operator": .string, "values": .array(.string),
    ])

    static let podAffinityTerm = StructShape("PodAffinityTerm", [
        "labelSelector": .object(labelSelector), "namespaces": .array(.string), "topologyKey": .string,
        "namespaceSelector": .object(labelSelector),
    ])

    static let podAffinity = StructShape("PodAffinity", [
        "requiredDuringSchedulingIgnoredDuringExecution": .array(.object(podAffinityTerm)),
        "preferredDuringSchedulingIgnoredDuringExecution": .array(.object(StructShape("WeightedPodAffinityTerm", [
            "weight": .int32, "podAffinityTerm": .object(podAffinityTerm),
        ]))),
    ])

    static let affinity = StructShape("Affinity", [
        "nodeAffinity": .object(StructShape("NodeAffinity", [
            "requiredDuringSchedulingIgnoredDuringExecution": .object(StructShape("NodeSelector", [
                "nodeSelectorTerms": .array(.object(nodeSelectorTerm)),
            ])),
            "preferredDuringSchedulingIgnoredDuringExecution": .array(.object(StructShape("PreferredSchedulingTerm", [
                "weight": .int32, "preference": .object(nodeSelectorTerm),
            ]))),
        ])),
        "podAffinity": .object(podAffinity),
        "podAntiAffinity": .object(podAffinity.adding([:], named: "PodAntiAffinity")),
    ])

    static let toleration = StructShape("Toleration", [
        "key": .string, "operator": .string, "value": .string, "effect": .string, "tolerationSeconds": .int64,
    ])

    static let podSpec = StructShape("PodSpec", [
        "volumes": .array(.object(volume)), "initContainers": .array(.object(container)),
        "containers": .array(.object(container)), "ephemeralContainers": .array(.object(ephemeralContainer)),
        "restartPolicy": .string, "terminationGracePeriodSeconds": .int64, "activeDeadlineSeconds": .int64,
        "dnsPolicy": .string, "nodeSelector": .map(.string), "serviceAccountName": .string, "serviceAccount": .string,
        "automountServiceAccountToken": .bool, "nodeName": .string, "hostNetwork": .bool, "hostPID": .bool,
        "hostIPC": .bool, "shareProcessNamespace": .bool, "securityContext": .object(podSecurityContext),
        "imagePullSecrets": .array(.object(objectReferenceByName)), "hostname": .string, "subdomain": .string,
        "affinity": .object(affinity), "schedulerName": .string, "tolerations": .array(.object(toleration)),
        "hostAliases": .array(.object(StructShape("HostAlias", ["ip": .string, "hostnames": .array(.string)]))),
        "priorityClassName": .string, "priority": .int32,
        "dnsConfig": .object(StructShape("PodDNSConfig", [
            "nameservers": .array(.string), "searches": .array(.string),
            "options": .array(.object(StructShape("PodDNSConfigOption", ["name": .string, "value": .string]))),
        ])),
        "readinessGates": .array(.object(StructShape("PodReadinessGate", ["conditionType": .string]))),
        "runtimeClassName": .string, "enableServiceLinks": .bool, "preemptionPolicy": .string,
        "overhead": .map(.quantity),
        "topologySpreadConstraints": .array(.object(StructShape("TopologySpreadConstraint", [
            "maxSkew": .int32, "topologyKey": .string, "whenUnsatisfiable": .string,
            "labelSelector": .object(labelSelector), "minDomains": .int32, "nodeAffinityPolicy": .string,
            "nodeTaintsPolicy": .string, "matchLabelKeys": .array(.string),
        ]))),
        "setHostnameAsFQDN": .bool, "os": .object(StructShape("PodOS", ["name": .string])), "hostUsers": .bool,
    ])

    static let podTemplateSpec = StructShape("PodTemplateSpec", [
        "metadata": .object(objectMeta), "spec": .object(podSpec),
    ])

    // MARK: - Volumes

    /// A volume source described only by name: its fields are accepted without a check.
    private static func openSource(_ name: String) -> FieldShape { .object(StructShape(name, open: true, [:])) }

    static let volume = StructShape("Volume", [
        "name": .string,
        "hostPath": .object(StructShape("HostPathVolumeSource", ["path": .string, "type": .string])),
        "emptyDir": .object(StructShape("EmptyDirVolumeSource", ["medium": .string, "sizeLimit": .quantity])),
        "secret": .object(StructShape("SecretVolumeSource", [
            "secretName": .string, "items": .array(.object(keyToPath)), "defaultMode": .int32, "optional": .bool,
        ])),
        "configMap": .object(StructShape("ConfigMapVolumeSource", [
            "name": .string, "items": .array(.object(keyToPath)), "defaultMode": .int32, "optional": .bool,
        ])),
        "persistentVolumeClaim": .object(StructShape("PersistentVolumeClaimVolumeSource", [
            "claimName": .string, "readOnly": .bool,
        ])),
        "nfs": .object(StructShape("NFSVolumeSource", ["server": .string, "path": .string, "readOnly": .bool])),
        "downwardAPI": .object(StructShape("DownwardAPIVolumeSource", [
            "items": .array(.object(downwardAPIVolumeFile)), "defaultMode": .int32,
        ])),
        "projected": .object(StructShape("ProjectedVolumeSource", [
            "sources": .array(.object(StructShape("VolumeProjection", [
                "secret": .object(StructShape("SecretProjection", [
                    "name": .string, "items": .array(.object(keyToPath)), "optional": .bool,
                ])),
                "downwardAPI": .object(StructShape("DownwardAPIProjection", [
                    "items": .array(.object(downwardAPIVolumeFile)),
                ])),
                "configMap": .object(StructShape("ConfigMapProjection", [
                    "name": .string, "items": .array(.object(keyToPath)), "optional": .bool,
                ])),
                "serviceAccountToken": .object(StructShape("ServiceAccountTokenProjection", [
                    "audience": .string, "expirationSeconds": .int64, "path": .string,
                ])),
            ]))),
            "defaultMode": .int32,
        ])),
        "csi": .object(StructShape("CSIVolumeSource", [
            "driver": .string, "readOnly": .bool, "fsType": .string, "volumeAttributes": .map(.string),
            "nodePublishSecretRef": .object(objectReferenceByName),
        ])),
        "ephemeral": .object(StructShape("EphemeralVolumeSource", [
            "volumeClaimTemplate": .object(StructShape("PersistentVolumeClaimTemplate", [
                "metadata": .object(objectMeta), "spec": openSource("PersistentVolumeClaimSpec"),
            ])),
        ])),
        "gcePersistentDisk": openSource("GCEPersistentDiskVolumeSource"),
        "awsElasticBlockStore": openSource("AWSElasticBlockStoreVolumeSource"),
        "gitRepo": openSource("GitRepoVolumeSource"), "iscsi": openSource("ISCSIVolumeSource"),
        "glusterfs": openSource("GlusterfsVolumeSource"), "rbd": openSource("RBDVolumeSource"),
        "flexVolume": openSource("FlexVolumeSource"), "cinder": openSource("CinderVolumeSource"),
        "cephfs": openSource("CephFSVolumeSource"), "flocker": openSource("FlockerVolumeSource"),
        "fc": openSource("FCVolumeSource"), "azureFile": openSource("AzureFileVolumeSource"),
        "vsphereVolume": openSource("VsphereVirtualDiskVolumeSource"), "quobyte": openSource("QuobyteVolumeSource"),
        "azureDisk": openSource("AzureDiskVolumeSource"),
        "photonPersistentDisk": openSource("PhotonPersistentDiskVolumeSource"),
        "portworxVolume": openSource("PortworxVolumeSource"), "scaleIO": openSource("ScaleIOVolumeSource"),
        "storageos": openSource("StorageOSVolumeSource"),
    ])

    static let downwardAPIVolumeFile = StructShape("DownwardAPIVolumeFile", [
        "path": .string, "fieldRef": .object(objectFieldSelector), "resourceFieldRef": .object(resourceFieldSelector),
        "mode": .int32,
    ])
}
