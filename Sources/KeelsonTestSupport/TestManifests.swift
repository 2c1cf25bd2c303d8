/// Manifests the tests write into fixture repositories.
public enum TestManifests {
    /// A Deployment of `replicas` pods labelled `app: <name>`, one container `name` running `image`,
    /// in the compact flow style of hand-written fixtures.
    public static func deployment(_ name: String, image: String, replicas: Int = 2) -> String {
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: \(name)}
        spec:
          replicas: \(replicas)
          selector: {matchLabels: {app: \(name)}}
          template:
            metadata: {labels: {app: \(name)}}
            spec: {containers: [{name: \(name), image: "\(image)"}]}
        """
    }
}
