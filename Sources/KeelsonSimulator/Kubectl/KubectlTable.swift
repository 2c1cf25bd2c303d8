/// A table as `kubectl get` prints it: upper-case headers, columns aligned by Go's `tabwriter` with kubectl's
/// settings (minimum cell width 6, padding 3), the last column unpadded.
public struct KubectlTable: Sendable, Hashable {
    /// The column headers, such as `NAME` and `READY`.
    public var headers: [String]
    /// The cells, one array per row, as many as there are headers.
    public var rows: [[String]]

    /// Creates a table.
    public init(headers: [String], rows: [[String]]) {
        self.headers = headers
        self.rows = rows
    }

    /// The table as text, one line per row after the header line, each ending with a newline.
    public var rendered: String {
        let lines = [headers] + rows
        let columnCount = lines.map(\.count).max() ?? 0
        let widths = (0..<columnCount).map { column in
            max(6, lines.map { column < $0.count ? $0[column].count + 3 : 0 }.max() ?? 0)
        }
        return lines.map { cells in
            cells.enumerated().map { column, cell in
                column == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count)
            }.joined() + "\n"
        }.joined()
    }
}
