import Foundation

/// The C heap of this process.
public enum ProcessHeap {
    /// Gives the memory malloc holds free back to the system (glibc's `malloc_trim`, looked up at
    /// run time: it is not in Swift's Glibc module). A repack allocates and frees tens of MiB on
    /// whichever thread runs it, and glibc keeps what each thread's arena freed: without this a
    /// daemon's resident memory grew by some 25 MiB per 1,000 pushes although its heap did not.
    public static func trim() {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)(0)
    }
}
