/// An object named within a namespace; lists of them are kept in namespace and name order.
protocol Named {
    var namespace: String { get }
    var name: String { get }
}

extension SimDeployment: Named {}
extension SimReplicaSet: Named {}
extension SimPod: Named {}
