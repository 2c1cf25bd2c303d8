import Foundation
import KeelsonCore
import KeelsonManifests
import Testing

struct ArgoApplicationImportTests {
    static let guestbook = """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: guestbook
          namespace: argocd
          finalizers: [resources-finalizer.argocd.argoproj.io]
        spec:
          project: default
          source:
            repoURL: https://github.com/argoproj/argocd-example-apps.git
            targetRevision: HEAD
            path: guestbook
          destination:
            server: https://kubernetes.default.svc
            namespace: guestbook
          syncPolicy:
            automated: {prune: true, selfHeal: true}
            syncOptions: [CreateNamespace=true]
        """

    @Test func readsTheFieldsKeelsonUsesAndReportsTheRest() throws {
        let result = try ArgoApplicationImport.read([ManifestFile(path: "argo/guestbook.yaml", text: Self.guestbook)])
        #expect(
            result.applications == [
                Application(
                    name: "guestbook", repository: "https://github.com/argoproj/argocd-example-apps.git",
                    revision: "main",
                    path: "guestbook", destination: .init(namespace: "guestbook"),
                    syncPolicy: .init(automated: true, selfHeal: true, prune: true))
            ])
        #expect(
            result.notices == [
                "argo/guestbook.yaml:1: metadata.finalizers: not used by Keelson; ignored",
                "argo/guestbook.yaml:1: spec.project: not used by Keelson; ignored",
                "argo/guestbook.yaml:1: spec.source.targetRevision: HEAD is tracked as branch \"main\"; set the branch if yours differs",
                "argo/guestbook.yaml:1: spec.syncPolicy.syncOptions: not used by Keelson; ignored",
            ])
    }

    @Test func revisionHistoryLimitIsTheHistoryLimit() throws {
        let limited = Self.guestbook.replacingOccurrences(
            of: "  project: default\n", with: "  revisionHistoryLimit: 5\n")
        let result = try ArgoApplicationImport.read([ManifestFile(path: "a.yaml", text: limited)])
        #expect(result.applications.first?.historyLimit == 5)
        #expect(!result.notices.contains { $0.contains("revisionHistoryLimit") })
    }

    @Test func withoutAutomatedTheApplicationIsManual() throws {
        let manual = Self.guestbook.replacingOccurrences(of: "    automated: {prune: true, selfHeal: true}\n", with: "")
        let result = try ArgoApplicationImport.read([ManifestFile(path: "a.yaml", text: manual)])
        #expect(result.applications.first?.syncPolicy.automated == false)
    }

    @Test(arguments: [
        (
            "    path: guestbook\n", "    path: guestbook\n    helm: {releaseName: x}\n",
            "spec.source.helm: Keelson renders plain manifest folders"
        ),
        ("kind: Application", "kind: ApplicationSet", "expected an Argo CD Application"),
        (
            "    repoURL: https://github.com/argoproj/argocd-example-apps.git\n", "",
            "spec.source.repoURL: expected the repository address"
        ),
    ])
    func sourcesKeelsonCannotDeployAreRefused(replacing: String, with replacement: String, message: String) {
        let text = Self.guestbook.replacingOccurrences(of: replacing, with: replacement)
        let error = #expect(throws: ApplicationError.self) {
            try ArgoApplicationImport.read([ManifestFile(path: "a.yaml", text: text)])
        }
        #expect(error?.description.contains(message) == true, "\(String(describing: error))")
    }
}
